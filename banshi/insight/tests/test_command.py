"""manage.py suggest_dispatch on temporary files."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from banshi.insight.models import CategoryModel

LINES = [
    json.dumps(
        {"id": "a1", "content": "我们小区停水一整天了", "address": "开福区秀峰街道新大塘社区"}
    ),
    "{这不是JSON",
    json.dumps({"id": "a3", "address": "开福区"}),
    json.dumps(["不是对象"]),
    "",
    json.dumps({"id": 4, "content": "楼下烧烤店油烟太大，熏得开不了窗"}),
    json.dumps({"id": "a7", "content": "路灯不亮", "latitude": 39.9, "longitude": 116.4}),
    json.dumps({"content": "没有编号"}),
]


def test_the_command_suggests_per_line_and_reports_bad_lines_by_number(
    tmp_path: Path, tree: Any
) -> None:
    source = tmp_path / "in.jsonl"
    target = tmp_path / "out.jsonl"
    source.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    errors = StringIO()
    assert not CategoryModel.objects.exists()
    call_command("suggest_dispatch", input=str(source), output=str(target), stderr=errors)
    assert CategoryModel.objects.count() == 1  # trained on first use
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a1", 4]
    first = rows[0]
    assert len(first["categories"]) >= 5
    assert first["categories"][0]["path"] == "水电气/供水/停水"
    assert set(first["categories"][0]) == {"path", "code", "score"}
    assert first["categories"][0]["code"] == "040101"
    scores = [c["score"] for c in first["categories"]]
    assert scores == sorted(scores, reverse=True)
    assert first["model_version"] == 1
    assert {u["id"] for u in first["units"]} >= {tree.xiufeng.pk}
    assert set(first["units"][0]) == {"id", "name", "score", "reason"}
    assert rows[1]["categories"][0]["path"] == "生态环境/大气污染/油烟污染"
    assert rows[1]["units"] == []  # no address: no place, no unit
    report = errors.getvalue()
    for number in (2, 3, 4, 7, 8):
        assert f"第{number}行" in report
    assert "第5行" not in report and "第1行" not in report
    assert "不是有效的 JSON" in report and "诉求内容不能为空" in report
    assert "长沙市范围" in report and "缺少 id" in report
    assert "已输出2条建议，5行有误已跳过" in report


def test_a_missing_input_file_is_a_clear_error(tmp_path: Path, db: Any) -> None:
    with pytest.raises(CommandError, match="无法读取输入文件"):
        call_command(
            "suggest_dispatch", input=str(tmp_path / "nope.jsonl"), output=str(tmp_path / "o")
        )
