"""未诉先办: findings on hand-built histories, proposals made from them once, and the rulings."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from banshi.accounts.roles import Role
from banshi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from banshi.core.scheduler import jobs, run_once
from banshi.insight import selectors, services
from banshi.insight.choices import ProposalKind, ProposalStatus
from banshi.insight.detect import poisson_tail
from banshi.insight.models import DetectionRun, MonthlyTopic, Proposal
from banshi.projects.models import Project, ProjectWorkOrder

from .conftest import NOW

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
WATER = "040101"


def _spike_history(requests_: Any) -> None:
    """One 停水 request a week at 新大塘社区 for four weeks, then five on the morning of NOW's day."""
    for weeks in (1, 2, 3, 4):
        requests_.submit(WATER, content="小区停水", now=NOW - DAY * (3 + 7 * weeks))
    morning = NOW.replace(hour=7, minute=0)
    for i in range(5):
        requests_.submit(
            WATER, content=f"又停水了{i}", now=morning + datetime.timedelta(minutes=10 * i)
        )


def _kinds(now: datetime.datetime) -> list[str]:
    services.proposals_detect(now)
    return sorted(Proposal.objects.values_list("kind", flat=True))


def test_the_poisson_tail_is_right() -> None:
    assert poisson_tail(0, 1.0) == 1.0
    assert poisson_tail(1, 1.0) == pytest.approx(1 - 0.36787944, abs=1e-7)
    assert poisson_tail(5, 1.0) == pytest.approx(0.0036598, abs=1e-6)


def test_a_spike_is_found_on_the_day_it_begins_and_no_earlier(requests_: Any, tree: Any) -> None:
    _spike_history(requests_)
    day_before = NOW.replace(hour=23, minute=0) - DAY
    early_today = NOW.replace(hour=6, minute=59)
    assert ProposalKind.SPIKE not in _kinds(day_before)
    assert ProposalKind.SPIKE not in _kinds(early_today)
    assert ProposalKind.SPIKE in _kinds(NOW)
    spike = Proposal.objects.get(kind=ProposalKind.SPIKE)
    assert spike.org_unit == tree.xiufeng  # counted per street
    assert spike.category.code == WATER
    assert spike.count == 5 and spike.orders.count() == 5
    assert spike.evidence == {
        "window_days": 7,
        "baseline_days": 28,
        "count": 5,
        "baseline": 4,
        "expected": 1.0,
        "p": pytest.approx(0.00366, abs=1e-5),
    }
    assert "泊松检验" in spike.statistic and "P(X≥5)=0.0037" in spike.statistic


def test_a_rise_within_the_baseline_is_no_spike(requests_: Any) -> None:
    for day in range(34):  # about one a day, every day
        requests_.submit(WATER, content="停水", now=NOW - DAY * day)
    assert ProposalKind.SPIKE not in _kinds(NOW)


def test_three_at_one_place_make_a_hotspot_proposal_once(requests_: Any, tree: Any) -> None:
    made = [requests_.submit("010303", content="路灯不亮", now=NOW - DAY * d) for d in (1, 5, 9)]
    assert services.proposals_detect(NOW) == 1
    hot = Proposal.objects.get(kind=ProposalKind.HOTSPOT)
    assert hot.org_unit == tree.datang
    assert set(hot.orders.values_list("pk", flat=True)) == {o.pk for o in made}
    assert "30日内3件" in hot.statistic
    assert services.proposals_detect(NOW) == 0  # again: nothing new
    fourth = requests_.submit("010303", content="路灯还是不亮", now=NOW)
    assert services.proposals_detect(NOW) == 0
    hot.refresh_from_db()
    assert hot.count == 4 and fourth.pk in set(hot.orders.values_list("pk", flat=True))
    assert Proposal.objects.filter(kind=ProposalKind.HOTSPOT).count() == 1


def test_a_repeated_caller_is_proposed_without_their_number(requests_: Any) -> None:
    phone = "13912340001"
    for i, code in enumerate(["010303", "010301", "010303"]):
        requests_.submit(code, content=f"第{i}次反映", caller_phone=phone, now=NOW - DAY * i * 3)
    requests_.submit("040101", content="别人", caller_phone="13912340002", now=NOW)
    services.proposals_detect(NOW)
    found = Proposal.objects.get(kind=ProposalKind.REPEAT_CALLER)
    assert found.count == 3
    assert "139****0001" in found.title
    text = f"{found.title}{found.statistic}{found.evidence}{found.subject}"
    assert phone not in text
    assert found.category.code == "010303"  # the category raised most


def test_what_was_high_at_this_time_last_year_is_proposed_ahead(requests_: Any) -> None:
    last_year = NOW - datetime.timedelta(days=360)
    for i in range(6):
        requests_.submit("020101", content=f"渣土车噪音{i}", now=last_year + DAY * i)
    requests_.submit("020101", content="渣土车噪音", now=NOW - datetime.timedelta(days=200))
    services.proposals_detect(NOW)
    season = Proposal.objects.get(kind=ProposalKind.SEASONAL)
    assert season.count == 6
    assert season.subject.endswith(":2026")
    assert "去年同期高发" in season.title
    assert "共6件" in season.statistic


def test_a_dismissed_finding_returns_only_with_new_requests(
    requests_: Any, cast: Any, tree: Any
) -> None:
    for d in (1, 5, 9):
        requests_.submit("010303", content="路灯不亮", now=NOW - DAY * d)
    services.proposals_detect(NOW)
    hot = Proposal.objects.get(kind=ProposalKind.HOTSPOT)
    supervisor = cast.make(Role.SUPERVISOR, tree.kaifu)
    with pytest.raises(ValidationFailed):
        services.proposal_dismiss(actor=supervisor, proposal=hot, reason="  ")
    services.proposal_dismiss(actor=supervisor, proposal=hot, reason="已列入本月路灯检修计划")
    hot.refresh_from_db()
    assert hot.status == ProposalStatus.DISMISSED
    assert hot.decided_by == supervisor and hot.dismiss_reason == "已列入本月路灯检修计划"
    with pytest.raises(Conflict):
        services.proposal_dismiss(actor=supervisor, proposal=hot, reason="再驳回一次")
    later = hot.decided_at + HOUR
    assert services.proposals_detect(later) == 0
    for i in range(3):
        requests_.submit("010303", content=f"路灯又坏了{i}", now=later + HOUR * i)
    assert services.proposals_detect(later + DAY) == 1
    renewed = Proposal.objects.get(kind=ProposalKind.HOTSPOT, status=ProposalStatus.OPEN)
    assert renewed.count == 3


@pytest.fixture
def hotspot(requests_: Any) -> Proposal:
    for d in (1, 5, 9):
        requests_.submit("010303", content="小区路灯不亮", now=NOW - DAY * d)
    services.proposals_detect(NOW)
    return Proposal.objects.get(kind=ProposalKind.HOTSPOT)


def test_a_proposal_becomes_a_project_through_the_projects_service(
    hotspot: Proposal, cast: Any, tree: Any
) -> None:
    leader = cast.make(Role.LEADER, tree.kaifu)
    project = services.proposal_to_project(
        actor=leader,
        proposal=hotspot,
        choice=services.ProjectChoice(name="新大塘社区路灯整治", deadline="2027-01-31"),
    )
    assert project.name == "新大塘社区路灯整治"
    assert project.status == "collected" and project.source == "hotline_cluster"
    assert project.org_unit == tree.datang
    assert str(project.deadline) == "2027-01-31"
    linked = set(
        ProjectWorkOrder.objects.filter(project=project).values_list("order_id", flat=True)
    )
    assert linked == set(hotspot.orders.values_list("pk", flat=True))
    hotspot.refresh_from_db()
    assert hotspot.status == ProposalStatus.PROJECT and hotspot.project == project


def test_a_proposal_becomes_the_problem_of_the_month(
    hotspot: Proposal, cast: Any, tree: Any
) -> None:
    supervisor = cast.make(Role.SUPERVISOR, tree.kaifu)
    topic = services.proposal_to_topic(
        actor=supervisor,
        proposal=hotspot,
        choice=services.TopicChoice(
            month="2026-12",
            title="老旧小区路灯不亮",
            lead_unit=tree.xiufeng,
            target="12月底前修复并巡检辖区全部路灯",
            deadline="2026-12-31",
        ),
    )
    assert topic.month == datetime.date(2026, 12, 1)
    assert topic.lead_unit == tree.xiufeng and topic.proposal == hotspot
    project = topic.project
    assert project.name == "每月一题（2026年12月）：老旧小区路灯不亮"
    assert project.lead_unit == tree.xiufeng
    assert project.target == "12月底前修复并巡检辖区全部路灯"
    assert ProjectWorkOrder.objects.filter(project=project).count() == 3
    hotspot.refresh_from_db()
    assert hotspot.status == ProposalStatus.TOPIC
    assert list(selectors.topics(supervisor)) == [topic]
    with pytest.raises(ValidationFailed, match="月份"):
        services.parse_month("2026-13")


def test_reviewing_is_for_supervisors_and_leaders_in_scope(
    hotspot: Proposal, cast: Any, tree: Any
) -> None:
    analyst = cast.make(Role.ANALYST, tree.kaifu)
    assert selectors.get_proposal(analyst, hotspot.pk) == hotspot
    with pytest.raises(PermissionDenied):
        services.proposal_dismiss(actor=analyst, proposal=hotspot, reason="不是问题")
    outsider = cast.make(Role.SUPERVISOR, tree.yuhua)
    with pytest.raises(NotFound):
        selectors.get_proposal(outsider, hotspot.pk)
    with pytest.raises(NotFound):
        services.proposal_dismiss(actor=outsider, proposal=hotspot, reason="越权")
    assert Proposal.objects.get(pk=hotspot.pk).status == ProposalStatus.OPEN
    assert not Project.objects.exists() and not MonthlyTopic.objects.exists()


def test_detection_runs_once_an_hour_from_the_scheduler(requests_: Any) -> None:
    for d in (1, 5, 9):
        requests_.submit("010303", content="路灯不亮", now=NOW - DAY * d)
    assert "insight.proposals" in {job.name for job in jobs()}
    assert run_once(NOW, only={"insight.proposals"}) == {"insight.proposals": 1}
    assert services.proposals_job(NOW + datetime.timedelta(minutes=30)) == 0
    assert DetectionRun.objects.get().found == 1
    assert services.proposals_job(NOW + HOUR) == 0  # ran, found nothing new
    assert DetectionRun.objects.count() == 2


def test_the_cockpit_and_the_proposal_page(
    client: Client, hotspot: Proposal, cast: Any, tree: Any
) -> None:
    client.force_login(cast.make(Role.ANALYST, tree.kaifu))
    home = client.get("/insight/")
    assert home.status_code == 200
    html = home.content.decode()
    assert "待审查线索（1）" in html and hotspot.title in html
    page = client.get(f"/insight/proposals/{hotspot.pk}/")
    assert page.status_code == 200
    assert page.content.decode().count("/workorders/") >= 3
    assert "审查由督查员或牵头领导进行" in page.content.decode()
    assert (
        client.post(f"/insight/proposals/{hotspot.pk}/dismiss/", {"reason": "x"}).status_code == 403
    )
    client.force_login(cast.make(Role.SUPERVISOR, tree.kaifu))
    empty = client.post(f"/insight/proposals/{hotspot.pk}/dismiss/", {"reason": ""})
    assert empty.status_code == 400 and "驳回理由不能为空" in empty.content.decode()
    done = client.post(f"/insight/proposals/{hotspot.pk}/dismiss/", {"reason": "已处理"})
    assert done.status_code == 302
    assert Proposal.objects.get(pk=hotspot.pk).status == ProposalStatus.DISMISSED
    client.force_login(cast.make(Role.SUPERVISOR, tree.yuhua))
    assert client.get(f"/insight/proposals/{hotspot.pk}/").status_code == 404
    assert client.get("/insight/proposals/abc/").status_code == 404
    client.force_login(cast.make(Role.HANDLER, tree.kaifu))
    assert client.get("/insight/").status_code == 403


def test_a_topic_from_the_page_goes_to_the_topics_list(
    client: Client, hotspot: Proposal, cast: Any, tree: Any
) -> None:
    client.force_login(cast.make(Role.LEADER, tree.kaifu))
    form = client.get(f"/insight/proposals/{hotspot.pk}/").content.decode()
    assert 'name="lead_unit" id="t-lead" maxlength="100" value="430105016005"' in form
    unknown = client.post(
        f"/insight/proposals/{hotspot.pk}/topic/",
        {"month": "2026-12", "title": "路灯", "lead_unit": "跳马镇", "target": "修复"},
    )
    assert unknown.status_code == 400 and "不在您的管辖范围内" in unknown.content.decode()
    response = client.post(
        f"/insight/proposals/{hotspot.pk}/topic/",
        {
            "month": "2026-12",
            "title": "路灯不亮",
            "lead_unit": "秀峰街道",
            "target": "全部修复",
            "deadline": "2026-12-31",
        },
    )
    assert response.status_code == 302
    assert MonthlyTopic.objects.get().lead_unit == tree.xiufeng
    listing = client.get("/insight/topics/").content.decode()
    assert "路灯不亮" in listing and "2026年12月" in listing
    bad = client.post(f"/insight/proposals/{hotspot.pk}/project/", {"name": "再转一次"})
    assert bad.status_code == 409
