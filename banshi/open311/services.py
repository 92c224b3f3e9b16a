"""Writes of the Open311 adapter: registering applications, issuing and revoking keys.

Submitting a request is not here: it is ``banshi.workorders.services.submit`` (channel
``open311``), called by the view with the adapter's mapping of the Open311 parameters.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from banshi.audit.services import record_change
from banshi.core import throttle
from banshi.core.errors import NotFound, PermissionDenied, ValidationFailed
from banshi.core.validation import clean_text, is_digits
from banshi.open311.models import ApiKey, Application
from banshi.orgtree.models import OrgUnit
from banshi.workorders.services.intake import public_rates

KEY_BYTES = 24  # 32 url-safe characters


def digest_of(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


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
