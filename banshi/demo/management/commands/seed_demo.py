"""manage.py seed_demo: the Changsha demo — real divisions, a cast of accounts, synthetic grids.

Idempotent: each step looks for what it would create and skips what exists, so ``make run`` can
call it on every start.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from banshi.demo.seed import seed_all


class Command(BaseCommand):
    help = "载入长沙演示数据（可重复运行）"

    def handle(self, *args: Any, **options: Any) -> None:
        # No outer transaction: every step is idempotent and commits in batches, so an
        # interrupted first run resumes where it stopped instead of starting over.
        summary = seed_all()
        self.stdout.write(self.style.SUCCESS("演示数据就绪：" + "；".join(summary)))
