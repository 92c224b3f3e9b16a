"""manage.py lag_colours_doc [--check]: write docs/lag-colours.md from ``projects.lag.RULES``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from banshi.projects.lag import colour_table_markdown


def doc_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "lag-colours.md"


class Command(BaseCommand):
    help = "根据预警颜色规则表生成 docs/lag-colours.md（--check 只检查是否一致）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="只检查文件是否与代码一致")

    def handle(self, *args: Any, **options: Any) -> None:
        path = doc_path()
        text = colour_table_markdown()
        if options["check"]:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(
                    f"{path} 与预警颜色规则表不一致，请运行 lag_colours_doc 重新生成"
                )
            self.stdout.write("一致")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"已生成 {path}")
