"""The sentences request handling writes into a request's timeline itself (``services``), declared
for the catalogue so timelines read in the page's language (``banshi.core.phrases``). They must
stay word for word what the services write; ``tests/test_i18n_strings.py`` walks a request through
its life and checks that every system sentence on its timeline is one of these."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from banshi.core import phrases

SENTENCES = [
    gettext_noop("诉求已受理（%(channel)s）"),
    gettext_noop("不予受理：%(reason)s"),
    gettext_noop("已与工单 %(number)s 合并办理"),
    gettext_noop("已转交%(unit)s办理"),
    gettext_noop("%(unit)s已签收"),
    gettext_noop("已改派%(unit)s办理"),
    gettext_noop("承办单位已与您联系，正在办理"),
    gettext_noop("办理期限延长%(days)s个工作日"),
    gettext_noop("承办单位已答复，待审核"),
    gettext_noop("办理结果：%(result)s"),
    gettext_noop("回访未接通，按规定办结"),
    gettext_noop("工单已办结归档"),
    gettext_noop("回访完成，工单已办结归档"),
    gettext_noop("感谢您的评价：%(satisfaction)s"),
    gettext_noop("%(days)s日内未评价，视为基本满意"),
    gettext_noop("逾期未评价，视为基本满意，工单已办结归档"),
    gettext_noop("工单重新办理"),
    gettext_noop("办理期限临近"),
    gettext_noop("已超过办结时限"),
    gettext_noop("超时次日自动催办"),
    gettext_noop("超时超过%(days)s个工作日，予以通报"),
]
# Words the services put into messages as values.
WORDS = [gettext_noop("已批准"), gettext_noop("未批准"), gettext_noop("超时未办结，系统自动催办")]


def register() -> None:
    phrases.register(*SENTENCES)
