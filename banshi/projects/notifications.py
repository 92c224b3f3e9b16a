"""The Chinese messages the ledger sends, registered with the outbox, and who receives them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from banshi.accounts.models import User
from banshi.accounts.roles import Role
from banshi.accounts.selectors import holders_on
from banshi.notify.services import notify
from banshi.notify.templates_registry import MessageTemplate, register
from banshi.orgtree.models import OrgUnit

TEMPLATES = {
    "projects.assigned": MessageTemplate(
        gettext_noop("【办实事】实事项目交办：{name}"),
        gettext_noop(
            "{unit}：实事项目「{number} {name}」已交办，牵头领导{leader}，完成时限{deadline}。"
            "请登录平台确认交办，并每周报送进展。"
        ),
    ),
    "projects.notice": MessageTemplate(
        gettext_noop("【办实事】{kind}通知：{name}"),
        gettext_noop("{unit}：{content}（项目编号{number}，请于{due}前答复）"),
    ),
    "projects.notice_cc": MessageTemplate(
        gettext_noop("【办实事】{kind}抄送：{name}"),
        gettext_noop(
            "已就您牵头的实事项目「{number} {name}」向{unit}发出{kind}：{content}（答复时限{due}）"
        ),
    ),
    "projects.rejected": MessageTemplate(
        gettext_noop("【办实事】销号申请被退回：{name}"),
        gettext_noop("{unit}：实事项目「{number} {name}」的销号申请被退回整改。理由：{note}"),
    ),
    "projects.report_returned": MessageTemplate(
        gettext_noop("【办实事】进展报告被退回：{name}"),
        gettext_noop("您报送的「{name}」{date}进展被退回。审核意见：{note}"),
    ),
    "projects.item": MessageTemplate(
        gettext_noop("【办实事】督办事项：{origin}"),
        gettext_noop("{unit}：{content}（责任人{owner}，完成时限{due}）"),
    ),
    "projects.closed": MessageTemplate(
        gettext_noop("【办实事】实事项目已销号：{name}"),
        gettext_noop("您牵头的实事项目「{number} {name}」已通过验收和群众评价，于{date}销号。"),
    ),
    "projects.linked_closed": MessageTemplate(
        gettext_noop("【办实事】您反映的问题已纳入实事项目并销号：{name}"),
        gettext_noop(
            "您反映的诉求（工单{order}）已纳入实事项目「{name}」，该项目已于{date}完成销号。"
            "欢迎通过您的专属链接评价（仅限一次，请勿转发）：{url}"
        ),
    ),
    "projects.linked_closed_rated": MessageTemplate(
        gettext_noop("【办实事】您反映的问题已纳入实事项目并销号：{name}"),
        gettext_noop(
            "您反映的诉求（工单{order}）已纳入实事项目「{name}」，该项目已于{date}完成销号。"
            "感谢您参与评价。"
        ),
    ),
    "projects.survey_invite": MessageTemplate(
        gettext_noop("【办实事】邀请您评价实事项目：{name}"),
        gettext_noop(
            "您反映的诉求（工单{order}）已纳入实事项目「{name}」，该项目已申请销号。"
            "请通过您的专属链接评价完成情况（仅限一次，请勿转发）：{url}"
        ),
    ),
    "projects.survey_code": MessageTemplate(
        gettext_noop("【办实事】测评验证码"),
        gettext_noop(
            "您正在参与实事项目「{name}」群众满意度测评，验证码{code}，{minutes}分钟内有效。"
            "如非本人操作，请忽略本短信。"
        ),
    ),
}
register(TEMPLATES)


def unit_handlers(unit: OrgUnit) -> list[User]:
    """The liaisons of a unit: users holding the 承办 role on that very node."""
    return list(holders_on(Role.HANDLER, unit).order_by("id"))


def tell_unit(
    unit: OrgUnit, template: str, context: dict[str, Any], related: Any, key: str | None = None
) -> int:
    """An in-app message and an SMS to each handler of ``unit``; returns how many queued."""
    sent = 0
    for user in unit_handlers(unit):
        for channel in ("inapp", "sms"):
            dedupe = f"{key}:{user.pk}:{channel}" if key else None
            if notify(
                channel=channel,
                template=template,
                context={"unit": unit.name, **context},
                recipient=user,
                address=user.mobile if channel == "sms" else "",
                related=related,
                dedupe_key=dedupe,
            ):
                sent += 1
    return sent


def tell_user(
    user: User | None, template: str, context: dict[str, Any], related: Any, key: str | None = None
) -> int:
    if user is None:
        return 0
    message = notify(
        channel="inapp",
        template=template,
        context=context,
        recipient=user,
        related=related,
        dedupe_key=f"{key}:{user.pk}" if key else None,
    )
    return 1 if message else 0
