"""The strings English pages were still showing in Chinese go through the translation catalogue:
the countdown, chart legends, the Gantt's "today", cadence summaries, board months, household
relations, history notes and messages.

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
from django.utils import timezone, translation
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
    from banshi.accounts.roles import Role

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
    # Both figures, in whatever order the database keeps the summary's keys (jsonb sorts them).
    assert "«在推项目» 3" in cadence and "«红灯» 1" in cadence


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


# --- History notes --------------------------------------------------------------------------------

SYSTEM_ACTIONS = {"receive", "remind", "mark_overdue", "auto_urge", "escalate", "auto_rate"}


def _walk_requests(tree: Any, boss: Any) -> list[Any]:
    """Requests taken through most of their life by the services, as the hotline would."""
    from banshi.core.calendar import TZ
    from banshi.workorders.models import Category
    from banshi.workorders.services import SubmitInput, submit, transition

    leaf = Category.objects.get(code="010301")
    at = datetime.datetime(2026, 11, 2, 9, tzinfo=TZ)

    def new(n: int) -> Any:
        data = SubmitInput(
            channel="web",
            kind="complaint",
            category_id=leaf.pk,
            content=f"建湘路{n}号门前道路破损，雨天积水。",
            address="开福区秀峰街道新大塘社区建湘路",
            caller_name="张秀英",
            caller_phone="13812345678",
            org_unit=tree.datang,
        )
        return submit(actor=None, data=data, now=at + datetime.timedelta(minutes=n))[0]

    def run(order: Any, steps: list[tuple[float, Any, str, dict[str, Any]]]) -> Any:
        for hours, actor, action, data in steps:
            order = transition(
                actor=actor,
                order=order,
                action=action,
                data=data,
                now=at + datetime.timedelta(hours=hours),
            )
        return order

    handled = [
        (1, boss, "dispatch", {"lead_unit": tree.xiufeng.pk}),
        (2, boss, "sign", {}),
        (3, boss, "contact", {"note": "已电话联系"}),
        (4, boss, "request_extension", {"days": 3, "reason": "需协调施工"}),
        (5, boss, "approve_extension", {"note": "同意"}),
    ]
    late = [
        (400, None, "remind", {}),
        (500, None, "mark_overdue", {}),
        (520, None, "auto_urge", {}),
        (700, None, "escalate", {"days": 5}),
    ]
    closing = [
        (701, boss, "reply", {"result": "已修复", "solved": True}),
        (702, boss, "audit_pass", {}),
    ]
    first = run(new(1), [*handled, *late, *closing, (703, boss, "callback", {"unreachable": True})])
    second = run(new(2), [*handled, *closing, (900, None, "auto_rate", {})])
    third = run(new(3), [(1, boss, "invalidate", {"reason": "no_content", "note": "无"})])
    fourth = run(
        new(4),
        [
            (1, boss, "dispatch", {"lead_unit": tree.xiufeng.pk}),
            (2, boss, "request_return", {"reason": "不属于本单位职责"}),
            (3, boss, "redispatch", {"lead_unit": tree.xinhe.pk}),
        ],
    )
    fifth = run(new(5), [(1, boss, "merge", {"parent": first.number})])
    return [first, second, third, fourth, fifth]


@pytest.mark.django_db
def test_every_sentence_the_system_writes_on_a_timeline_is_translated(tree: Any, cast: Any) -> None:
    from banshi.core import phrases
    from banshi.workorders.models import Event

    boss = cast.superuser(tree.city)
    orders = _walk_requests(tree, boss)
    events = Event.objects.filter(order__in=orders)
    written = [
        e.note
        for e in events
        if e.note and (e.action in SYSTEM_ACTIONS or e.action.endswith("_public"))
    ]
    assert len(written) >= 12
    with pseudo_english():
        untranslated = [n for n in written if bare_chinese(phrases.translate(n))]
        page = _english_client(boss).get(f"/workorders/{orders[0].pk}/").content.decode()
    assert untranslated == []
    # (The pseudo catalogue wraps every value too; a real one leaves a unit's name alone.)
    assert "«已转交«秀峰街道»办理»" in page and "«已超过办结时限»" in page
    # People's own words stay as they wrote them.
    with pseudo_english():
        assert phrases.translate("已电话联系") == "已电话联系"


@pytest.mark.django_db
def test_a_projects_timeline_reads_in_the_page_language(tree: Any, cast: Any) -> None:
    from banshi.core import phrases
    from banshi.projects import services
    from banshi.projects.choices import ConfirmParty
    from banshi.projects.models import ProjectEvent

    leader = cast.make(Role.LEADER, tree.kaifu, name="谢伟")
    supervisor = cast.make(Role.SUPERVISOR, tree.kaifu, name="谢桂香")
    handler = cast.make(Role.HANDLER, tree.xiufeng, name="梁建华")
    today = timezone.localdate()
    project = services.project_create(
        actor=None,
        org_unit=tree.xiufeng,
        lead_unit=tree.xiufeng,
        lead_leader=leader,
        data=services.ProjectData(
            name="新大塘社区自来水改造",
            source="citizen_order",
            field="utilities",
            target="解决水压不足",
            target_quantity="326",
            target_unit="户",
            handling_type="deadline",
            start_date=today - datetime.timedelta(days=10),
            deadline=today + datetime.timedelta(days=50),
            responsible_person="梁建华",
        ),
    )
    project_list = services.list_create(
        actor=None, org_unit=tree.kaifu, name="开福区为民办实事清单", level="district", year=2026
    )
    t = services.project_transition
    project = t(actor=None, project=project, action="screen")
    services.list_place(actor=None, project=project, project_list=project_list)
    project = t(actor=None, project=project, action="approve")
    project = t(actor=None, project=project, action="assign")
    project = services.project_confirm(actor=leader, project=project, party=ConfirmParty.LEADER)
    project = services.project_confirm(actor=handler, project=project, party=ConfirmParty.UNIT)
    report = services.report_create(
        actor=handler,
        project=project,
        report_date=today,
        text="管网排查完成",
        percent=20,
        funds_spent="10",
        submit=True,
        today=today,
    )
    services.report_review(actor=supervisor, report=report, approve=True)
    with translation.override("en"):  # an English-speaking supervisor still writes Chinese history
        services.notice_issue(
            actor=supervisor,
            project=project,
            kind="supervise",
            content="请加快进度",
            due_date=today + datetime.timedelta(days=5),
        )
        services.inspection_record(
            actor=supervisor,
            project=project,
            inspected_at=datetime.datetime.now(datetime.UTC),
            place="新大塘社区",
            findings="管网更换进度正常",
            purpose="routine",
            passed=True,
        )
    labels = list(ProjectEvent.objects.filter(project=project).values_list("label", flat=True))
    assert "发出督办" in labels and "日常督查（通过）" in labels  # stored in Chinese
    with pseudo_english():
        untranslated = [label for label in labels if bare_chinese(phrases.translate(label))]
        page = _english_client(cast.superuser(tree.city)).get(f"/projects/{project.pk}/")
    assert untranslated == []
    timeline = page.content.decode()
    timeline = timeline[timeline.index('id="timeline"') :]
    assert "«征集录入»" in timeline and f"««{today:%Y-%m-%d}» 累计«20»%»" in timeline


# --- Messages ---------------------------------------------------------------------------------------


def test_every_message_template_reads_in_the_page_language() -> None:
    from banshi.core import phrases
    from banshi.notify.templates_registry import all_templates, render

    templates = all_templates()
    assert len(templates) > 20
    untranslated = []
    for key, template in templates.items():
        names = set(re.findall(r"\{(\w+)\}", template.subject + template.body))
        subject, body = render(key, {name: f"<{name}>" for name in names})
        assert HAN.search(subject + body), key  # stored and sent in Chinese
        with pseudo_english():
            for text in (subject, body):
                shown = phrases.translate(text)
                if bare_chinese(shown) or "«" not in shown:
                    untranslated.append((key, text))
    assert untranslated == []


@pytest.mark.django_db
def test_the_inbox_shows_a_stored_chinese_message_in_english(tree: Any, cast: Any) -> None:
    from banshi.notify.services import notify

    user = cast.make(Role.HANDLER, tree.xiufeng)
    notify(
        channel="inapp",
        template="workorder.extension_decided",
        context={"number": "20261116000001", "result": "已批准", "due": "11月20日 17:30"},
        recipient=user,
    )
    with pseudo_english():
        page = _english_client(user).get("/inbox/").content.decode()
    assert "«延期申请{result}：{number}»" not in page
    assert "«延期申请«已批准»：«20261116000001»»" in page
