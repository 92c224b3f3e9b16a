"""The demo requests: complete histories through the services, every queue and light filled, the
article's cases present, and a second run that adds nothing."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest

from banshi.core.calendar import TZ
from banshi.core.choices import Colour
from banshi.demo.seed import seed_accounts
from banshi.orgtree.importer import import_units
from banshi.orgtree.models import OrgUnit
from banshi.workorders.choices import Status
from banshi.workorders.clock import light_of
from banshi.workorders.demo import KEY_PREFIX, seed_workorders
from banshi.workorders.models import Event, UnitMonthStats, WorkOrder
from banshi.workorders.selectors import QUEUES, queue

NOW = datetime.datetime(2026, 11, 16, 10, 0, tzinfo=TZ)  # a Monday morning
pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db: Any) -> str:
    import_units()
    seed_accounts()
    return seed_workorders(60, now=NOW)


def _demo() -> Any:
    return WorkOrder.objects.filter(submission_key__startswith=KEY_PREFIX)


def test_the_demo_creates_requests_with_histories_and_a_second_run_adds_nothing(
    seeded: str,
) -> None:
    assert "新建60条" in seeded
    orders = _demo()
    assert orders.count() == 60
    events = Event.objects.count()
    started = time.monotonic()
    again = seed_workorders(60, now=NOW + datetime.timedelta(hours=1))
    assert time.monotonic() - started < 2
    assert "已存在" in again
    assert _demo().count() == 60
    assert Event.objects.count() == events
    # Every request has a receive event and one event per version step.
    for order in orders:
        actions = list(order.events.values_list("action", flat=True))
        assert actions.count("receive") == 1
        steps = [a for a in actions if a != "receive" and not a.endswith("_public")]
        assert len(steps) == order.version


def _every_state_queue_and_light_occurs() -> None:
    from banshi.accounts.models import User

    statuses = set(_demo().values_list("status", flat=True))
    for status in [
        Status.RECEIVED,
        Status.PENDING_DISPATCH,
        Status.DISPATCHED,
        Status.RETURN_REQUESTED,
        Status.IN_PROGRESS,
        Status.REPLIED,
        Status.CALLBACK,
        Status.CLOSED,
        Status.ANSWERED,
        Status.MERGED,
    ]:
        assert status in statuses, status
    lights = {light_of(o, NOW) for o in _demo()}
    assert {Colour.GREEN, Colour.BLUE, Colour.YELLOW, Colour.RED} <= lights
    boss = User.objects.get(mobile="19900000001")
    for name in QUEUES:
        assert queue(boss, name, now=NOW).exists(), name
    # The centre's and a unit's own queues through their real accounts.
    dispatcher = User.objects.get(mobile="19900000012")
    assert queue(dispatcher, "to_dispatch", now=NOW).exists()
    water = User.objects.get(mobile="19900000017")
    assert queue(water, "to_sign", now=NOW).exists()
    closed = _demo().filter(status=Status.CLOSED)
    assert closed.exclude(satisfaction="").exists()
    assert closed.filter(rated_by="citizen").exists()
    assert _demo().filter(reopen_count__gt=0).exists()
    assert _demo().filter(urge_count__gt=0).exists()
    assert _demo().filter(escalated_at__isnull=False).exists()
    assert UnitMonthStats.objects.filter(month=datetime.date(2026, 11, 1)).exists()


def _the_articles_cases_are_there_with_their_units() -> None:
    tunnel = WorkOrder.objects.get(submission_key=f"{KEY_PREFIX}meixi-tunnel")
    assert tunnel.lead_unit is not None and tunnel.lead_unit.code == "4301P01"
    assert tunnel.status == Status.CLOSED and tunnel.satisfaction == "satisfied"
    assert tunnel.merged_children.count() == 4
    assert tunnel.extended_days == 10
    station = WorkOrder.objects.get(submission_key=f"{KEY_PREFIX}station-square")
    assert station.lead_unit is not None and station.lead_unit.code == "430102"
    assert {link.unit.code for link in station.co_unit_links.all()} == {"4301F02"}
    parking = WorkOrder.objects.get(submission_key=f"{KEY_PREFIX}xiangya-parking")
    assert parking.org_unit.name == "湘雅路街道" and "湘雅医院" in parking.title
    assert parking.status == Status.IN_PROGRESS
    water = WorkOrder.objects.get(submission_key=f"{KEY_PREFIX}datang-water")
    assert water.org_unit.code == "430105016005" and water.lead_unit.code == "4301F03"  # type: ignore[union-attr]
    assert water.reopen_count == 1 and water.status == Status.CLOSED


def _callers_use_the_demo_number_block_and_points_fall_in_their_district() -> None:
    from banshi.orgtree.geo import district_code_at

    for phone in _demo().values_list("caller_phone", flat=True):
        assert phone.startswith("199000") and 2 <= int(phone[6]) <= 9, phone
    pinned = _demo().filter(latitude__isnull=False).select_related("org_unit")
    assert pinned.exists()
    for order in pinned:
        code = district_code_at(float(order.longitude), float(order.latitude))  # type: ignore[arg-type]
        assert code is not None
        assert order.org_unit.path.startswith(OrgUnit.objects.get(code=code).path)


def test_the_demo_fills_every_queue_and_light_and_tells_the_articles_cases(seeded: str) -> None:
    _every_state_queue_and_light_occurs()
    _the_articles_cases_are_there_with_their_units()
    _callers_use_the_demo_number_block_and_points_fall_in_their_district()
