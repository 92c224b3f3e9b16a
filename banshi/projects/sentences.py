"""The sentences the ledger writes into a project's timeline itself (``services``), declared for
the catalogue so the timeline reads in the page's language (``banshi.core.phrases``). They must
stay word for word what the services write."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_noop

from banshi.core import phrases
from banshi.projects.choices import TRANSITIONS

SENTENCES = [
    gettext_noop("征集录入"),
    gettext_noop("列入清单"),
    gettext_noop("修改台账"),
    gettext_noop("调整节点计划"),
    gettext_noop("牵头领导确认交办"),
    gettext_noop("牵头单位确认交办"),
    gettext_noop("公示晒单"),
    gettext_noop("申请调整完成时限"),
    gettext_noop("批准调整完成时限"),
    gettext_noop("未批准调整完成时限"),
    gettext_noop("上传%(kind)s"),
    gettext_noop("关联群众诉求"),
    gettext_noop("取消关联群众诉求"),
    gettext_noop("报送进展"),
    gettext_noop("审核通过进展"),
    gettext_noop("退回进展"),
    gettext_noop("发出%(kind)s"),
    gettext_noop("答复%(kind)s"),
    gettext_noop("%(purpose)s（%(result)s）"),
    gettext_noop("完成督办事项"),
    gettext_noop("设置联点领导"),
    gettext_noop("召开现场办公会"),
    # Notes the services compose.
    gettext_noop("%(date)s 累计%(percent)s%%"),
    gettext_noop("%(date)s 累计%(percent)s%%；%(note)s"),
    gettext_noop("工单%(number)s %(title)s"),
]
# Words the services put into those sentences.
WORDS = [gettext_noop("通过"), gettext_noop("不通过")]


def register() -> None:
    with translation.override(settings.LANGUAGE_CODE):
        transitions = [str(t.label) for t in TRANSITIONS.values()]
    phrases.register(*SENTENCES, *transitions)
