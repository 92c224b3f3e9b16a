"""Message templates in Chinese, registered by the modules that send them.

A template is a subject and a body with ``{name}`` placeholders; each module registers its own at
import time (``register({...})``) so the outbox knows every message the platform can send.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MessageTemplate:
    subject: str
    body: str


_TEMPLATES: dict[str, MessageTemplate] = {
    "notify.test": MessageTemplate("【办实事】测试消息", "这是一条测试消息：{text}"),
}


def register(templates: dict[str, MessageTemplate]) -> None:
    for key, template in templates.items():
        if key in _TEMPLATES and _TEMPLATES[key] != template:
            raise ValueError(f"消息模板重复定义：{key}")
        _TEMPLATES[key] = template


def render(key: str, context: dict[str, object]) -> tuple[str, str]:
    template = _TEMPLATES[key]
    return template.subject.format(**context), template.body.format(**context)


def all_templates() -> dict[str, MessageTemplate]:
    return dict(_TEMPLATES)
