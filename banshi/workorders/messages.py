"""The Chinese messages requests send (SMS to citizens, in-app to units and supervisors)."""

from django.utils.translation import gettext_noop

from banshi.notify.templates_registry import MessageTemplate, register

TEMPLATES = {
    "workorder.received": MessageTemplate(
        gettext_noop("【办实事】诉求已受理"),
        gettext_noop(
            "您的诉求已受理，工单编号{number}，查询码{code}。可凭编号和手机号后四位（或查询码）查询办理进度。"
        ),
    ),
    "workorder.answered": MessageTemplate(
        gettext_noop("【办实事】诉求已答复"),
        gettext_noop("您的诉求（工单{number}）已直接答复，可登录查询详情。"),
    ),
    "workorder.rate_invite": MessageTemplate(
        gettext_noop("【办实事】请评价办理结果"),
        gettext_noop(
            "您的诉求（工单{number}）已办理完毕，请凭编号和手机号后四位（或查询码{code}）评价。7日内未评价视为基本满意。"
        ),
    ),
    "workorder.dispatched": MessageTemplate(
        gettext_noop("新工单待签收：{number}"),
        gettext_noop("工单{number}“{title}”已派至{unit}，请及时签收办理，办结时限{due}。"),
    ),
    "workorder.co_dispatched": MessageTemplate(
        "新协办工单：{number}",
        "工单{number}“{title}”由{lead}主办，{unit}协办，请及时签收并向主办单位提交协办意见。",
    ),
    "workorder.co_replied": MessageTemplate(
        "协办意见：{number}",
        "{co}已就工单{number}“{title}”提交协办意见，请在答复前查阅。",
    ),
    "workorder.return_refused": MessageTemplate(
        gettext_noop("退单未获准：{number}"),
        gettext_noop("工单{number}的退单申请经审定不予退回，请继续办理。审定意见：{ruling}"),
    ),
    "workorder.extension_decided": MessageTemplate(
        gettext_noop("延期申请{result}：{number}"),
        gettext_noop("工单{number}的延期申请{result}，当前办结时限{due}。"),
    ),
    "workorder.audit_rejected": MessageTemplate(
        gettext_noop("答复被退回：{number}"),
        gettext_noop("工单{number}的答复审核未通过，请重新办理。理由：{reason}"),
    ),
    "workorder.reopened": MessageTemplate(
        gettext_noop("工单重办：{number}"),
        gettext_noop("工单{number}需重新办理，办结时限{due}。理由：{reason}"),
    ),
    "workorder.urged": MessageTemplate(
        gettext_noop("催办：{number}"),
        gettext_noop("工单{number}“{title}”被催办，请抓紧办理（时限{due}）。{note}"),
    ),
    "workorder.supervised": MessageTemplate(
        gettext_noop("督办：{number}"),
        gettext_noop(
            "工单{number}“{title}”列入督办，请于{supervise_due}前办结并反馈。督办意见：{note}"
        ),
    ),
    "workorder.instructed": MessageTemplate(
        gettext_noop("领导批示：{number}"),
        gettext_noop("工单{number}“{title}”有领导批示：{instruction}"),
    ),
    "workorder.near_due": MessageTemplate(
        gettext_noop("即将到期：{number}"),
        gettext_noop("工单{number}“{title}”将于{due}到期，请抓紧办理。"),
    ),
    "workorder.overdue": MessageTemplate(
        gettext_noop("已超时：{number}"),
        gettext_noop("工单{number}“{title}”已超过办结时限{due}。"),
    ),
    "workorder.escalated": MessageTemplate(
        gettext_noop("超时通报：{number}"),
        gettext_noop("{unit}办理的工单{number}已超时{days}个工作日以上，予以通报。"),
    ),
}

register(TEMPLATES)
