"""Writes of the Open311 adapter: submitting a request, registering applications, issuing and
revoking keys.

A request is created by ``banshi.workorders.services.submit`` (channel ``open311``); the adapter's
own part is mapping the parsed parameters onto it, recognising a client's retry, and the row
recording which application submitted which request (its token, media URL and retry digest).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from banshi.audit.services import record_change
from banshi.core import throttle
from banshi.core.errors import NotFound, PermissionDenied, ValidationFailed
from banshi.core.validation import clean_text, is_digits
from banshi.open311.models import ApiKey, Application, SubmittedRequest
from banshi.orgtree.models import OrgUnit
from banshi.workorders.choices import Channel, Kind
from banshi.workorders.models import Category
from banshi.workorders.services import PublicClient, SubmitInput, submit
from banshi.workorders.services.intake import public_rates

KEY_BYTES = 24  # 32 url-safe characters
# An Open311 report asks the city to put something right (a pothole, a dark street lamp): 求助.
KIND = Kind.HELP
# A client retrying the same POST without an idempotency key within this window gets the first
# request back instead of a second one.
RETRY_WINDOW = datetime.timedelta(minutes=10)


def digest_of(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RequestIn:
    """An Open311 POST as the view parsed and checked it.

    ``contact`` holds ``name``, ``phone``, ``email``, ``media_url``, ``device_id`` and
    ``account_id``; ``location`` holds ``point`` (latitude, longitude or None), ``address`` and
    ``address_id``; ``unit`` is where the request was placed; ``idempotency_key`` is the client's
    own key, if it sent one."""

    service: Category
    unit: OrgUnit
    description: str
    contact: dict[str, str]
    location: dict[str, Any]
    answers: dict[str, Any]
    files: list[Any]
    idempotency_key: str | None = None


def request_submit(
    *, application: Application, data: RequestIn, now: datetime.datetime | None = None
) -> SubmittedRequest:
    """Submit a request for ``application``; returns the record holding its id and token.

    A repeat is answered with the first request and writes nothing: with the client's own key,
    through the intake's submission key; without one, when the same application posts the same
    content within ``RETRY_WINDOW`` (by a digest of everything it sent). The request, its
    attachments, its history and this record are one transaction."""
    now = now or timezone.now()
    digest = _digest(application.pk, data)
    if data.idempotency_key is not None:
        key = f"open311:{application.pk}:{data.idempotency_key}"
    else:
        earlier = (
            SubmittedRequest.objects.filter(
                application=application, digest=digest, created_at__gte=now - RETRY_WINDOW
            )
            .select_related("order")
            .first()
        )
        if earlier is not None:
            return earlier
        bucket = int(now.timestamp() // RETRY_WINDOW.total_seconds())
        key = f"open311:{application.pk}:auto:{digest[:40]}:{bucket}"
    service, contact, point = data.service, data.contact, data.location["point"]
    intake = SubmitInput(
        channel=Channel.OPEN311,
        kind=KIND,
        category_id=service.pk,
        content=data.description
        or f"{service.name}（经 Open311 应用“{application.name}”提交，未填写描述）",
        address=data.location["address"],
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        org_unit=data.unit,
        caller_name=contact["name"][:50],
        caller_phone=contact["phone"],
        files=data.files,
        submission_key=key,
        open311={
            "app": application.name,
            "email": contact["email"],
            "device_id": contact["device_id"],
            "account_id": contact["account_id"],
            "attributes": data.answers,
        },
    )
    with transaction.atomic():
        # The application's own address is not limited (it relays for many people); the phone
        # number each receipt SMS goes to is.
        order, created = submit(actor=None, data=intake, now=now, public=PublicClient())
        record = SubmittedRequest.objects.filter(order=order).first()
        if record is None:
            if not created:  # the key belongs to a request that did not come through Open311
                raise ValidationFailed("该幂等键已被使用", code="idempotency_key_reused")
            record = SubmittedRequest.objects.create(
                order=order,
                application=application,
                token=secrets.token_hex(12),
                media_url=contact["media_url"],
                digest=digest,
                created_at=now,
            )
    return record


def _digest(app_id: int, data: RequestIn) -> str:
    contact, location = data.contact, data.location
    payload = [
        app_id,
        data.service.code,
        contact["device_id"],
        contact["account_id"],
        contact["email"],
        contact["phone"],
        contact["media_url"],
        data.description,
        str(location["point"]),
        location["address"],
        location["address_id"],
        sorted(data.answers.items()),
        [(f.name, f.size) for f in data.files],
    ]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, default=str).encode()).hexdigest()


def application_create(
    *, actor: Any, name: str, contact: str = "", org_unit: OrgUnit | None = None
) -> tuple[Application, str]:
    """Register an application and issue its first key; returns (application, key)."""
    name = clean_text(name, field="应用名称", max_length=64)
    contact = clean_text(contact, field="联系方式", max_length=200, required=False)
    with transaction.atomic():
        if Application.objects.filter(name=name).exists():
            raise ValidationFailed(f"应用“{name}”已存在", code="duplicate_application")
        app = Application.objects.create(name=name, contact=contact, org_unit=org_unit)
        record_change(
            actor=actor,
            action="open311.application_create",
            obj=app,
            before=None,
            after={"name": name, "contact": contact, "org_unit": org_unit.pk if org_unit else None},
        )
        key = _issue(actor, app)
    return app, key


def key_issue(*, actor: Any, application: Application) -> str:
    """A new key for an application (older keys stay valid until revoked)."""
    with transaction.atomic():
        return _issue(actor, application)


def _issue(actor: Any, app: Application) -> str:
    raw = secrets.token_urlsafe(KEY_BYTES)
    ApiKey.objects.create(application=app, prefix=raw[:8], digest=digest_of(raw))
    record_change(
        actor=actor,
        action="open311.key_issue",
        obj=app,
        before=None,
        after={"prefix": raw[:8]},
    )
    return raw


def application_deactivate(*, actor: Any, application: Application) -> Application:
    """Stop an application: all its keys are refused from now on (its requests stay)."""
    with transaction.atomic():
        updated = Application.objects.filter(pk=application.pk, is_active=True).update(
            is_active=False
        )
        if updated:
            record_change(
                actor=actor,
                action="open311.application_deactivate",
                obj=application,
                before={"is_active": True},
                after={"is_active": False},
            )
    application.refresh_from_db()
    return application


def authenticate(raw_key: str | None) -> Application:
    """The active application owning ``raw_key``; PermissionDenied (HTTP 403) otherwise."""
    if not raw_key:
        raise PermissionDenied("缺少 api_key，无法提交诉求", code="api_key_missing")
    if len(raw_key) > 200:
        raise PermissionDenied("api_key 无效", code="api_key_invalid")
    key = (
        ApiKey.objects.select_related("application__org_unit")
        .filter(digest=digest_of(raw_key), is_active=True, application__is_active=True)
        .first()
    )
    if key is None:
        raise PermissionDenied("api_key 无效或已停用", code="api_key_invalid")
    now = timezone.now()
    # Touch at most once a minute so a busy client does not write on every request.
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key.application


KEYLESS_SCOPE = "open311_post"


def authenticate_post(raw_key: str | None, *, client: str) -> Application:
    """``authenticate`` for a POST. A POST without a valid key counts against its address; once
    the address is over the per-address intake limit the answer is 429 instead of 403. A valid
    key is never refused here: an application relays for many people from one address."""
    try:
        return authenticate(raw_key)
    except PermissionDenied:
        by_address, _ = public_rates()
        if not client or by_address is None:
            raise
        key = f"a:{client}"
        throttle.check(
            KEYLESS_SCOPE,
            {key: by_address},
            detail=f"提交过于频繁：同一网络地址无有效 api_key 的提交{by_address}，请稍后再试",
        )
        throttle.hit(KEYLESS_SCOPE, key)
        raise


def find_application(ref: str) -> Application:
    """By id or name, for the management command."""
    text = (ref or "").strip()
    app = None
    if is_digits(text) and len(text) < 19:
        app = Application.objects.filter(pk=int(text)).first()
    if app is None:
        app = Application.objects.filter(name=text).first()
    if app is None:
        raise NotFound(f"应用“{text}”不存在")
    return app
