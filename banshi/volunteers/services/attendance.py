"""Writes: check-in and check-out by QR code, hours confirmation, disputes and corrections, and
certificates. Every change to a volunteer's hours leaves a ChangeRecord with before and after."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from banshi.audit.services import record_change
from banshi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from banshi.core.geo import distance_m, parse_point
from banshi.core.permissions import can, require
from banshi.core.validation import clean_text
from banshi.volunteers import hours as rules
from banshi.volunteers import tokens
from banshi.volunteers.choices import (
    CONFIRM,
    HOURS_OPEN,
    ON_SITE,
    ORGANISE,
    HoursStatus,
    Purpose,
    SignUpStatus,
    Status,
)
from banshi.volunteers.models import Activity, Certificate, SignUp, TokenUse, Volunteer, user_pk
from banshi.volunteers.services.figures import figures_refresh

# The alphabet of verification codes: no 0/O, 1/I/L, so a code read aloud is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def qr_token(
    *, actor: Any, activity: Activity, purpose: str, now: datetime.datetime | None = None
) -> str:
    """A fresh check-in or check-out token for the organiser's screen (the activity must run)."""
    require(actor, ORGANISE, activity, view_action="volunteer.view")
    if activity.status not in ON_SITE:
        raise ValidationFailed("请先开始活动，再出示签到码", code="activity_not_running")
    return tokens.issue(activity.pk, purpose, now)


@transaction.atomic
def scan(
    *,
    actor: Any,
    token: str,
    lat: object,
    lon: object,
    now: datetime.datetime | None = None,
) -> SignUp:
    """Check in or out with the organiser's QR token at the phone's position.

    Refused, with nothing written: a forged or expired token; an activity not running; someone
    not taken on for it; the same token used again by the same volunteer for the same purpose;
    check-out before check-in; a position outside the activity's geofence."""
    now = now or timezone.now()
    content = tokens.read(token, now)
    activity = Activity.objects.filter(pk=content.activity_id).first()
    if activity is None:
        raise ValidationFailed("二维码无效（不是本平台签发或已损坏）", code="token_invalid")
    if activity.status not in ON_SITE:
        raise ValidationFailed("活动未在进行中，不能签到或签退", code="activity_not_running")
    signup = (
        SignUp.objects.select_related("volunteer", "activity")
        .filter(activity=activity, volunteer__user_id=user_pk(actor))
        .first()
    )
    if signup is None or signup.status != SignUpStatus.APPROVED:
        raise PermissionDenied("您未被录用参加该活动，不能签到", code="not_signed_up")
    if TokenUse.objects.filter(
        signup=signup, purpose=content.purpose, nonce=content.nonce
    ).exists():
        raise Conflict("该二维码您已使用过，请扫描组织方屏幕上的最新二维码", code="token_replayed")
    if content.purpose == Purpose.CHECK_OUT and signup.checked_in_at is None:
        raise Conflict("尚未签到，不能签退", code="not_checked_in")
    if content.purpose == Purpose.CHECK_IN and signup.checked_in_at is not None:
        raise Conflict("您已签到", code="already_checked_in")
    if content.purpose == Purpose.CHECK_OUT and signup.checked_out_at is not None:
        raise Conflict("您已签退", code="already_checked_out")
    point = parse_point(lat, lon)
    if point is None:
        raise ValidationFailed("请允许浏览器获取位置后再签到", code="location_required")
    distance = distance_m(
        float(point[0]), float(point[1]), float(activity.lat), float(activity.lon)
    )
    if distance > activity.radius_m:
        raise ValidationFailed(
            f"您距活动地点约{int(distance)}米，超出{activity.radius_m}米的签到范围",
            code="outside_geofence",
        )
    before = {"checked_in_at": signup.checked_in_at, "checked_out_at": signup.checked_out_at}
    if content.purpose == Purpose.CHECK_IN:
        claimed = SignUp.objects.filter(pk=signup.pk, checked_in_at__isnull=True).update(
            checked_in_at=now, updated_at=now
        )
    else:
        if now <= signup.checked_in_at:  # type: ignore[operator]
            raise Conflict("签退时间须晚于签到时间", code="not_checked_in")
        claimed = SignUp.objects.filter(
            pk=signup.pk, checked_in_at__isnull=False, checked_out_at__isnull=True
        ).update(checked_out_at=now, hours_status=HoursStatus.PENDING, updated_at=now)
    if not claimed:
        raise Conflict("签到状态已变化，请刷新", code="already_checked_in")
    try:
        with transaction.atomic():
            TokenUse.objects.create(
                signup=signup,
                purpose=content.purpose,
                nonce=content.nonce,
                at=now,
                lat=point[0],
                lon=point[1],
                distance_m=int(distance),
            )
    except IntegrityError:
        raise Conflict("该二维码您已使用过", code="token_replayed") from None
    signup.refresh_from_db()
    record_change(
        actor=actor,
        action=f"signup.check_{content.purpose}",
        obj=signup,
        before=before,
        after={
            "checked_in_at": signup.checked_in_at,
            "checked_out_at": signup.checked_out_at,
            "distance_m": int(distance),
        },
    )
    return signup


# --- hours -------------------------------------------------------------------------------------


def recompute(volunteer: Volunteer, *, actor: Any, reason: str) -> int:
    """Re-credit every confirmed sign-up of a volunteer in the order it was confirmed (see
    ``hours.allocate``) and store the total; each sign-up whose credit changed gets a record."""
    confirmed = list(
        SignUp.objects.select_related("activity__org_unit")
        .filter(volunteer=volunteer, hours_status=HoursStatus.CONFIRMED)
        .exclude(checked_in_at=None)
        .exclude(checked_out_at=None)
        .order_by("confirmed_at", "pk")
    )
    credits = rules.allocate([(s.pk, (s.checked_in_at, s.checked_out_at)) for s in confirmed])  # type: ignore[misc]
    for signup in confirmed:
        new = credits[signup.pk]
        if new != signup.credited_minutes:
            SignUp.objects.filter(pk=signup.pk).update(credited_minutes=new)
            record_change(
                actor=actor,
                action="signup.credit",
                obj=signup,
                before={"credited_minutes": signup.credited_minutes},
                after={"credited_minutes": new, "reason": reason},
            )
    # A sign-up no longer confirmed (disputed) credits nothing until it is settled.
    SignUp.objects.filter(volunteer=volunteer).exclude(hours_status=HoursStatus.CONFIRMED).exclude(
        credited_minutes=0
    ).update(credited_minutes=0)
    total = sum(credits.values())
    Volunteer.objects.filter(pk=volunteer.pk).update(total_minutes=total)
    # A correction may move minutes between the volunteer's activities: each of their units'
    # figures is recounted.
    figures_refresh(
        SignUp.objects.filter(volunteer=volunteer).values_list("activity__org_unit_id", flat=True)
    )
    volunteer.total_minutes = total
    return total


def _fresh(signup: SignUp) -> SignUp:
    """The sign-up and its activity as stored now (the caller's copy may predate a step)."""
    return SignUp.objects.select_related("activity__org_unit", "volunteer__user").get(pk=signup.pk)


def _organiser_signup(actor: Any, signup: SignUp) -> SignUp:
    require(actor, CONFIRM, signup, view_action="volunteer.view")
    signup = _fresh(signup)
    if signup.activity.status not in HOURS_OPEN:
        raise ValidationFailed("活动结束后、时长确认完成前才能确认或更正时长", code="hours_closed")
    if signup.status != SignUpStatus.APPROVED:
        raise ValidationFailed("该志愿者未被录用", code="not_signed_up")
    return signup


@transaction.atomic
def hours_confirm(*, actor: Any, signup: SignUp, now: datetime.datetime | None = None) -> SignUp:
    """The organiser confirms a checked-out volunteer's time; the rules decide the credit."""
    signup = _organiser_signup(actor, signup)
    if signup.checked_out_at is None:
        raise ValidationFailed("该志愿者未签退，请先更正签到签退时间", code="not_checked_out")
    if signup.hours_status == HoursStatus.DISPUTED:
        raise ValidationFailed("该时长有异议，请更正时间或维持原时间并说明", code="hours_disputed")
    now = now or timezone.now()
    updated = SignUp.objects.filter(pk=signup.pk, hours_status=HoursStatus.PENDING).update(
        hours_status=HoursStatus.CONFIRMED, confirmed_at=now, updated_at=now
    )
    if not updated:
        raise Conflict("该时长已确认，请刷新", code="hours_settled")
    record_change(
        actor=actor,
        action="signup.confirm_hours",
        obj=signup,
        before={"hours_status": signup.hours_status},
        after={"hours_status": HoursStatus.CONFIRMED},
    )
    recompute(signup.volunteer, actor=actor, reason="确认时长")
    signup.refresh_from_db()
    return signup


@transaction.atomic
def hours_dispute(*, actor: Any, signup: SignUp, reason: str) -> SignUp:
    """The volunteer disputes the recorded time (forgot to check out, left early…)."""
    if signup.volunteer.user_id != getattr(actor, "pk", None):
        raise NotFound()
    signup = _fresh(signup)
    reason = clean_text(reason, field="异议理由", max_length=200)
    if signup.activity.status not in {*HOURS_OPEN, Status.RUNNING}:
        raise ValidationFailed("活动时长已确认完毕，如有异议请联系组织方", code="hours_closed")
    if signup.checked_in_at is None or signup.status != SignUpStatus.APPROVED:
        raise ValidationFailed("未签到的报名不能提出时长异议", code="not_checked_in")
    if signup.hours_status == HoursStatus.DISPUTED:
        raise Conflict("您已提出异议，请等待组织方处理", code="hours_disputed")
    before = {"hours_status": signup.hours_status, "credited_minutes": signup.credited_minutes}
    SignUp.objects.filter(pk=signup.pk).update(
        hours_status=HoursStatus.DISPUTED, dispute_reason=reason, updated_at=timezone.now()
    )
    record_change(
        actor=actor,
        action="signup.dispute_hours",
        obj=signup,
        before=before,
        after={"hours_status": HoursStatus.DISPUTED, "reason": reason},
    )
    recompute(signup.volunteer, actor=actor, reason="时长异议")
    signup.refresh_from_db()
    return signup


@transaction.atomic
def hours_correct(
    *,
    actor: Any,
    signup: SignUp,
    checked_in_at: datetime.datetime,
    checked_out_at: datetime.datetime,
    reason: str,
    now: datetime.datetime | None = None,
) -> SignUp:
    """The organiser corrects the check-in and check-out times (settling a dispute or a missed
    check-out) and confirms; the change and its reason are kept in the history."""
    signup = _organiser_signup(actor, signup)
    reason = clean_text(reason, field="更正理由", max_length=200)
    now = now or timezone.now()
    if not isinstance(checked_in_at, datetime.datetime) or not isinstance(
        checked_out_at, datetime.datetime
    ):
        raise ValidationFailed("请填写签到和签退时间", code="invalid_time")
    if checked_out_at <= checked_in_at:
        raise ValidationFailed("签退时间须晚于签到时间", code="invalid_time")
    if checked_out_at > now:
        raise ValidationFailed("签退时间不能晚于现在", code="invalid_time")
    activity = signup.activity
    slack = datetime.timedelta(hours=2)
    if checked_in_at < activity.starts_at - slack or checked_out_at > activity.ends_at + slack:
        raise ValidationFailed("更正后的时间须在活动时间前后两小时之内", code="invalid_time")
    if rules.longest_day_minutes(checked_in_at, checked_out_at) > rules.daily_cap():
        raise ValidationFailed(
            f"一天的服务时长不能超过{rules.daily_cap() // 60}小时", code="over_daily_cap"
        )
    before = {
        "checked_in_at": signup.checked_in_at,
        "checked_out_at": signup.checked_out_at,
        "hours_status": signup.hours_status,
    }
    SignUp.objects.filter(pk=signup.pk).update(
        checked_in_at=checked_in_at,
        checked_out_at=checked_out_at,
        hours_status=HoursStatus.CONFIRMED,
        confirmed_at=signup.confirmed_at or now,
        updated_at=now,
    )
    record_change(
        actor=actor,
        action="signup.correct_hours",
        obj=signup,
        before=before,
        after={
            "checked_in_at": checked_in_at,
            "checked_out_at": checked_out_at,
            "hours_status": HoursStatus.CONFIRMED,
            "reason": reason,
        },
    )
    recompute(signup.volunteer, actor=actor, reason=f"更正时长：{reason}")
    signup.refresh_from_db()
    return signup


# --- certificates ------------------------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def certificate_issue(
    *, actor: Any, volunteer: Volunteer, now: datetime.datetime | None = None
) -> Certificate:
    """A numbered certificate of the volunteer's confirmed hours today, with a verification code.
    The volunteer asks for their own; an organiser who confirms hours may issue one for them."""
    own = volunteer.user_id == getattr(actor, "pk", None)
    if not own and actor is not None and not can(actor, CONFIRM, volunteer):
        if can(actor, "volunteer.view", volunteer):
            raise PermissionDenied("您无权颁发志愿服务证书")
        raise NotFound()
    if volunteer.total_minutes < rules.UNIT_MINUTES:
        raise ValidationFailed("尚无已确认的服务时长，暂不能开具证书", code="no_hours")
    now = now or timezone.now()
    year = timezone.localtime(now).year
    prefix = f"CSZS{year}"
    for _attempt in range(5):
        last = (
            Certificate.objects.filter(number__startswith=prefix)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        number = f"{prefix}{(int(last[len(prefix) :]) + 1) if last else 1:06d}"
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    volunteer=volunteer,
                    number=number,
                    code=_new_code(),
                    minutes=volunteer.total_minutes,
                    stars=rules.stars_for(volunteer.total_minutes),
                    issued_at=now,
                )
        except IntegrityError:
            continue
        record_change(
            actor=actor,
            action="certificate.issue",
            obj=certificate,
            before=None,
            after={"number": number, "minutes": certificate.minutes, "stars": certificate.stars},
        )
        return certificate
    raise Conflict("证书编号分配繁忙，请重试")
