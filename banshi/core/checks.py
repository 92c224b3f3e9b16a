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


@checks.register(checks.Tags.models)
def scope_declarations(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every model on a ``ScopedQuerySet`` declares ``scope = Scope(...)``, and each of its
    lookups reaches a ``path``: a typo would otherwise surface as a 500 on the first list."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    from banshi.core.scoping import ScopedQuerySet, scope_of

    errors: list[checks.CheckMessage] = []
    for model in apps.get_models():
        if not issubclass(
            getattr(model._default_manager, "_queryset_class", object), ScopedQuerySet
        ):
            continue
        scope = scope_of(model)
        if scope is None:
            errors.append(
                checks.Error(
                    f"{model._meta.label} 使用 ScopedQuerySet 但没有声明 scope", id="banshi.E003"
                )
            )
            continue
        for way in scope.ways:
            current: Any = model
            try:
                for part in way.lookup.split("__")[:-1]:
                    current = current._meta.get_field(part).related_model
                current._meta.get_field(way.lookup.split("__")[-1])
            except (FieldDoesNotExist, AttributeError):
                errors.append(
                    checks.Error(
                        f"{model._meta.label} 的范围路径 {way.lookup} 无效", id="banshi.E004"
                    )
                )
    return errors
