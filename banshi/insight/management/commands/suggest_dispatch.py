"""manage.py suggest_dispatch --input IN.jsonl --output OUT.jsonl

Each input line is a JSON object ``{"id", "content", "address"}`` (``title``, ``latitude`` and
``longitude`` are also read when present); each output line is ``{"id", "model_version",
"low_confidence", "categories": [{"path", "code", "score"}, …best first, at least 5], "units":
[{"id", "name", "score", "reason"}, …]}``. Units are those the routing rule allows for the place
(the command acts for the system, not for one dispatcher). A line that is not such an object is
reported on stderr with its line number and skipped; the rest still run. On a fresh installation
the first suggestion trains the model from the lexicon and the history there is.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banshi.core.errors import DomainError
from banshi.insight import engine

CATEGORIES = 5
UNITS = 3


def _line_ask(data: Any) -> tuple[str | int, engine.Ask]:
    if not isinstance(data, dict):
        raise ValueError("应为 JSON 对象")
    ref = data.get("id")
    if not isinstance(ref, str | int) or isinstance(ref, bool) or str(ref).strip() == "":
        raise ValueError("缺少 id（文本或整数）")
    ask = engine.clean_ask(
        content=data.get("content"),
        title=data.get("title", ""),
        address=data.get("address", ""),
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
    )
    return str(ref) if isinstance(ref, str) else ref, ask


class Command(BaseCommand):
    help = "批量生成智能派单建议：读入 JSONL（每行 id、content、address），输出分类与承办单位建议"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="输入 JSONL 文件（- 表示标准输入）")
        parser.add_argument("--output", required=True, help="输出 JSONL 文件（- 表示标准输出）")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["input"]
        target = options["output"]
        try:
            lines = (
                sys.stdin.read().splitlines()
                if source == "-"
                else Path(source).read_text(encoding="utf-8-sig").splitlines()
            )
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取输入文件：{exc}") from exc
        results: list[str] = []
        bad = 0
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                ref, ask = _line_ask(json.loads(line))
                suggestion = engine.suggest(ask, user=None, categories=CATEGORIES, units=UNITS)
            except json.JSONDecodeError as exc:
                bad += 1
                self.stderr.write(f"第{number}行：不是有效的 JSON（{exc.msg}），已跳过")
                continue
            except (ValueError, DomainError) as exc:
                bad += 1
                detail = exc.detail if isinstance(exc, DomainError) else str(exc)
                self.stderr.write(f"第{number}行：{detail}，已跳过")
                continue
            results.append(
                json.dumps(
                    {
                        "id": ref,
                        "model_version": suggestion.model_version,
                        "low_confidence": suggestion.low_confidence,
                        "categories": [
                            {"path": c.path, "code": c.category.code, "score": c.score}
                            for c in suggestion.categories
                        ],
                        "units": [
                            {
                                "id": u.unit.pk,
                                "name": u.unit.name,
                                "score": u.score,
                                "reason": u.reason,
                            }
                            for u in suggestion.units
                        ],
                    },
                    ensure_ascii=False,
                )
            )
        text = "".join(f"{row}\n" for row in results)
        if target == "-":
            self.stdout.write(text, ending="")
        else:
            try:
                Path(target).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"无法写入输出文件：{exc}") from exc
        self.stderr.write(f"已输出{len(results)}条建议" + (f"，{bad}行有误已跳过" if bad else ""))
