"""The strings English pages were still showing in Chinese go through the translation catalogue:
the countdown, chart legends, the Gantt's "today", cadence summaries, board months, household
relations and the pickers' words.

The English catalogue is regenerated from the source after these strings were wrapped, so these
tests do not read it: they switch to a pseudo-English catalogue in which every message comes back
as «message». Chinese that reaches a page through gettext shows up inside «…»; Chinese that
bypasses it shows up bare. Data (unit names, titles people typed) stays bare, as it should.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import trans_real

from banshi.accounts.roles import Role

HAN = re.compile(r"[\u4e00-\u9fff]+")
ROOT = Path(settings.BASE_DIR)


@contextlib.contextmanager
def pseudo_english() -> Iterator[None]:
    """English pages whose every catalogue message reads «message»."""
    real_gettext = trans_real.DjangoTranslation.gettext
    real_ngettext = trans_real.DjangoTranslation.ngettext

    def gettext(self: Any, message: str) -> str:
        if self.language() != "en":
            return real_gettext(self, message)
        return f"«{message.split(trans_real.CONTEXT_SEPARATOR)[-1]}»"

    def ngettext(self: Any, singular: str, plural: str, number: int) -> str:
        if self.language() != "en":
            return real_ngettext(self, singular, plural, number)
        return f"«{singular if number == 1 else plural}»"

    with (
        mock.patch.object(trans_real.DjangoTranslation, "gettext", gettext),
        mock.patch.object(trans_real.DjangoTranslation, "ngettext", ngettext),
        translation.override("en"),
    ):
        yield


def bare_chinese(text: str) -> list[str]:
    """Chinese outside «…» (which nest: a translated sentence holds translated values): text that
    did not come through the catalogue."""
    while True:
        inner = re.sub(r"«[^«»]*»", "", text)
        if inner == text:
            return HAN.findall(text)
        text = inner


# --- The countdown ---------------------------------------------------------------------------------


def test_the_countdown_is_translated() -> None:
    from banshi.workorders.choices import Status
    from banshi.workorders.clock import remaining_text
    from banshi.workorders.models import WorkOrder

    now = datetime.datetime(2026, 11, 16, 10, tzinfo=datetime.UTC)
    order = WorkOrder(status=Status.IN_PROGRESS)
    cases = [
        (now + datetime.timedelta(days=2, hours=3), "剩余"),
        (now + datetime.timedelta(hours=5, minutes=7), "剩余"),
        (now + datetime.timedelta(minutes=9), "剩余"),
        (now - datetime.timedelta(hours=5), "超时"),
    ]
    for due, word in cases:
        order.close_due = due
        with translation.override("zh-hans"):
            chinese = remaining_text(order, now)
        with pseudo_english():
            english = remaining_text(order, now)
        assert chinese.startswith(word) and "«" not in chinese
        assert "«" in english and bare_chinese(english) == [], english


def _english_client(user: Any = None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        client.force_login(user)
    return client


def _json_script(html: str, element_id: str) -> Any:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert match, element_id
    return json.loads(match.group(1))


# --- Charts, the Gantt and the scripts ---------------------------------------------------------------


def test_no_script_carries_chinese_words_of_its_own() -> None:
    scripts = [p for p in (ROOT / "banshi").rglob("*.js") if "vendor" not in p.parts]
    assert scripts
    found = {str(p.relative_to(ROOT)): HAN.findall(p.read_text()) for p in scripts}
    assert {path: words for path, words in found.items() if words} == {}


@pytest.mark.django_db
def test_ranking_chart_legends_come_translated(tree: Any, cast: Any) -> None:

    client = _english_client(cast.make(Role.ANALYST, tree.kaifu))
    with pseudo_english():
        html = client.get("/workorders/metrics/").content.decode()
    labels = _json_script(html, "chart-data")["labels"]
    assert set(labels) == {"composite", "response", "resolution", "satisfaction"}
    assert all(v.startswith("«") for v in labels.values()), labels


@pytest.mark.django_db
def test_gantt_and_recurrence_words_come_translated(tree: Any) -> None:
    from banshi.projects import services
    from banshi.projects.linking import Recurrence, RecurrenceMonth
    from banshi.projects.views import milestone_chart

    today = datetime.date(2026, 11, 16)
    project = services.project_create(
        actor=None,
        org_unit=tree.xiufeng,
        lead_unit=tree.xiufeng,
        data=services.ProjectData(
            name="新大塘社区自来水改造",
            source="citizen_order",
            field="utilities",
            target="解决水压不足",
            target_quantity="326",
            target_unit="户",
            handling_type="deadline",
            start_date=today - datetime.timedelta(days=30),
            deadline=today + datetime.timedelta(days=30),
            milestones=[services.MilestoneIn("管网更换", today, 100)],
        ),
    )
    recurrence = Recurrence(
        ["水压不足"], "秀峰街道", [RecurrenceMonth(today.replace(day=1), 3, "before")], 12, None
    )
    with pseudo_english():
        gantt = milestone_chart(project, today)["labels"]
        chart = recurrence.chart()["labels"]
        phase = recurrence.months[0].phase_label
    assert gantt["today"] == "«今天»" and "%(date)s" in gantt["planned"]
    assert all(v.startswith("«") for v in [*gantt.values(), *chart.values(), phase])
    assert "%(phase)s" in chart["tooltip"] and "%(count)s" in chart["tooltip"]


# --- Board months, cadence summaries, household relations, form words -------------------------------


@pytest.mark.django_db
def test_board_months_and_cadence_summaries_are_translated(tree: Any, cast: Any) -> None:
    from banshi.projects.models import CadenceRun

    CadenceRun.objects.create(kind="weekly", period="2026-W47", summary={"在推项目": 3, "红灯": 1})
    client = _english_client(cast.superuser(tree.city))
    with pseudo_english():
        board = client.get("/projects/board/", {"year": "2026"}).content.decode()
        cadence = client.get("/projects/cadence/").content.decode()
    head = board[board.index("<thead>") : board.index("</thead>")]
    assert "«1月»" in head and "«12月»" in head and bare_chinese(head) == []
    assert "«在推项目» 3 · «红灯» 1" in cadence


def test_household_relations_are_translated_and_others_kept() -> None:
    from banshi.grid.models import Resident

    with pseudo_english():
        assert Resident(relation="户主").relation_label == "«户主»"
        assert Resident(relation="配偶").relation_label == "«配偶»"
        assert Resident(relation="外孙女").relation_label == "外孙女"  # as the register says
    with translation.override("zh-hans"):
        assert Resident(relation="子女").relation_label == "子女"


@pytest.mark.django_db
def test_the_pickers_words_reach_the_scripts_translated() -> None:
    with pseudo_english():
        html = _english_client().get("/ask/").content.decode()
    for attribute in ("data-choose-first", "data-choose-leaf", "data-label-first", "data-none"):
        value = re.search(rf'{attribute}="([^"]*)"', html)
        assert value and value.group(1).startswith("«"), attribute
    chosen = re.search(r'data-chosen="([^"]*)"', html)
    assert chosen and chosen.group(1) == "«已选位置：{lat}, {lng}»"
