"""Print a lifecycle's table as Markdown: ``manage.py workflow_table workorder`` (or ``project``,
or ``--all``). docs/workflows.md is this command's output, checked by a test."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banshi.workflow import engine
from banshi.workflow.docs import ALIASES, document, table


class Command(BaseCommand):
    help = "以 Markdown 表格打印流程（状态、动作、谁可以、前提与写入、之后）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="流程名，如 workorder、project")
        parser.add_argument("--all", action="store_true", help="打印全部流程（docs/workflows.md）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            self.stdout.write(document(), ending="")
            return
        name = ALIASES.get(options["name"] or "", options["name"] or "")
        known = engine.lifecycles()
        if name not in known:
            raise CommandError(f"未知的流程“{options['name']}”，可选：{'、'.join(sorted(known))}")
        self.stdout.write(table(known[name]), ending="")
