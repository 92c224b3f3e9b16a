"""System checks: settings that would otherwise fail only on the first request that uses them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

RATE_SETTINGS = ["PUBLIC_INTAKE_RATE_PER_ADDRESS", "PUBLIC_INTAKE_RATE_PER_PHONE"]


@checks.register()
def rate_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from banshi.core.throttle import parse_rate

    errors: list[checks.CheckMessage] = []
    for name in RATE_SETTINGS:
        try:
            parse_rate(str(getattr(settings, name, "")))
        except ImproperlyConfigured as exc:
            errors.append(checks.Error(f"{name}：{exc}", id="banshi.E001"))
    if int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0) < 0:
        errors.append(checks.Error("TRUSTED_PROXY_COUNT 不能为负数", id="banshi.E002"))
    return errors
