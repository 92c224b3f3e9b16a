"""The residents' online survey (群众满意度测评) that decides 销号: one answer per mobile and
project, proven by something a person cannot cheaply repeat.

- **Invitations.** When the evaluation opens (申请销号), the citizen of each linked request gets an
  SMS with a one-time link; on 销号 an unused link is sent again (the old one stops working). The
  answer consumes the invitation by compare-and-set on ``used_at`` inside the transaction that
  writes the evaluation, so two submits of one link make one answer.
- **SMS codes.** Anyone else proves a mobile that is on the project's linked requests or in the
  household register of the project's area (its org unit's subtree): request a code, receive it
  through the notify outbox (SMS), answer with mobile + code. Codes expire and die after a few
  wrong tries.
- **One answer per mobile.** Every online answer carries the keyed hash of its mobile as
  ``respondent_key``; the database's unique (project, respondent_key) constraint is the final
  word, whichever way the answer came.
- **Rate limits** per client address on code requests and answers, and per mobile on codes
  (``core.throttle``, limits in ``projects.conf``).

Every refusal a resident could be trying to get round (duplicate, bad code, not on the lists,
too frequent) is counted in ``SurveyRejection`` for staff. The count is written after the
refused attempt's own savepoint has rolled back, so refusing never loses the count.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets
from typing import Any, NoReturn

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from banshi.audit.services import record_change, snapshot
from banshi.core import throttle
from banshi.core.choices import Satisfaction, satisfaction_value
from banshi.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from banshi.core.masking import mask_phone
from banshi.core.validation import clean_mobile, clean_text
from banshi.grid.models import Resident
from banshi.notify.models import Message
from banshi.notify.services import notify
from banshi.projects import conf
from banshi.projects.choices import EvaluationChannel, SurveyRejectReason
from banshi.projects.inputs import parse_choice
from banshi.projects.models import (
    Evaluation,
    Project,
    ProjectWorkOrder,
    SurveyCode,
    SurveyInvitation,
    SurveyRejection,
)
from banshi.projects.services.evaluation import LINKED_OPEN, OPEN_FOR_EVALUATION
from banshi.workorders.models import WorkOrder

R = SurveyRejectReason
CODE_SCOPE = "survey_code"
VOTE_SCOPE = "survey_vote"
# Only ASCII digits: ``str.isdigit`` and ``\d`` also accept "²" or "١".
ASCII_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
ASCII_CODE = re.compile(r"^[0-9]{6}$")
MAX_TOKEN = 64


class _Spent(Exception):
    """The code or invitation was consumed by another submit between our read and our write."""


def _hmac(message: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def phone_key(project: Project, phone: str) -> str:
    """The keyed hash of a mobile for one project: what identifies a respondent, with no phone
    number kept (and no way to link one resident's answers across projects)."""
    return _hmac(f"survey:{project.pk}:phone:{phone}")


def _code_hash(project: Project, phone: str, code: str) -> str:
    return _hmac(f"survey:{project.pk}:code:{phone}:{code}")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _mobile(value: Any) -> str:
    phone = clean_mobile(value)
    if not ASCII_MOBILE.match(phone):
        raise ValidationFailed("手机号格式不正确，应为11位中国大陆手机号", code="invalid_mobile")
    return phone


def _answer(choice: Any, comment: Any) -> tuple[str, str]:
    return (
        parse_choice(satisfaction_value(choice), Satisfaction, field="评价"),
        clean_text(comment, field="意见", max_length=500, required=False),
    )


# --- Refusals and their counts ----------------------------------------------------------------


def _count(project: Project, reason: str, now: Any) -> None:
    """Add one to the project's counter for ``reason`` (created on first use; two first uses at
    once both count)."""
    bump = {"count": F("count") + 1, "last_at": now}
    if SurveyRejection.objects.filter(project=project, reason=reason).update(**bump):
        return
    try:
        with transaction.atomic():
            SurveyRejection.objects.create(project=project, reason=reason, count=1, last_at=now)
    except IntegrityError:
        SurveyRejection.objects.filter(project=project, reason=reason).update(**bump)


def _refuse(project: Project, reason: str, error: DomainError, now: Any) -> NoReturn:
    _count(project, reason, now)
    raise error


def _throttle(project: Project, scope: str, limits: dict[str, int], now: Any) -> None:
    """Refuse (429, counted) when a key is over its limit in the window; else count this try."""
    try:
        throttle.check(scope, limits, window_seconds=conf.survey_window_seconds())
    except DomainError as exc:
        minutes = max(1, conf.survey_window_seconds() // 60)
        exc.detail = f"操作过于频繁，请{minutes}分钟后再试"
        _refuse(project, R.RATE_LIMITED, exc, now)
    throttle.hit(scope, *limits)


def _client(address: str) -> str:
    return f"c:{address}" if address else ""


def _duplicate(project: Project, now: Any, detail: str = "") -> NoReturn:
    _refuse(
        project,
        R.DUPLICATE,
        Conflict(
            detail or "该手机号已评价过该项目，每位居民只能评价一次", code="already_evaluated"
        ),
        now,
    )


# --- Who may answer -----------------------------------------------------------------------------


def linked_order_for(project: Project, phone: str) -> WorkOrder | None:
    """The first linked request whose caller used ``phone``, if any."""
    link = (
        ProjectWorkOrder.objects.filter(project=project, order__caller_phone=phone)
        .select_related("order")
        .order_by("id")
        .first()
    )
    return link.order if link else None


def _eligible(project: Project, phone: str, now: Any) -> WorkOrder | None:
    """Check that ``phone`` may answer now and return its linked request, if any. The citizens
    of linked requests may answer while the evaluation is open and after 销号; the residents in
    the household register of the project's area only while it is open."""
    order = linked_order_for(project, phone)
    if order is not None:
        if project.status not in LINKED_OPEN:
            raise ValidationFailed("该项目当前不在群众评价期内", code="not_open")
        return order
    if project.status not in OPEN_FOR_EVALUATION:
        raise ValidationFailed("该项目当前不在群众评价期内", code="not_open")
    on_register = (
        # Unscoped: a citizen has no account; only "on the register here" is learnt, not who.
        Resident.objects.unscoped()
        .filter(mobile=phone, household__org_unit__path__startswith=project.org_unit.path)
        .exists()
    )
    if not on_register:
        _refuse(
            project,
            R.NOT_ELIGIBLE,
            PermissionDenied(
                "该手机号不在本项目关联诉求或所在社区住户登记名单中，无法参与线上测评。"
                "如您是本社区居民，请联系社区或网格员登记，或参加现场测评。",
                code="not_eligible",
            ),
            now,
        )
    return None


def _require_open(project: Project) -> None:
    if project.status not in LINKED_OPEN:
        raise ValidationFailed("该项目当前不在群众评价期内", code="not_open")


# --- SMS codes ------------------------------------------------------------------------------------


def survey_code_request(*, project: Project, phone: Any, client: str, now: Any = None) -> str:
    """Text a six-digit code to an eligible mobile; returns the mobile masked (138****5678).

    Counted against the client address and the mobile whether or not the mobile is on a list, so
    the lists cannot be probed faster than the limits allow."""
    now = now or timezone.now()
    _require_open(project)
    phone = _mobile(phone)
    key = phone_key(project, phone)
    _throttle(
        project,
        CODE_SCOPE,
        {
            _client(client): conf.survey_codes_per_client(),
            f"m:{key[:40]}": conf.survey_codes_per_phone(),
        },
        now,
    )
    if Evaluation.objects.filter(project=project, respondent_key=key).exists():
        _duplicate(project, now)
    _eligible(project, phone, now)
    code = f"{secrets.randbelow(10**6):06d}"
    ttl = conf.survey_code_ttl_seconds()
    with transaction.atomic():
        SurveyCode.objects.create(
            project=project,
            phone_key=key,
            code_hash=_code_hash(project, phone, code),
            created_at=now,
            expires_at=now + datetime.timedelta(seconds=ttl),
        )
        notify(
            channel="sms",
            template="projects.survey_code",
            context={"code": code, "name": project.name, "minutes": max(1, ttl // 60)},
            address=phone,
            related=project,
        )
    return mask_phone(phone)


def survey_vote_with_code(
    *,
    project: Project,
    phone: Any,
    code: Any,
    choice: Any,
    comment: Any,
    client: str,
    now: Any = None,
) -> Evaluation:
    """An answer proven by mobile + SMS code. The code is consumed by compare-and-set in the
    transaction that writes the answer; a wrong code costs one of its tries."""
    now = now or timezone.now()
    _require_open(project)
    phone = _mobile(phone)
    choice, comment = _answer(choice, comment)
    _throttle(project, VOTE_SCOPE, {_client(client): conf.survey_votes_per_client()}, now)
    key = phone_key(project, phone)
    text = str(code or "").strip()[:12]
    live = list(
        SurveyCode.objects.filter(
            project=project,
            phone_key=key,
            used_at__isnull=True,
            expires_at__gt=now,
            attempts__lt=conf.survey_code_attempts(),
        ).order_by("-created_at")
    )
    wanted = _code_hash(project, phone, text) if ASCII_CODE.match(text) else ""
    match = next((c for c in live if wanted and hmac.compare_digest(c.code_hash, wanted)), None)
    if match is None:
        if live:
            SurveyCode.objects.filter(pk__in=[c.pk for c in live]).update(
                attempts=F("attempts") + 1
            )
        _refuse(
            project,
            R.BAD_CODE,
            ValidationFailed(
                "验证码不正确或已失效（有效期"
                f"{max(1, conf.survey_code_ttl_seconds() // 60)}分钟，"
                f"最多可输错{conf.survey_code_attempts()}次），请核对短信或重新获取",
                code="bad_code",
            ),
            now,
        )
    order = _eligible(project, phone, now)
    try:
        with transaction.atomic():
            consumed = SurveyCode.objects.filter(pk=match.pk, used_at__isnull=True).update(
                used_at=now
            )
            if not consumed:
                raise _Spent
            evaluation = _create(project, choice, comment, key, order, "project.evaluate_sms")
    except (_Spent, IntegrityError):
        _duplicate(project, now)
    return evaluation


def _create(
    project: Project, choice: str, comment: str, key: str, order: WorkOrder | None, action: str
) -> Evaluation:
    evaluation = Evaluation.objects.create(
        project=project,
        choice=choice,
        comment=comment,
        channel=EvaluationChannel.ONLINE,
        respondent_key=key,
        work_order=order,
    )
    record_change(
        actor=None, action=action, obj=evaluation, before=None, after=snapshot(evaluation)
    )
    return evaluation


# --- Invitations ----------------------------------------------------------------------------------


def survey_invitation(token: Any) -> SurveyInvitation:
    """The invitation for a link's token (used or not); NotFound for anything else."""
    text = str(token or "")
    if not text or len(text) > MAX_TOKEN:
        raise NotFound("邀请链接无效，请核对短信中的链接")
    invitation = (
        SurveyInvitation.objects.select_related("project__lead_unit")
        .filter(token_hash=_token_hash(text))
        .first()
    )
    if invitation is None:
        raise NotFound("邀请链接无效或已被新的短信链接取代，请使用最新收到的链接")
    return invitation


def survey_vote_with_invitation(
    *, token: Any, choice: Any, comment: Any, client: str, now: Any = None
) -> Evaluation:
    """An answer through a one-time invitation link, which it consumes (compare-and-set)."""
    now = now or timezone.now()
    invitation = survey_invitation(token)
    project = invitation.project
    _require_open(project)
    choice, comment = _answer(choice, comment)
    _throttle(project, VOTE_SCOPE, {_client(client): conf.survey_votes_per_client()}, now)
    used = "该邀请链接已使用，每位居民只能评价一次，感谢您的参与"
    if invitation.used_at is not None:
        _duplicate(project, now, used)
    try:
        with transaction.atomic():
            consumed = SurveyInvitation.objects.filter(
                pk=invitation.pk, token_hash=invitation.token_hash, used_at__isnull=True
            ).update(used_at=now)
            if not consumed:
                raise _Spent
            evaluation = _create(
                project,
                choice,
                comment,
                invitation.phone_key,
                invitation.work_order,
                "project.evaluate_invited",
            )
    except _Spent:
        _duplicate(project, now, used)
    except IntegrityError:
        _duplicate(project, now)
    return evaluation


def invitation_url(token: str) -> str:
    return conf.public_base_url() + reverse("projects_public:invitation", args=[token])


def _issue(project: Project, phone: str, order: WorkOrder, now: Any) -> str | None:
    """A fresh token for ``phone``'s invitation (created, or rotated while unused); None when
    the mobile has answered already."""
    key = phone_key(project, phone)
    if Evaluation.objects.filter(project=project, respondent_key=key).exists():
        return None
    token = secrets.token_urlsafe(16)
    fields = {"token_hash": _token_hash(token), "sent_at": now}
    if SurveyInvitation.objects.filter(project=project, phone_key=key, used_at__isnull=True).update(
        **fields
    ):
        return token
    try:
        with transaction.atomic():
            SurveyInvitation.objects.create(
                project=project, phone_key=key, phone_tail=phone[-4:], work_order=order, **fields
            )
    except IntegrityError:  # used meanwhile, or created by a concurrent run
        return None
    return token


def invite_linked_citizens(project: Project, *, occasion: str, now: Any = None) -> int:
    """Text each linked request's citizen (one message per mobile) who has not answered yet a
    one-time invitation: ``occasion`` "open" when the evaluation opens (申请销号, or a request
    linked while it is open), "closed" on 销号 — then everyone hears of it, with a link if they
    have not answered. At most one message per mobile and occasion (and claim), however often
    this runs. Returns how many were queued."""
    now = now or timezone.now()
    stamp = int(project.claimed_at.timestamp()) if project.claimed_at else 0
    date = f"{timezone.localdate(project.closed_at or now):%Y-%m-%d}"
    seen: set[str] = set()
    sent = 0
    links = ProjectWorkOrder.objects.filter(project=project).select_related("order")
    for link in links.order_by("id"):
        order = link.order
        phone = order.caller_phone
        if not ASCII_MOBILE.match(phone) or phone in seen:
            continue  # anonymous or a landline: nobody to text
        seen.add(phone)
        key = phone_key(project, phone)
        dedupe = f"project:{project.pk}:survey:{key[:24]}:{occasion}:{stamp}"
        if Message.objects.filter(dedupe_key=dedupe).exists():
            continue
        with transaction.atomic():
            token = _issue(project, phone, order, now)
            context = {"order": order.number, "name": project.name, "date": date}
            if occasion == "closed":
                template = "projects.linked_closed" if token else "projects.linked_closed_rated"
            elif token:
                template = "projects.survey_invite"
            else:
                continue
            if token:
                context["url"] = invitation_url(token)
            message = notify(
                channel="sms",
                template=template,
                context=context,
                address=phone,
                related=project,
                dedupe_key=dedupe,
            )
            if message is None:
                transaction.set_rollback(True)  # a concurrent run sent it: keep its token
                continue
        sent += 1
    return sent
