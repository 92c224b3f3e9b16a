"""Writes: neighbourhood centres, volunteers, activities and sign-ups."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from banshi.audit.services import record_change, snapshot
from banshi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from banshi.core.geo import parse_point
from banshi.core.permissions import require
from banshi.core.validation import clean_text
from banshi.orgtree.choices import Level
from banshi.orgtree.models import OrgUnit
from banshi.volunteers.choices import (
    ORGANISE,
    ORGANISER_LEVELS,
    SIGNUP_OPEN,
    SignUpStatus,
    Status,
)
from banshi.volunteers.models import Activity, Centre, SignUp, Volunteer, user_pk
from banshi.volunteers.services.figures import figures_refresh

MAX_POSTS = 20
MAX_RADIUS_M = 3000
MIN_RADIUS_M = 50


def _text_list(values: Any, *, field: str, max_items: int = 30) -> list[str]:
    if isinstance(values, str):
        values = [v for v in values.replace("，", "\n").replace(",", "\n").splitlines()]
    items = [clean_text(v, field=field, max_length=50) for v in values or [] if str(v).strip()]
    return list(dict.fromkeys(items))[:max_items]


def _point(lat: object, lon: object, *, required: bool) -> tuple[Decimal, Decimal] | None:
    point = parse_point(lat, lon)
    if point is None and required:
        raise ValidationFailed("请填写活动地点的经纬度（用于签到范围）", code="invalid_location")
    return point


# --- 邻里中心 ------------------------------------------------------------------------------------


@transaction.atomic
def centre_create(
    *,
    actor: Any,
    org_unit: OrgUnit,
    name: str,
    address: str,
    opening_hours: str = "",
    services: Any = (),
    rooms: Any = (),
    lat: object = None,
    lon: object = None,
) -> Centre:
    """Open a 邻里中心 under a community."""
    require(actor, ORGANISE, org_unit)
    if org_unit.level != Level.COMMUNITY:
        raise ValidationFailed("邻里中心须设在社区（村）之下", code="level_violation")
    point = _point(lat, lon, required=False)
    centre = Centre(
        org_unit=org_unit,
        name=clean_text(name, field="名称", max_length=100),
        address=clean_text(address, field="地址", max_length=200),
        opening_hours=clean_text(opening_hours, field="开放时间", max_length=200, required=False),
        services=_text_list(services, field="服务项目"),
        rooms=_text_list(rooms, field="功能室"),
        lat=point[0] if point else None,
        lon=point[1] if point else None,
    )
    if Centre.objects.filter(org_unit=org_unit, name=centre.name).exists():
        raise Conflict("该社区已有同名的邻里中心", code="duplicate_centre")
    centre.save()
    record_change(
        actor=actor, action="centre.create", obj=centre, before=None, after=snapshot(centre)
    )
    return centre


# --- volunteers --------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    prefix = f"CS{year}"
    last = (
        Volunteer.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{sequence:06d}"


def volunteer_register(
    *, actor: Any, user: Any, org_unit: OrgUnit, now: datetime.datetime | None = None
) -> Volunteer:
    """Register ``user`` as a volunteer of a community with the next unified number (CS + year +
    six-digit sequence). A person registers themselves; the system (seeding) registers anyone."""
    if actor is not None and getattr(actor, "pk", None) != user.pk:
        raise PermissionDenied("只能为本人注册志愿者", code="not_self")
    if org_unit.level != Level.COMMUNITY:
        raise ValidationFailed("请选择您居住或服务的社区（村）", code="level_violation")
    if Volunteer.objects.filter(user=user).exists():
        raise Conflict("您已注册为志愿者", code="already_volunteer")
    year = timezone.localtime(now or timezone.now()).year
    # Two registrations at once may pick the same next number: the unique index refuses the
    # second, which simply takes the one after.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                volunteer = Volunteer.objects.create(
                    user=user, org_unit=org_unit, number=_next_number(year)
                )
                record_change(
                    actor=actor,
                    action="volunteer.register",
                    obj=volunteer,
                    before=None,
                    after=snapshot(volunteer),
                )
                return volunteer
        except IntegrityError:
            if Volunteer.objects.filter(user=user).exists():
                raise Conflict("您已注册为志愿者", code="already_volunteer") from None
    raise Conflict("志愿者编号分配繁忙，请重试")


# --- activities --------------------------------------------------------------------------------


def _clean_posts(posts: Any) -> list[dict[str, Any]]:
    """Posts from a list of {"name", "quota"} or lines like "测血压:3"."""
    if isinstance(posts, str):
        parsed = []
        for line in posts.splitlines():
            if not line.strip():
                continue
            name, _sep, quota = line.replace("：", ":").rpartition(":")
            if not _sep:
                raise ValidationFailed(
                    f"岗位“{line.strip()[:20]}”请写成“岗位名:名额”", code="invalid_posts"
                )
            parsed.append({"name": name, "quota": quota})
        posts = parsed
    if not isinstance(posts, list) or not posts:
        raise ValidationFailed("请至少设置一个岗位", code="no_posts")
    if len(posts) > MAX_POSTS:
        raise ValidationFailed(f"岗位最多{MAX_POSTS}个", code="invalid_posts")
    cleaned: list[dict[str, Any]] = []
    for post in posts:
        if not isinstance(post, dict):
            raise ValidationFailed("岗位格式不正确", code="invalid_posts")
        name = clean_text(post.get("name"), field="岗位名称", max_length=50)
        try:
            places = int(str(post.get("quota", "")).strip())
        except ValueError:
            raise ValidationFailed(f"岗位“{name}”的名额须为整数", code="invalid_posts") from None
        if not 1 <= places <= 500:
            raise ValidationFailed(f"岗位“{name}”的名额须在 1 到 500 之间", code="invalid_posts")
        if any(p["name"] == name for p in cleaned):
            raise ValidationFailed(f"岗位“{name}”重复", code="invalid_posts")
        cleaned.append({"name": name, "quota": places})
    return cleaned


def _clean_activity(
    actor: Any, org_unit: OrgUnit, centre: Centre | None, fields: dict[str, Any]
) -> dict[str, Any]:
    if org_unit.level not in ORGANISER_LEVELS:
        raise ValidationFailed("活动须由社区（邻里中心）或党支部组织", code="level_violation")
    require(actor, ORGANISE, org_unit)
    if centre is not None and not org_unit.path.startswith(centre.org_unit.path):
        raise ValidationFailed("邻里中心须在组织单位所在的社区", code="centre_elsewhere")
    starts_at, ends_at = fields["starts_at"], fields["ends_at"]
    if not isinstance(starts_at, datetime.datetime) or not isinstance(ends_at, datetime.datetime):
        raise ValidationFailed("请填写开始和结束时间", code="invalid_time")
    if ends_at <= starts_at:
        raise ValidationFailed("结束时间须晚于开始时间", code="invalid_time")
    if ends_at - starts_at > datetime.timedelta(days=7):
        raise ValidationFailed("一次活动最长7天，长期项目请分次发布", code="invalid_time")
    point = _point(fields.get("lat"), fields.get("lon"), required=True)
    assert point is not None
    try:
        radius = int(str(fields.get("radius_m") or 300))
    except ValueError:
        raise ValidationFailed("签到范围须为整数（米）", code="invalid_radius") from None
    if not MIN_RADIUS_M <= radius <= MAX_RADIUS_M:
        raise ValidationFailed(
            f"签到范围须在 {MIN_RADIUS_M} 到 {MAX_RADIUS_M} 米之间", code="invalid_radius"
        )
    return {
        "org_unit": org_unit,
        "centre": centre,
        "title": clean_text(fields.get("title"), field="活动名称", max_length=100),
        "content": clean_text(
            fields.get("content"), field="活动内容", max_length=2000, required=False
        ),
        "posts": _clean_posts(fields.get("posts")),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": clean_text(fields.get("place"), field="地点", max_length=200),
        "lat": point[0],
        "lon": point[1],
        "radius_m": radius,
    }


@transaction.atomic
def activity_create(
    *, actor: Any, org_unit: OrgUnit, centre: Centre | None = None, **fields: Any
) -> Activity:
    """Draft an activity (posts, quotas, time, place, geofence); it is submitted for review next."""
    values = _clean_activity(actor, org_unit, centre, fields)
    activity = Activity.objects.create(
        **values, created_by=actor if getattr(actor, "pk", None) else None
    )
    record_change(
        actor=actor, action="activity.create", obj=activity, before=None, after=snapshot(activity)
    )
    figures_refresh([activity.org_unit_id])
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: Any,
    activity: Activity,
    expected_version: int | None = None,
    org_unit: OrgUnit | None = None,
    centre: Centre | None = None,
    **fields: Any,
) -> Activity:
    """Edit a draft (a returned one too): once under review or recruiting, volunteers rely on
    what was published."""
    require(actor, ORGANISE, activity)
    values = _clean_activity(actor, org_unit or activity.org_unit, centre, fields)
    before = snapshot(activity)
    expected = activity.version if expected_version is None else expected_version
    updated = Activity.objects.filter(pk=activity.pk, status=Status.DRAFT, version=expected).update(
        **values, version=expected + 1, updated_at=timezone.now()
    )
    if not updated:
        fresh = Activity.objects.get(pk=activity.pk)
        if fresh.status != Status.DRAFT:
            raise ValidationFailed("只有草稿状态的活动可以修改", code="invalid_transition")
        raise Conflict("您看到的是旧版本：数据已被他人修改，请刷新后重试", code="stale_version")
    fresh = Activity.objects.select_related("org_unit").get(pk=activity.pk)
    record_change(
        actor=actor, action="activity.update", obj=fresh, before=before, after=snapshot(fresh)
    )
    figures_refresh({activity.org_unit_id, fresh.org_unit_id})
    return fresh


# --- sign-ups ----------------------------------------------------------------------------------


def _approved_on_post(activity: Activity, post: str) -> int:
    return SignUp.objects.filter(activity=activity, post=post, status=SignUpStatus.APPROVED).count()


@transaction.atomic
def signup_create(*, actor: Any, activity: Activity, post: str) -> SignUp:
    """The signed-in volunteer signs up for a post; the organiser approves or declines."""
    volunteer = Volunteer.objects.filter(user_id=user_pk(actor)).first()
    if volunteer is None:
        raise ValidationFailed("请先注册为志愿者", code="not_volunteer")
    if activity.status not in SIGNUP_OPEN:
        raise ValidationFailed("该活动当前不接受报名", code="signup_closed")
    if activity.ends_at <= timezone.now():
        raise ValidationFailed("该活动已结束", code="signup_closed")
    names = [p["name"] for p in activity.posts]
    if post not in names:
        raise ValidationFailed("请选择活动中的岗位", code="invalid_post")
    quota = next(int(p["quota"]) for p in activity.posts if p["name"] == post)
    if _approved_on_post(activity, post) >= quota:
        raise Conflict("该岗位名额已满", code="post_full")
    existing = SignUp.objects.filter(activity=activity, volunteer=volunteer).first()
    if existing is not None:
        if existing.status != SignUpStatus.WITHDRAWN:
            raise Conflict("您已报名该活动", code="already_signed_up")
        before = snapshot(existing)
        existing.post, existing.status = post, SignUpStatus.PENDING
        existing.save(update_fields=["post", "status", "updated_at"])
        record_change(
            actor=actor,
            action="signup.create",
            obj=existing,
            before=before,
            after=snapshot(existing),
        )
        return existing
    signup = SignUp.objects.create(activity=activity, volunteer=volunteer, post=post)
    record_change(
        actor=actor, action="signup.create", obj=signup, before=None, after=snapshot(signup)
    )
    return signup


@transaction.atomic
def signup_decide(*, actor: Any, signup: SignUp, approve: bool, note: str = "") -> SignUp:
    """The organiser takes a pending sign-up on (within the post's quota) or declines it."""
    require(actor, ORGANISE, signup, view_action="volunteer.view")
    activity = Activity.objects.get(pk=signup.activity_id)
    if activity.status not in SIGNUP_OPEN:
        raise ValidationFailed("活动当前不能审核报名", code="signup_closed")
    if approve:
        quota = next((int(p["quota"]) for p in activity.posts if p["name"] == signup.post), 0)
        if _approved_on_post(activity, signup.post) >= quota:
            raise Conflict("该岗位名额已满，不能再录用", code="post_full")
    target = SignUpStatus.APPROVED if approve else SignUpStatus.REJECTED
    updated = SignUp.objects.filter(pk=signup.pk, status=SignUpStatus.PENDING).update(
        status=target, updated_at=timezone.now()
    )
    if not updated:
        raise Conflict("该报名已处理，请刷新", code="signup_decided")
    record_change(
        actor=actor,
        action="signup.approve" if approve else "signup.reject",
        obj=signup,
        before={"status": SignUpStatus.PENDING},
        after={"status": target, "note": note[:200]},
    )
    signup.status = target
    return signup


@transaction.atomic
def signup_withdraw(*, actor: Any, signup: SignUp) -> SignUp:
    """The volunteer withdraws before checking in."""
    if signup.volunteer.user_id != getattr(actor, "pk", None):
        raise NotFound()
    if signup.checked_in_at is not None:
        raise ValidationFailed("已签到，不能退出", code="already_checked_in")
    updated = SignUp.objects.filter(
        pk=signup.pk, status__in=[SignUpStatus.PENDING, SignUpStatus.APPROVED]
    ).update(status=SignUpStatus.WITHDRAWN, updated_at=timezone.now())
    if not updated:
        raise Conflict("该报名已处理，请刷新", code="signup_decided")
    record_change(
        actor=actor,
        action="signup.withdraw",
        obj=signup,
        before={"status": signup.status},
        after={"status": SignUpStatus.WITHDRAWN},
    )
    signup.status = SignUpStatus.WITHDRAWN
    return signup
