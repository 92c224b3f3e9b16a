"""Navigation by role: each entry shows only when the user holds the action behind it somewhere."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from banshi.core.permissions import can

NAV: list[tuple[str | None, str, str]] = [
    ("orgunit.view", "orgtree:browse", gettext_noop("组织架构")),
    ("workorder.view", "workorders:home", gettext_noop("接诉即办")),
    ("workorder.metrics", "workorders:metrics", gettext_noop("三率排名")),
    ("project.view", "projects:ledger", gettext_noop("实事项目")),
    ("insight.view", "insight:home", gettext_noop("未诉先办")),
    ("household.view", "grid:households", gettext_noop("住户台账")),
    ("grid.stats", "grid:figures", gettext_noop("联户覆盖")),
    ("volunteer.view", "volunteers:manage", gettext_noop("志愿服务")),
    ("party.view", "party:units", gettext_noop("双报到")),
    ("indicator.view", "indicators:overview", gettext_noop("六位指标")),
    # Everyone signed in may serve as a volunteer.
    (None, "volunteers:me", gettext_noop("我的志愿服务")),
    ("user.view", "accounts:users", gettext_noop("账号与授权")),
    ("audit.view", "audit:changes", gettext_noop("变更记录")),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items: list[dict[str, Any]] = [
        {"url": reverse(url_name), "label": _(label), "active": False}
        for action, url_name, label in NAV
        if action is None or can(user, action)
    ]
    # The longest matching prefix wins, so /workorders/metrics/ lights 三率排名 only.
    matches = [item for item in items if request.path.startswith(item["url"])]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items, "site_name": _("办实事")}
