"""Cadence jobs are idempotent per period and produce Excel and PDF (with an embedded CJK font);
Excel import checks every row and applies nothing when one is wrong; the satisfaction threshold
holds 销号 back. (The residents' online survey is tested in test_survey.py.)"""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from banshi.core.errors import ValidationFailed
from banshi.core.scheduler import jobs
from banshi.core.tests.spreadsheets import PAYLOADS, formulas
from banshi.projects import cadence, excel, services
from banshi.projects.choices import CadenceKind, NoticeKind, Status
from banshi.projects.models import CadenceRun, Project, SupervisionNotice
from banshi.projects.reports import embedded_fonts, font_family_key, has_cjk_font
from banshi.projects.services import imports
from banshi.projects.tests.conftest import Scene, xlsx

MONDAY = timezone.make_aware(datetime.datetime(2026, 3, 16, 8, 0))


def _lagging(scene: Scene) -> Project:
    """In progress for 30 of 60 days with nothing approved: yellow, and stale."""
    return scene.project(Status.IN_PROGRESS)


def test_cadence_jobs_are_registered() -> None:
    names = {job.name for job in jobs()}
    assert {
        "projects.weekly_digest",
        "projects.monthly_supervision",
        "projects.quarterly_dispatch",
    } <= names


def test_periods() -> None:
    assert cadence.week_period(datetime.date(2026, 3, 16)) == "2026-W12"
    assert cadence.month_period(datetime.date(2026, 3, 1)) == "2026-03"
    assert cadence.previous_quarter(datetime.date(2026, 1, 1)) == "2025-Q4"
    assert cadence.previous_quarter(datetime.date(2026, 4, 1)) == "2026-Q1"


def test_weekly_digest_runs_once_per_week_with_excel_and_a_cjk_pdf(scene: Scene) -> None:
    _lagging(scene)
    assert cadence.weekly_job(MONDAY) == 1
    assert cadence.weekly_job(MONDAY + datetime.timedelta(hours=3)) == 0
    assert cadence.weekly_job(MONDAY + datetime.timedelta(days=6)) == 0  # still the same week
    run = CadenceRun.objects.get(kind=CadenceKind.WEEKLY)
    assert run.period == "2026-W12" and run.scope_unit == scene.tree.xiufeng
    pdf = run.pdf.read()
    assert pdf.startswith(b"%PDF") and has_cjk_font(pdf)
    # The font the project ships, not whatever the machine has.
    assert "NotoSansSC" in {font_family_key(name) for name in embedded_fonts(pdf)}
    wb = load_workbook(io.BytesIO(run.excel.read()))
    sheet = wb["台账"]
    assert [c.value for c in sheet[2]][:3] == ["序号", "项目编号", "项目名称"]
    assert sheet["C3"].value == "新大塘社区自来水改造"
    assert {"本周变化", "滞后项目"} <= set(wb.sheetnames)
    assert cadence.weekly_job(MONDAY + datetime.timedelta(days=7)) == 1
    assert CadenceRun.objects.filter(kind=CadenceKind.WEEKLY).count() == 2


def test_monthly_supervision_notifies_lagging_units_once_per_month(scene: Scene) -> None:
    lagging = _lagging(scene)
    on_plan = scene.project(
        Status.APPROVED,
        name="按计划项目",
        start_date=timezone.localdate(),
        deadline=timezone.localdate() + datetime.timedelta(days=90),
    )
    now = timezone.now()
    assert cadence.monthly_job(now) == 1
    assert cadence.monthly_job(now) == 0
    notices = SupervisionNotice.objects.filter(kind=NoticeKind.SUPERVISE)
    assert list(notices.values_list("project_id", flat=True)) == [lagging.pk]
    assert notices.get().cadence_period == cadence.month_period(timezone.localdate(now))
    assert not SupervisionNotice.objects.filter(project=on_plan).exists()
    lagging.refresh_from_db()
    assert lagging.supervise_count == 1


def test_quarterly_pack_has_rates_by_level_and_unit(scene: Scene) -> None:
    scene.project(Status.CLOSED)
    _lagging(scene)
    # The pack for this quarter, made on the first day of the next one: as of this quarter's
    # last day, so both projects (made today) are in it.
    today = timezone.localdate()
    month = (today.month - 1) // 3 * 3 + 4
    next_first = datetime.date(today.year + (month > 12), (month - 1) % 12 + 1, 1)
    next_quarter = timezone.make_aware(datetime.datetime.combine(next_first, datetime.time(8)))
    assert cadence.quarterly_job(next_quarter) == 1
    assert cadence.quarterly_job(next_quarter + datetime.timedelta(days=40)) == 0  # same pack
    run = CadenceRun.objects.get(kind=CadenceKind.QUARTERLY)
    assert run.period == f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    assert (
        run.summary["立项项目"] == 2
        and run.summary["已销号"] == 1
        and run.summary["完成率"] == "50.0%"
    )
    wb = load_workbook(io.BytesIO(run.excel.read()))
    assert {"按清单层级", "按牵头单位", "滞后项目"} <= set(wb.sheetnames)


def test_a_failed_run_leaves_no_claim_so_the_next_loop_retries(
    scene: Scene, monkeypatch: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("字体缺失")

    monkeypatch.setattr("banshi.projects.reports.render_pdf", broken)
    with pytest.raises(RuntimeError):
        cadence.weekly_job(MONDAY)
    assert not CadenceRun.objects.exists()


IMPORT_ROW = [
    "",
    "秀峰街道加装电梯",
    "430105016",
    "开福区为民办实事清单",
    "群众点单",
    "梯位",
    "老旧小区加装电梯",
    4,
    "台",
    "摸底、设计、施工",
    "限期办",
    "谢伟",
    "430105016",
    "",
    "梁建华",
    "副主任",
    "2026-03-01",
    "2026-10-31",
    120,
    "完成设计|2026-04-30|20\n完成施工|2026-09-30|80",
]


def test_import_applies_every_row_when_all_are_right(scene: Scene) -> None:
    second = list(IMPORT_ROW)
    second[1] = "新河街道加装电梯"
    second[16] = datetime.datetime(2026, 3, 2)
    result = excel.import_ledger(
        actor=scene.admin, uploaded=xlsx([excel.IMPORT_COLUMNS, IMPORT_ROW, second])
    )
    assert result.ok, result.errors
    assert Project.objects.count() == 2
    project = Project.objects.get(name="秀峰街道加装电梯")
    assert project.lead_leader == scene.leader and project.milestones.count() == 2
    assert project.lists.get() == scene.city_list


@pytest.mark.parametrize(
    ("change", "row", "message"),
    [
        ({17: "2026-02-01"}, 3, "完成时限不能早于开始时间"),
        ({7: -4}, 3, "负数"),
        ({7: "四台"}, 3, "数字"),
        ({16: 45000}, 3, "应为日期"),
        ({19: "验收|2026-12-31|100"}, 3, "不在项目开始时间"),
        ({10: "马上办"}, 3, "办理类型"),
        ({2: "430111"}, 3, "不在您的管辖范围内"),
        ({11: "不存在的领导"}, 3, "牵头领导"),
        ({1: "长" * 201}, 3, "200"),
    ],
)
def test_import_reports_a_bad_row_in_chinese_and_applies_nothing(
    scene: Scene, change: dict[int, Any], row: int, message: str
) -> None:
    bad = list(IMPORT_ROW)
    bad[1] = "第二行"
    for index, value in change.items():
        bad[index] = value
    result = excel.import_ledger(
        actor=scene.admin, uploaded=xlsx([excel.IMPORT_COLUMNS, IMPORT_ROW, bad])
    )
    assert not result.ok
    assert [e.row for e in result.errors] == [row]
    assert message in result.errors[0].message
    assert not Project.objects.exists()


def test_import_refuses_wrong_columns_and_non_excel_files(scene: Scene) -> None:
    columns = list(excel.IMPORT_COLUMNS)
    columns[3] = "清单"
    result = excel.import_ledger(actor=scene.admin, uploaded=xlsx([columns, IMPORT_ROW]))
    assert result.errors[0].row == 1 and "第4列应为「所在清单」" in result.errors[0].message
    result = excel.import_ledger(
        actor=scene.admin, uploaded=xlsx([excel.IMPORT_COLUMNS[:-1], IMPORT_ROW])
    )
    assert "第20列" in result.errors[0].message
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationFailed, match="Excel"):
        excel.import_ledger(
            actor=scene.admin, uploaded=SimpleUploadedFile("a.xlsx", b"name,date\n")
        )
    assert not Project.objects.exists()


def test_import_reports_duplicate_numbers_in_the_file(scene: Scene) -> None:
    a, b = list(IMPORT_ROW), list(IMPORT_ROW)
    a[0] = b[0] = "KF-001"
    result = excel.import_ledger(actor=scene.admin, uploaded=xlsx([excel.IMPORT_COLUMNS, a, b]))
    assert [(e.row, "与第2行重复" in e.message) for e in result.errors] == [(3, True)]


def test_a_row_refused_while_applying_undoes_the_whole_import_and_names_its_row(
    scene: Scene, monkeypatch: Any
) -> None:
    """The race the checks cannot see (a number taken between check and apply): the rows already
    created are rolled back and the error names the row that failed."""
    second = list(IMPORT_ROW)
    second[1] = "新河街道加装电梯"
    real = imports.project_create
    calls = []

    def taken_on_second_row(**kwargs: Any) -> Project:
        calls.append(kwargs["data"].name)
        if len(calls) == 2:
            raise ValidationFailed("项目编号已被占用")
        return real(**kwargs)

    monkeypatch.setattr(imports, "project_create", taken_on_second_row)
    result = excel.import_ledger(
        actor=scene.admin, uploaded=xlsx([excel.IMPORT_COLUMNS, IMPORT_ROW, second])
    )
    assert [(e.row, e.message) for e in result.errors] == [(3, "项目编号已被占用")]
    assert result.created == [] and calls == ["秀峰街道加装电梯", "新河街道加装电梯"]
    assert not Project.objects.exists()


def test_closing_waits_for_enough_evaluations_and_the_threshold(
    scene: Scene, settings: Any
) -> None:
    project = scene.project(Status.VERIFIED)
    scene.evaluate(project, satisfied=8)
    with pytest.raises(ValidationFailed, match="至少需要10份"):
        services.project_transition(actor=scene.supervisor, project=project, action="close")
    scene.evaluate(project, not_=2)  # 8/10 = 80% < 90%
    with pytest.raises(ValidationFailed, match="低于销号要求的90%"):
        services.project_transition(actor=scene.supervisor, project=project, action="close")
    scene.evaluate(project, basic=10)  # 18/20 = 90%: exactly the threshold
    assert (
        services.project_transition(actor=scene.supervisor, project=project, action="close").status
        == Status.CLOSED
    )


def test_a_project_can_set_its_own_stricter_threshold(scene: Scene) -> None:
    project = scene.project(Status.VERIFIED)
    Project.objects.filter(pk=project.pk).update(min_satisfaction="0.95")
    project.refresh_from_db()
    scene.evaluate(project, satisfied=18, not_=2)  # 90%
    with pytest.raises(ValidationFailed, match="95%"):
        services.project_transition(actor=scene.supervisor, project=project, action="close")


def test_cadence_excel_writes_text_that_looks_like_a_formula_as_text(
    scene: Scene, monkeypatch: Any
) -> None:
    """Issue 8.3: the weekly pack repeats project names and notes on every sheet, as text."""
    link, plus, *_ = PAYLOADS
    scene.project(Status.IN_PROGRESS, name=link, measures=plus)
    # The PDF is not what this test is about (and needs a CJK font this machine may lack).
    monkeypatch.setattr(cadence.reports, "render_pdf", lambda template, context: b"%PDF-1.4")
    assert cadence.weekly_job(timezone.now()) == 1
    content = CadenceRun.objects.get(kind=CadenceKind.WEEKLY).excel.read()
    assert formulas(content) == []
    book = load_workbook(io.BytesIO(content))
    assert {"台账", "本周变化", "滞后项目"} <= set(book.sheetnames)
    for title in ("台账", "本周变化", "滞后项目"):
        values = [c for row in book[title].iter_rows(values_only=True) for c in row]
        assert link in values, title
    assert plus in [c.value for c in book["台账"][3]]
