"""Every read of the volunteers app. Staff reads are scoped (``for_user``), a volunteer reads
their own rows, and the public verification page reads one certificate by its code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from banshi.core.errors import NotFound
from banshi.core.validation import parse_id
from banshi.orgtree.models import OrgUnit
from banshi.volunteers import hours as rules
from banshi.volunteers.choices import (
    CONFIRM,
    ORGANISE,
    ORGANISER_LEVELS,
    SIGNUP_OPEN,
    SignUpStatus,
    Status,
)
from banshi.volunteers.models import (
    Activity,
    Centre,
    Certificate,
    SignUp,
    UnitFigures,
    Volunteer,
    user_pk,
)

VIEW = "volunteer.view"
STAFF_ACTIONS = (VIEW, ORGANISE, CONFIRM)


# --- staff -------------------------------------------------------------------------------------


def activities_for(
    user: Any,
    *,
    status: str = "",
    query: str = "",
    unit: OrgUnit | None = None,
) -> QuerySet[Activity]:
    qs = Activity.objects.for_user(user, *STAFF_ACTIONS).select_related("org_unit", "centre")
    if status in Status.values:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(place__icontains=query))
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    return qs.annotate(
        n_signups=Count("signups", filter=~Q(signups__status=SignUpStatus.WITHDRAWN)),
        n_pending=Count("signups", filter=Q(signups__status=SignUpStatus.PENDING)),
    ).order_by("-starts_at", "-pk")


def get_activity(user: Any, activity_id: object) -> Activity:
    pk = parse_id(activity_id, field="活动编号")
    activity = (
        Activity.objects.for_user(user, *STAFF_ACTIONS)
        .select_related("org_unit", "centre", "created_by")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise NotFound()
    return activity


def activity_signups(activity: Activity) -> QuerySet[SignUp]:
    return (
        # the activity was found through the staff member's scope; its rows come with it
        SignUp.objects.unscoped()
        .filter(activity=activity)
        .select_related("volunteer__user", "volunteer__org_unit")
        .order_by("status", "post", "pk")
    )


def activity_events(activity: Activity) -> list[Any]:
    return list(activity.events.select_related("actor").order_by("at", "pk"))


def get_signup(user: Any, signup_id: object) -> SignUp:
    """A sign-up of an activity the staff member sees, else NotFound."""
    pk = parse_id(signup_id, field="报名编号")
    signup = (
        SignUp.objects.for_user(user, *STAFF_ACTIONS)
        .select_related("activity__org_unit", "volunteer__user", "volunteer__org_unit")
        .filter(pk=pk)
        .first()
    )
    if signup is None:
        raise NotFound()
    return signup


def centres_for(user: Any, unit: OrgUnit | None = None) -> QuerySet[Centre]:
    qs = Centre.objects.for_user(user, *STAFF_ACTIONS).select_related("org_unit")
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    return qs.annotate(n_activities=Count("activities"))


def get_centre(user: Any, centre_id: object, action: str = VIEW) -> Centre:
    pk = parse_id(centre_id, field="邻里中心编号")
    centre = (
        Centre.objects.for_user(user, action, *STAFF_ACTIONS[1:] if action == VIEW else ())
        .select_related("org_unit")
        .filter(pk=pk)
        .first()
    )
    if centre is None:
        raise NotFound()
    return centre


def centre_choices(user: Any) -> QuerySet[Centre]:
    return Centre.objects.for_user(user, ORGANISE).select_related("org_unit").order_by("name")


def organiser_units(user: Any, query: str = "") -> list[OrgUnit]:
    """Units where the user may run an activity (communities and party branches), by name."""
    qs = OrgUnit.objects.for_user(user, ORGANISE).filter(level__in=ORGANISER_LEVELS)
    if query:
        qs = qs.filter(name__icontains=query)
    return list(qs.select_related("parent").order_by("depth", "path")[:20])


@dataclass(frozen=True)
class Figures:
    activities: int
    running: int
    volunteers: int
    minutes: int
    beneficiaries: int

    @property
    def hours(self) -> float:
        return self.minutes / 60


def figures(user: Any, unit: OrgUnit | None = None) -> Figures:
    """Activities, volunteers, confirmed hours and beneficiaries (person-times) in the user's
    sight, or under ``unit``: summed from the stored per-unit rows (``UnitFigures``), plus two
    indexed counts (activities running now, registered volunteers)."""
    stored = UnitFigures.objects.for_user(user, *STAFF_ACTIONS)
    running = Activity.objects.for_user(user, *STAFF_ACTIONS).filter(status=Status.RUNNING)
    people = Volunteer.objects.for_user(user, *STAFF_ACTIONS)
    if unit is not None:
        stored = stored.filter(org_unit__path__startswith=unit.path)
        running = running.filter(org_unit__path__startswith=unit.path)
        people = people.filter(org_unit__path__startswith=unit.path)
    totals = stored.aggregate(n=Sum("activities"), people=Sum("beneficiaries"), m=Sum("minutes"))
    return Figures(
        activities=totals["n"] or 0,
        running=running.count(),
        volunteers=people.count(),
        minutes=totals["m"] or 0,
        beneficiaries=totals["people"] or 0,
    )


# --- the volunteer's own -----------------------------------------------------------------------


def my_volunteer(user: Any) -> Volunteer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    # a person's own volunteer record, found by their account
    return Volunteer.objects.unscoped().select_related("org_unit", "user").filter(user=user).first()


def my_signups(volunteer: Volunteer) -> QuerySet[SignUp]:
    return (
        # the volunteer's own sign-ups, wherever the activities are
        SignUp.objects.unscoped()
        .filter(volunteer=volunteer)
        .select_related("activity__org_unit")
        .order_by("-activity__starts_at", "-pk")
    )


def get_my_signup(user: Any, signup_id: object) -> SignUp:
    pk = parse_id(signup_id, field="报名编号")
    signup = (
        # only the asker's own sign-up (filtered by their account)
        SignUp.objects.unscoped()
        .select_related("activity__org_unit", "volunteer__user")
        .filter(pk=pk, volunteer__user_id=user_pk(user))
        .first()
    )
    if signup is None:
        raise NotFound()
    return signup


def my_certificates(volunteer: Volunteer) -> QuerySet[Certificate]:
    # the volunteer's own certificates
    return Certificate.objects.unscoped().filter(volunteer=volunteer).order_by("-issued_at")


def get_my_certificate(user: Any, certificate_id: object) -> Certificate:
    pk = parse_id(certificate_id, field="证书编号")
    certificate = (
        # only the asker's own certificate (filtered by their account)
        Certificate.objects.unscoped()
        .select_related("volunteer__user")
        .filter(pk=pk, volunteer__user_id=user_pk(user))
        .first()
    )
    if certificate is None:
        raise NotFound()
    return certificate


def open_activities(query: str = "") -> QuerySet[Activity]:
    """Activities taking sign-ups, for any signed-in volunteer (recruitment is public)."""
    qs = (
        # recruitment is public to every signed-in person: only activities taking sign-ups
        Activity.objects.unscoped()
        .filter(status__in=SIGNUP_OPEN)
        .select_related("org_unit", "centre")
    )
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(place__icontains=query))
    return qs.order_by("starts_at", "pk")


def get_open_activity(activity_id: object) -> Activity:
    """An activity a volunteer may look at: one taking sign-ups, or one they signed up for."""
    pk = parse_id(activity_id, field="活动编号")
    activity = (
        # an activity past review is public to volunteers; drafts answer 404
        Activity.objects.unscoped().select_related("org_unit", "centre").filter(pk=pk).first()
    )
    if activity is None or activity.status in {Status.DRAFT, Status.REVIEW}:
        raise NotFound()
    return activity


def posts_left(activity: Activity) -> list[dict[str, Any]]:
    """Each post with its quota and the places still free."""
    taken = dict(
        # counts of taken places on an activity the caller already holds
        SignUp.objects.unscoped()
        .filter(activity=activity, status=SignUpStatus.APPROVED)
        .values_list("post")
        .annotate(n=Count("pk"))
    )
    return [
        {
            "name": p["name"],
            "quota": p["quota"],
            "left": max(0, int(p["quota"]) - taken.get(p["name"], 0)),
        }
        for p in activity.posts
    ]


# --- public ------------------------------------------------------------------------------------


def certificate_by_code(code: str) -> Certificate:
    """The certificate a verification code names, for the public page (no login)."""
    cleaned = "".join(ch for ch in str(code).upper() if ch.isalnum())[:16]
    certificate = (
        # the public check: the secret code is the key, and only masked fields are shown
        Certificate.objects.unscoped()
        .select_related("volunteer__user")
        .filter(code=cleaned)
        .first()
        if cleaned
        else None
    )
    if certificate is None:
        raise NotFound("未找到该证书，请核对验证码")
    return certificate


def star_summary(minutes: int) -> dict[str, Any]:
    return {
        "stars": rules.stars_for(minutes),
        "next": rules.next_star(minutes),
        "hours": minutes / 60,
        "thresholds": rules.star_thresholds(),
    }


def communities(query: str) -> list[OrgUnit]:
    """Communities (村/社区) by name, for a volunteer choosing where they live: the register
    of places is public knowledge, so this is not scoped."""
    from banshi.orgtree.choices import Level

    if not query:
        return []
    return list(
        # the places people live are public knowledge (names only), for choosing one's own
        OrgUnit.objects.unscoped()
        .filter(level=Level.COMMUNITY, name__icontains=query)
        .select_related("parent")
        .order_by("path")[:20]
    )


def get_community(unit_id: object) -> OrgUnit:
    from banshi.orgtree.choices import Level

    pk = parse_id(unit_id, field="社区")
    # ditto: a volunteer's own community, any in the city
    unit = OrgUnit.objects.unscoped().filter(pk=pk, level=Level.COMMUNITY).first()
    if unit is None:
        raise NotFound("请选择社区（村）")
    return unit


def get_organiser_unit(user: Any, unit_id: object) -> OrgUnit:
    pk = parse_id(unit_id, field="组织单位")
    unit = OrgUnit.objects.for_user(user, ORGANISE).filter(pk=pk).first()
    if unit is None:
        raise NotFound("请选择组织单位")
    return unit
