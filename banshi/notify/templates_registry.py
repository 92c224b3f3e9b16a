"""Message templates in Chinese, registered by the modules that send them.

A template is a subject and a body with ``{name}`` placeholders; each module registers its own at
import time (``register({...})``) so the outbox knows every message the platform can send.

Messages are rendered and stored in Chinese (an SMS goes out in the platform's first language,
whoever caused it). Templates are marked for the catalogue (``gettext_noop``) and registered as
phrases, so the inbox shows a stored message in the reader's language (``banshi.core.phrases``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from banshi.core import phrases


@dataclass(frozen=True)
class MessageTemplate:
    subject: str
    body: str


_TEMPLATES: dict[str, MessageTemplate] = {
    "notify.test": MessageTemplate(
        gettext_noop("【办实事】测试消息"), gettext_noop("这是一条测试消息：{text}")
    ),
}


def register(templates: dict[str, MessageTemplate]) -> None:
    for key, template in templates.items():
        if key in _TEMPLATES and _TEMPLATES[key] != template:
            raise ValueError(f"消息模板重复定义：{key}")
        _TEMPLATES[key] = template
        phrases.register(template.subject, template.body)


def render(key: str, context: dict[str, object]) -> tuple[str, str]:
    template = _TEMPLATES[key]
    return template.subject.format(**context), template.body.format(**context)


def all_templates() -> dict[str, MessageTemplate]:
    return dict(_TEMPLATES)


phrases.register(*(text for t in _TEMPLATES.values() for text in (t.subject, t.body)))
