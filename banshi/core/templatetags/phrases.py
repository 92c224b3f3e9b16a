"""``{{ text|phrase }}``: a sentence the system stored in Chinese, in the page's language."""

from __future__ import annotations

from django import template

from banshi.core import phrases

register = template.Library()


@register.filter
def phrase(text: str) -> str:
    return phrases.translate(str(text) if text is not None else "")
