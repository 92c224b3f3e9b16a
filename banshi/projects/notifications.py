"""The Chinese messages the ledger sends, registered with the outbox, and who receives them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from banshi.accounts.models import RoleAssignment, User
from banshi.accounts.roles import Role
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
            "欢迎凭工单编号和手机号后四位（或查询码）对项目进行评价：{url}"
        ),
    ),
}
register(TEMPLATES)


def unit_handlers(unit: OrgUnit) -> list[User]:
    """The liaisons of a unit: users holding the 承办 role on that very node."""
    ids = (
        RoleAssignment.objects.active()
        .filter(role=Role.HANDLER, org_unit=unit)
        .values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=list(ids), is_active=True).order_by("id"))


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


def tell_linked_citizens(project: Any) -> int:
    """On 销号: an SMS to the citizen of each request linked to ``project``, inviting them to rate
    it on its survey page. At most one per project and request, however often this runs."""
    from django.urls import reverse
    from django.utils import timezone

    from banshi.projects import conf
    from banshi.projects.models import ProjectWorkOrder

    if project.survey_token:
        url = conf.public_base_url() + reverse(
            "projects_public:survey", args=[project.survey_token]
        )
    else:
        url = conf.public_base_url() + reverse("public:track")
    date = f"{timezone.localdate(project.closed_at or timezone.now()):%Y-%m-%d}"
    sent = 0
    links = ProjectWorkOrder.objects.filter(project=project).select_related("order")
    for link in links.order_by("id"):
        order = link.order
        if not order.caller_phone.startswith("1"):
            continue  # anonymous or a landline: nobody to text
        message = notify(
            channel="sms",
            template="projects.linked_closed",
            context={"order": order.number, "name": project.name, "date": date, "url": url},
            address=order.caller_phone,
            related=project,
            dedupe_key=f"project:{project.pk}:order:{order.pk}:closed",
        )
        sent += message is not None
    return sent
