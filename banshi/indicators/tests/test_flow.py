"""Entry at the owning level, approval by the level above, locking and the audited correction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from banshi.audit.models import ChangeRecord
from banshi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from banshi.indicators import selectors, services
from banshi.indicators.choices import Status
from banshi.indicators.models import Entry, Indicator, ReportEvent
from banshi.indicators.tests.conftest import approved

pytestmark = pytest.mark.django_db


def values_of(report: Any) -> dict[str, Decimal]:
    return {
        code: value
        for code, value in Entry.objects.filter(report=report).values_list(
            "indicator__code", "value"
        )
    }


def test_definitions_are_seeded_with_unit_and_kind() -> None:
    names = dict(Indicator.objects.values_list("name", "kind"))
    for name in ("学位", "床位", "车位", "厕位", "梯位", "摊位"):
        assert name in names
    assert names["学位"] == "flow"
    assert names["美丽宜居村庄"] == "stock"
    assert Indicator.objects.get(code="weijiufang").unit == "户"


def test_only_a_city_admin_adds_a_definition(tree: Any, people: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.indicator_create(
            actor=people.kaifu_admin, code="dianzhuang", name="充电桩", unit="个", kind="flow"
        )
    made = services.indicator_create(
        actor=people.city_admin, code="dianzhuang", name="充电桩", unit="个", kind="flow"
    )
    assert made.level == "district"
    with pytest.raises(Conflict):
        services.indicator_create(
            actor=people.city_admin, code="dianzhuang2", name="充电桩", unit="个", kind="flow"
        )


def test_enter_submit_approve_then_locked(tree: Any, people: Any) -> None:
    report = services.report_open(
        actor=people.kaifu_handler, org_unit=tree.kaifu, year=2026, quarter=1
    )
    report = services.values_set(
        actor=people.kaifu_handler, report=report, values={"xuewei": "1200", "chewei": 350}
    )
    report = services.report_transition(actor=people.kaifu_handler, report=report, action="submit")
    assert report.status == Status.SUBMITTED
    report = services.report_transition(
        actor=people.city_supervisor, report=report, action="approve"
    )
    assert report.status == Status.APPROVED and report.approved_at is not None

    with pytest.raises(Conflict) as err:
        services.values_set(actor=people.kaifu_handler, report=report, values={"xuewei": 1})
    assert err.value.code == "report_locked"
    assert values_of(report) == {"xuewei": Decimal("1200.00"), "chewei": Decimal("350.00")}
    assert [e.action for e in ReportEvent.objects.filter(report=report)] == ["submit", "approve"]


def test_nobody_approves_their_own_node(tree: Any, people: Any) -> None:
    report = services.report_open(
        actor=people.kaifu_admin, org_unit=tree.kaifu, year=2026, quarter=1
    )
    services.values_set(actor=people.kaifu_admin, report=report, values={"xuewei": 10})
    report = services.report_transition(actor=people.kaifu_admin, report=report, action="submit")
    with pytest.raises(PermissionDenied) as err:
        services.report_transition(actor=people.kaifu_admin, report=report, action="approve")
    assert err.value.code == "not_reviewer"
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_out_of_subtree_is_not_found(tree: Any, people: Any) -> None:
    report = services.report_open(actor=None, org_unit=tree.kaifu, year=2026, quarter=1)
    services.values_set(actor=None, report=report, values={"xuewei": 10})
    with pytest.raises(NotFound):
        services.report_open(actor=people.yuhua_admin, org_unit=tree.kaifu, year=2026, quarter=1)
    with pytest.raises(NotFound):
        services.values_set(actor=people.yuhua_admin, report=report, values={"xuewei": 99})
    with pytest.raises(NotFound):
        services.report_transition(actor=people.yuhua_admin, report=report, action="submit")
    with pytest.raises(NotFound):
        selectors.rollup(people.yuhua_admin, tree.kaifu, 2026)
    with pytest.raises(NotFound):
        selectors.report(people.yuhua_admin, report.pk)
    assert values_of(report) == {"xuewei": Decimal("10.00")}


def test_a_reader_cannot_enter(tree: Any, people: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.report_open(actor=people.kaifu_leader, org_unit=tree.kaifu, year=2026, quarter=1)


def test_entry_only_at_the_owning_level(tree: Any, people: Any) -> None:
    with pytest.raises(ValidationFailed) as err:
        services.report_open(actor=people.kaifu_admin, org_unit=tree.xiufeng, year=2026, quarter=1)
    assert err.value.code == "not_owner_level"
    street = services.indicator_create(
        actor=people.city_admin,
        code="jiedao",
        name="街道便民点",
        unit="个",
        kind="flow",
        level="street",
    )
    report = services.report_open(
        actor=people.kaifu_admin, org_unit=tree.kaifu, year=2026, quarter=1
    )
    with pytest.raises(ValidationFailed) as err:
        services.values_set(
            actor=people.kaifu_admin, report=report, values={"xuewei": 5, street.code: 3}
        )
    assert err.value.code == "not_owner_level"
    assert "街道" in err.value.detail
    assert values_of(report) == {}


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("-3", "negative_value"),
        ("abc", "invalid_value"),
        ("1.005", "invalid_value"),
        ("", "invalid_value"),
        ("NaN", "invalid_value"),
    ],
)
def test_bad_values_write_nothing(tree: Any, people: Any, raw: str, code: str) -> None:
    report = services.report_open(
        actor=people.kaifu_admin, org_unit=tree.kaifu, year=2026, quarter=1
    )
    with pytest.raises(ValidationFailed) as err:
        services.values_set(
            actor=people.kaifu_admin, report=report, values={"chewei": 5, "tanwei": raw}
        )
    assert err.value.code == code
    assert values_of(report) == {}


def test_bad_period_is_refused(tree: Any, people: Any) -> None:
    for year, quarter in ((2026, 5), (1999, 1), ("x", 1)):
        with pytest.raises(ValidationFailed):
            services.report_open(
                actor=people.kaifu_admin, org_unit=tree.kaifu, year=year, quarter=quarter
            )


def test_return_needs_a_reason_and_reopens_entry(tree: Any, people: Any) -> None:
    report = services.report_open(
        actor=people.kaifu_admin, org_unit=tree.kaifu, year=2026, quarter=2
    )
    services.values_set(actor=people.kaifu_admin, report=report, values={"xuewei": 10})
    report = services.report_transition(actor=people.kaifu_admin, report=report, action="submit")
    with pytest.raises(ValidationFailed):
        services.report_transition(actor=people.city_admin, report=report, action="return")
    report = services.report_transition(
        actor=people.city_admin, report=report, action="return", note="学位数与教育局口径不一致"
    )
    assert report.status == Status.RETURNED
    report = services.values_set(actor=people.kaifu_admin, report=report, values={"xuewei": 12})
    assert values_of(report) == {"xuewei": Decimal("12.00")}


def test_empty_report_cannot_be_submitted(tree: Any, people: Any) -> None:
    report = services.report_open(
        actor=people.kaifu_admin, org_unit=tree.kaifu, year=2026, quarter=3
    )
    with pytest.raises(ValidationFailed) as err:
        services.report_transition(actor=people.kaifu_admin, report=report, action="submit")
    assert err.value.code == "empty_report"


def test_correction_of_a_locked_value_is_audited(tree: Any, people: Any) -> None:
    report = approved(tree.kaifu, 2026, 1, {"xuewei": 1200})
    before = report.version
    with pytest.raises(PermissionDenied):
        services.value_correct(
            actor=people.kaifu_admin, report=report, indicator="xuewei", value=1300, reason="漏报"
        )
    with pytest.raises(ValidationFailed):
        services.value_correct(
            actor=people.city_admin, report=report, indicator="xuewei", value=1300, reason="  "
        )
    with pytest.raises(ValidationFailed):
        services.value_correct(
            actor=people.city_admin, report=report, indicator="xuewei", value=-1, reason="漏报"
        )
    assert values_of(report) == {"xuewei": Decimal("1200.00")}
    assert not ChangeRecord.objects.filter(action="indicator.correct").exists()

    report = services.value_correct(
        actor=people.city_admin,
        report=report,
        indicator="xuewei",
        value=1300,
        reason="漏报新建小学100个学位",
        expected_version=before,
    )
    assert report.status == Status.APPROVED and report.version == before + 1
    assert values_of(report) == {"xuewei": Decimal("1300.00")}
    record = ChangeRecord.objects.get(action="indicator.correct")
    assert record.before == {"xuewei": "1200.00"}
    assert record.after == {"xuewei": "1300.00", "reason": "漏报新建小学100个学位"}
    assert record.actor == people.city_admin
    event = ReportEvent.objects.get(report=report, action="correct")
    assert "1200.00 → 1300.00" in event.note

    with pytest.raises(Conflict):  # the form's version is now stale
        services.value_correct(
            actor=people.city_admin,
            report=report,
            indicator="xuewei",
            value=1400,
            reason="再改",
            expected_version=before,
        )


def test_correction_is_only_for_locked_reports(tree: Any, people: Any) -> None:
    report = services.report_open(actor=None, org_unit=tree.kaifu, year=2026, quarter=1)
    services.values_set(actor=None, report=report, values={"xuewei": 1})
    with pytest.raises(Conflict) as err:
        services.value_correct(
            actor=people.city_admin, report=report, indicator="xuewei", value=2, reason="x"
        )
    assert err.value.code == "not_locked"


def test_unchanged_values_do_not_bump_the_version(tree: Any, people: Any) -> None:
    report = services.report_open(
        actor=people.kaifu_admin, org_unit=tree.kaifu, year=2026, quarter=1
    )
    report = services.values_set(actor=people.kaifu_admin, report=report, values={"xuewei": 5})
    version = report.version
    report = services.values_set(actor=people.kaifu_admin, report=report, values={"xuewei": "5.00"})
    assert report.version == version
