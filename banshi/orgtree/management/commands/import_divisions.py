"""manage.py import_divisions [FILE ...]: load the Changsha divisions and units into the tree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banshi.orgtree.importer import DEFAULT_FILES, ImportFailed, import_units


class Command(BaseCommand):
    help = "导入长沙市行政区划（国家统计用区划代码）及职能部门、园区。可重复运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files",
            nargs="*",
            type=Path,
            help="CSV 文件（表头 code,name,level,parent_code）；默认导入随附的长沙数据",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files = options["files"] or DEFAULT_FILES
        try:
            result = import_units(files)
        except ImportFailed as exc:
            raise CommandError(exc.detail) from exc
        self.stdout.write(
            f"导入完成：新建 {result.created}，改名 {result.renamed}，"
            f"移动 {result.moved}，未变 {result.unchanged}"
        )
