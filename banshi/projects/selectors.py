"""Every non-trivial read of the ledger, always through the acting user's scope."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from banshi.accounts.models import User
from banshi.accounts.selectors import holders_at
from banshi.core.choices import Colour, Satisfaction
from banshi.core.errors import NotFound
from banshi.core.scoping import scope_paths
from banshi.core.validation import parse_id
from banshi.orgtree.models import SEGMENT_WIDTH, OrgUnit
from banshi.projects.assignment import assignable_units
from banshi.projects.choices import (
    ACTIVE_STATUSES,
    ItemStatus,
    ReportStatus,
    Status,
    SurveyRejectReason,
)
from banshi.projects.lag import annotate_lag
from banshi.projects.models import (
    CadenceRun,
    DeadlineChange,
    LeaderLink,
    ListEntry,
    Meeting,
    ProgressReport,
    Project,
    ProjectList,
    ProjectQuerySet,
    SupervisedItem,
    SupervisionNotice,
    SurveyInvitation,
    SurveyRejection,
)
from banshi.projects.permissions import can_complete_item, can_project
from banshi.projects.services.ledger import required_satisfaction, satisfaction

VIEW = "project.view"


def with_ledger_relations(qs: QuerySet[Project]) -> QuerySet[Project]:
    return qs.select_related("org_unit", "lead_unit", "lead_leader").prefetch_related(
        "milestones",
        "co_units",
        Prefetch(
            "list_entries",
            queryset=ListEntry.objects.select_related("project_list").order_by("project_list_id"),
        ),
    )


def visible_projects(user: Any, action: str = VIEW) -> ProjectQuerySet:
    return Project.objects.for_user(user, action)


def get_project(user: Any, project_id: Any, action: str = VIEW) -> Project:
    """The project, or NotFound when it does not exist or lies out of the user's sight."""
    pk = parse_id(project_id, field="项目编号")
    project = with_ledger_relations(visible_projects(user, VIEW)).filter(pk=pk).first()
    if project is None:
        raise NotFound()
    return project


@dataclass
class LedgerFilters:
    list_id: int | None = None
    level: str = ""
    unit: OrgUnit | None = None
    leader_id: int | None = None
    colour: str = ""
    status: str = ""
    field: str = ""
    q: str = ""
    stale_only: bool = False


def ledger(user: Any, filters: LedgerFilters, today: datetime.date) -> list[Project]:
    """The ledger rows the user may see, filtered, each with its computed ``lag``.

    The colour is computed, not stored, so filtering by colour happens after the database has
    narrowed the rows by everything else.
    """
    qs = visible_projects(user)
    if filters.list_id:
        qs = qs.filter(list_entries__project_list_id=filters.list_id)
    if filters.level:
        qs = qs.filter(list_entries__project_list__level=filters.level)
    if filters.unit is not None:  # the unit's own projects and those it leads
        qs = qs.within_paths([filters.unit.path], via=("home", "lead"))
    if filters.leader_id:
        qs = qs.filter(lead_leader_id=filters.leader_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.field:
        qs = qs.filter(field=filters.field)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(number__icontains=filters.q))
    rows = annotate_lag(with_ledger_relations(qs.distinct()).order_by("number"), today)
    if filters.colour:
        rows = [p for p in rows if p.lag.colour == filters.colour]  # type: ignore[attr-defined]
    if filters.stale_only:
        rows = [p for p in rows if p.lag.stale]  # type: ignore[attr-defined]
    return rows


def colour_counts(rows: list[Project]) -> dict[str, int]:
    counts = {c: 0 for c in Colour.values}
    stale = 0
    for p in rows:
        counts[p.lag.colour] += 1  # type: ignore[attr-defined]
        stale += p.lag.stale  # type: ignore[attr-defined]
    counts["stale"] = stale
    return counts


def visible_lists(user: Any) -> QuerySet[ProjectList]:
    """Lists owned within the user's scope, and lists holding a project the user can see."""
    with_visible = ListEntry.objects.filter(project__in=visible_projects(user)).values(
        "project_list_id"
    )
    return (
        ProjectList.objects.filter(
            Q(pk__in=ProjectList.objects.for_user(user, VIEW).values("pk")) | Q(pk__in=with_visible)
        )
        .annotate(size=Count("entries", distinct=True))
        .order_by("-year", "level", "name")
    )


def get_list(user: Any, list_id: Any) -> ProjectList:
    pk = parse_id(list_id, field="清单编号")
    item = visible_lists(user).filter(pk=pk).first()
    if item is None:
        raise NotFound()
    return item


def leaders_in_sight(user: Any) -> QuerySet[User]:
    ids = visible_projects(user).exclude(lead_leader=None).values("lead_leader_id")
    return User.objects.filter(pk__in=ids).order_by("name")


def leaders_at(units: list[OrgUnit]) -> QuerySet[User]:
    """The people who may be named 牵头领导 or 联点领导 of work at ``units``: holders of a
    leader's grant reaching one of them (the rule ``ledger.check_leader`` and ``link_create``
    apply)."""
    return holders_at("project.lead", units).select_related("org_unit").order_by("name", "pk")


def get_leader(leader_id: Any, units: list[OrgUnit]) -> User:
    """A leader for work at ``units`` by id. A missing id, someone who is no leader there and a
    malformed id get the same 404, so ids cannot be probed for who exists."""
    try:
        pk = parse_id(leader_id, field="领导编号")
    except NotFound:
        pk = 0
    leader = leaders_at(units).filter(pk=pk).first() if pk else None
    if leader is None:
        raise NotFound("所选领导不存在或不是该单位的领导")
    return leader


def get_assignable_unit(
    place: OrgUnit, unit_id: Any, *, field: str, extra: Sequence[OrgUnit] = ()
) -> OrgUnit:
    """One unit for work at ``place`` by id; a missing id and a unit that does not serve the
    place answer the same 404."""
    try:
        pk = parse_id(unit_id, field=field)
    except NotFound:
        pk = 0
    unit = assignable_units(place, extra).filter(pk=pk).first() if pk else None
    if unit is None:
        raise NotFound(f"{field}不存在或不负责{place.name}的工作")
    return unit


def units_in_sight(user: Any) -> QuerySet[OrgUnit]:
    ids = visible_projects(user).values("lead_unit_id")
    return OrgUnit.objects.filter(pk__in=ids).order_by("path")


def reports_for(user: Any, project: Project) -> QuerySet[ProgressReport]:
    """Approved reports for every viewer; drafts and returned ones only for the reporting unit
    and the supervisors who review them."""
    qs = project.reports.select_related("author", "reviewed_by").prefetch_related(
        "attachments", "completed_milestones"
    )
    if can_project(user, "project.report", project) or can_project(
        user, "project.supervise", project
    ):
        return qs
    return qs.filter(status=ReportStatus.APPROVED)


@dataclass
class EvaluationSummary:
    total: int
    counts: dict[str, int]
    rate: Any
    required_rate: Any
    required_count: int
    comments: list[Any]
    # The same counts split by respondent: residents (SMS-verified mobile, on-site paper survey)
    # and the citizens of linked requests (their invitation, or their request's mobile).
    residents: dict[str, int] = field(default_factory=dict)
    linked: dict[str, int] = field(default_factory=dict)
    # For staff: invitations sent and used, and online attempts refused by reason.
    invited: int = 0
    invited_used: int = 0
    rejections: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def meets(self) -> bool:
        return self.total >= self.required_count and self.rate >= self.required_rate

    @property
    def rate_text(self) -> str:
        """The satisfaction rate as a page shows it: "—" when nobody has answered (not 0%)."""
        if not self.total:
            return "—"
        # One decimal, never rounded up to the threshold (89.7% is not shown as 90%).
        return f"{self.rate * 100:.1f}".removesuffix(".0") + "%"

    @property
    def rejected_total(self) -> int:
        return sum(n for _, _, n in self.rejections)

    def rows(self) -> list[tuple[str, int]]:
        return [(str(label), self.counts[value]) for value, label in Satisfaction.choices]

    def source_rows(self) -> list[tuple[str, list[int], int]]:
        """(respondents, counts in Satisfaction order, total) for the page's table."""
        result = []
        for label, counts in (("周边居民", self.residents), ("关联诉求群众", self.linked)):
            values = [counts.get(value, 0) for value in Satisfaction.values]
            result.append((label, values, sum(values)))
        return result


def evaluation_summary(
    project: Project, *, with_comments: bool = True, with_staff_counts: bool = False
) -> EvaluationSummary:
    from banshi.projects import conf

    total, rate = satisfaction(project)
    counts = {c: 0 for c in Satisfaction.values}
    residents = {c: 0 for c in Satisfaction.values}
    linked = {c: 0 for c in Satisfaction.values}
    for row in project.evaluations.values("choice").annotate(n=Count("id")).order_by():
        counts[row["choice"]] = row["n"]
    for row in (
        project.evaluations.filter(work_order__isnull=False)
        .values("choice")
        .annotate(n=Count("id"))
        .order_by()
    ):
        linked[row["choice"]] = row["n"]
    for choice in Satisfaction.values:
        residents[choice] = counts[choice] - linked[choice]
    comments = (
        list(project.evaluations.exclude(comment="").order_by("-created_at")[:50])
        if with_comments
        else []
    )
    summary = EvaluationSummary(
        total,
        counts,
        rate,
        required_satisfaction(project),
        conf.min_evaluations(),
        comments,
        residents,
        linked,
    )
    if with_staff_counts:
        invitations = SurveyInvitation.objects.filter(project=project)
        summary.invited = invitations.count()
        summary.invited_used = invitations.filter(used_at__isnull=False).count()
        refused = dict(
            SurveyRejection.objects.filter(project=project).values_list("reason", "count")
        )
        summary.rejections = [
            (value, str(label), refused.get(value, 0))
            for value, label in SurveyRejectReason.choices
        ]
    return summary


def project_page(user: Any, project: Project) -> dict[str, Any]:
    """Everything the project page shows besides the project itself."""
    return {
        "events": list(project.events.select_related("actor").order_by("-at", "-id")),
        "reports": list(reports_for(user, project)),
        "attachments": list(project.attachments.select_related("uploaded_by")),
        "notices": list(project.notices.select_related("to_unit", "issued_by", "responded_by")),
        "inspections": list(
            project.inspections.select_related("inspector").prefetch_related(
                "attachments", "items__owner_unit"
            )
        ),
        "items": with_completion(
            user, list(project.items.select_related("owner_unit", "meeting__org_unit"))
        ),
        "deadline_changes": list(
            project.deadline_changes.select_related("requested_by", "decided_by")
        ),
        "evaluation": evaluation_summary(project, with_staff_counts=True),
        "links": list(
            LeaderLink.objects.filter(project=project, ended_at__isnull=True).select_related(
                "leader"
            )
        ),
        "meetings": list(project.meetings.select_related("leader")),
    }


def _project_child(model: Any, user: Any, raw_id: Any, field: str) -> Any:
    """A row that belongs to a project (report, notice, deadline change), or NotFound when it
    does not exist or its project is outside what the user may see."""
    pk = parse_id(raw_id, field=field)
    row = (
        model.objects.select_related("project__org_unit", "project__lead_unit")
        .filter(pk=pk, project__in=visible_projects(user))
        .first()
    )
    if row is None:
        raise NotFound()
    return row


def get_report(user: Any, report_id: Any) -> ProgressReport:
    return _project_child(ProgressReport, user, report_id, "进展编号")


def get_notice(user: Any, notice_id: Any) -> SupervisionNotice:
    return _project_child(SupervisionNotice, user, notice_id, "通知编号")


def get_deadline_change(user: Any, change_id: Any) -> DeadlineChange:
    return _project_child(DeadlineChange, user, change_id, "申请编号")


def visible_items(user: Any) -> QuerySet[SupervisedItem]:
    """Items the user's units own, items on projects they see, items of meetings they see."""
    return SupervisedItem.objects.filter(
        Q(pk__in=SupervisedItem.objects.for_user(user, VIEW).values("pk"))
        | Q(project__in=visible_projects(user))
        | Q(meeting__in=Meeting.objects.for_user(user, VIEW).values("pk"))
    ).select_related("owner_unit", "project", "meeting__org_unit")


def with_completion(user: Any, items: list[SupervisedItem]) -> list[SupervisedItem]:
    """Mark each item with whether ``user`` may report it done (``may_complete``)."""
    for item in items:
        item.may_complete = (  # type: ignore[attr-defined]
            item.status == ItemStatus.OPEN and can_complete_item(user, item)
        )
    return items


def get_item(user: Any, item_id: Any) -> SupervisedItem:
    pk = parse_id(item_id, field="事项编号")
    item = visible_items(user).filter(pk=pk).first()
    if item is None:
        raise NotFound()
    return item


def visible_links(user: Any) -> QuerySet[LeaderLink]:
    return (
        LeaderLink.objects.filter(
            Q(pk__in=LeaderLink.objects.for_user(user, VIEW).values("pk")) | Q(leader_id=user.pk)
        )
        .select_related("leader", "org_unit", "project")
        .order_by("leader__name", "kind", "id")
    )


def get_link(user: Any, link_id: Any) -> LeaderLink:
    pk = parse_id(link_id, field="联点编号")
    link = visible_links(user).filter(pk=pk).first()
    if link is None:
        raise NotFound()
    return link


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(
            Q(pk__in=Meeting.objects.for_user(user, VIEW).values("pk")) | Q(leader_id=user.pk)
        )
        .select_related("leader", "org_unit", "project")
        .prefetch_related("items__owner_unit")
    )


def get_meeting(user: Any, meeting_id: Any) -> Meeting:
    pk = parse_id(meeting_id, field="会议编号")
    meeting = visible_meetings(user).filter(pk=pk).first()
    if meeting is None:
        raise NotFound()
    return meeting


def leader_page(user: Any, today: datetime.date) -> dict[str, Any]:
    projects = annotate_lag(
        with_ledger_relations(visible_projects(user).filter(lead_leader_id=user.pk)).order_by(
            "deadline"
        ),
        today,
    )
    return {
        "projects": projects,
        "links": list(
            LeaderLink.objects.filter(leader_id=user.pk, ended_at__isnull=True).select_related(
                "org_unit", "project"
            )
        ),
        "meetings": list(
            Meeting.objects.filter(leader_id=user.pk)
            .select_related("org_unit", "project")
            .prefetch_related("items__owner_unit")
        ),
        "counts": colour_counts(projects),
    }


@dataclass
class BoardRow:
    unit: OrgUnit
    cells: list[list[Project]]


def board(user: Any, year: int, today: datetime.date) -> tuple[list[datetime.date], list[BoardRow]]:
    """挂图作战: lead units down the side, the months of ``year`` across, one pin per project in the
    month of its next milestone (or deadline; closed projects at their 销号 month)."""
    qs = with_ledger_relations(
        visible_projects(user).filter(
            Q(status__in=ACTIVE_STATUSES) | Q(status=Status.CLOSED, closed_at__year=year)
        )
    ).order_by("lead_unit__path", "deadline")
    rows: dict[int, BoardRow] = {}
    for project in annotate_lag(qs, today):
        lag = project.lag  # type: ignore[attr-defined]
        if project.status == Status.CLOSED and project.closed_at:
            when = timezone.localdate(project.closed_at)
        else:
            when = lag.next_date or project.deadline
        project.beyond = when.year != year  # type: ignore[attr-defined]
        if when.year != year:
            # Pins outside the year sit at its edge, marked, so nothing is silently off the board.
            when = datetime.date(year, 1, 1) if when.year < year else datetime.date(year, 12, 1)
        row = rows.setdefault(
            project.lead_unit_id, BoardRow(project.lead_unit, [[] for _ in range(12)])
        )
        row.cells[when.month - 1].append(project)
    months = [datetime.date(year, m, 1) for m in range(1, 13)]  # the page names them
    return months, list(rows.values())


def cadence_runs(user: Any) -> QuerySet[CadenceRun]:
    return CadenceRun.objects.for_user(user, "project.cadence").order_by("-created_at", "-id")


def get_cadence_run(user: Any, run_id: Any) -> CadenceRun:
    pk = parse_id(run_id, field="报表编号")
    run = cadence_runs(user).filter(pk=pk).first()
    if run is None:
        raise NotFound()
    return run


def get_attachment(user: Any, attachment_id: Any) -> Any:
    from banshi.projects.models import Attachment

    pk = parse_id(attachment_id, field="附件编号")
    attachment = (
        Attachment.objects.select_related("project")
        .filter(pk=pk, project__in=visible_projects(user))
        .first()
    )
    if attachment is None:
        raise NotFound()
    return attachment


def published_projects() -> QuerySet[Project]:
    """What the public sees: closed and published projects only."""
    return (
        # Unscoped: the public portal has no user; only closed, published projects pass.
        Project.objects.unscoped()
        .filter(status=Status.CLOSED, published_at__isnull=False)
        .select_related("org_unit", "lead_unit")
        .prefetch_related("co_units", "milestones")
        .order_by("-published_at", "-id")
    )


def get_published(project_id: Any) -> Project:
    pk = parse_id(project_id, field="项目编号")
    project = published_projects().filter(pk=pk).first()
    if project is None:
        raise NotFound("该项目不存在或尚未公示")
    return project


def open_items_for(user: Any) -> QuerySet[SupervisedItem]:
    return visible_items(user).filter(status=ItemStatus.OPEN).order_by("due_date")


@dataclass
class ItemsPage:
    mine: list[SupervisedItem]  # open, and the user may report them done
    others: list[SupervisedItem]  # open, in sight (a leader's decisions, a supervisor's area)
    done: list[SupervisedItem]  # the latest done ones


def items_page(user: Any, *, done_limit: int = 50) -> ItemsPage:
    """督办事项: the 整改 and 议定事项 in the user's sight, theirs to do first."""
    base = visible_items(user).select_related(
        "owner_unit", "project", "meeting__org_unit", "meeting__leader", "inspection"
    )
    open_items = with_completion(
        user, list(base.filter(status=ItemStatus.OPEN).order_by("due_date", "id"))
    )
    done = list(base.filter(status=ItemStatus.DONE).order_by("-done_at", "-id")[:done_limit])
    return ItemsPage(
        [i for i in open_items if i.may_complete],  # type: ignore[attr-defined]
        [i for i in open_items if not i.may_complete],  # type: ignore[attr-defined]
        done,
    )


def common_scope(paths: list[str]) -> str:
    """The longest common whole-segment prefix of ``paths`` (their lowest common ancestor)."""
    if not paths:
        return ""
    first, last = min(paths), max(paths)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[: n - n % SEGMENT_WIDTH]


def user_can_see_everything(user: Any) -> bool:
    return scope_paths(user, VIEW) is None
