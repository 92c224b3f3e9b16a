"""Sentences the platform itself writes into stored history (timelines, messages), shown again in
the reader's language.

History is append-only and stored in the platform's first language, so a record reads the same
years later whatever language its author used. The sentences the system writes ("已转交{unit}办理",
"%(date)s 累计%(percent)s%%") are registered here by the apps that write them, marked for the
catalogue. On display a stored text that is exactly one of them is rendered again through the
catalogue, each value passed through it too (a choice label such as 移动端 translates; a unit's name
is not in the catalogue and stays as it is). Anything else — what people typed — shows as stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

# %(name)s (printf style, as in the catalogue) or {name} (str.format, as in message templates).
_PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)\}|%%")


@dataclass(frozen=True)
class _Phrase:
    msgid: str
    pattern: re.Pattern[str]
    braces: bool


_PHRASES: dict[str, _Phrase] = {}
_ORDER: list[_Phrase] = []  # the most literal text first, so a specific sentence wins


def _compile(msgid: str) -> _Phrase:
    parts: list[str] = []
    position = 0
    braces = False
    for match in _PLACEHOLDER.finditer(msgid):
        parts.append(re.escape(msgid[position : match.start()]))
        if match.group(0) == "%%":
            parts.append("%")
        else:
            name = match.group(1) or match.group(2)
            braces = braces or bool(match.group(2))
            parts.append(f"(?P<{name}>.+?)")
        position = match.end()
    parts.append(re.escape(msgid[position:]))
    return _Phrase(msgid, re.compile("".join(parts), re.DOTALL), braces)


def register(*msgids: str) -> None:
    """Declare sentences the system writes (each already marked with ``gettext_noop``)."""
    for msgid in msgids:
        if msgid not in _PHRASES:
            _PHRASES[msgid] = _compile(msgid)
    literal = lambda p: len(_PLACEHOLDER.sub("", p.msgid))  # noqa: E731
    _ORDER[:] = sorted(_PHRASES.values(), key=literal, reverse=True)


def translate(text: str) -> str:
    """``text`` in the active language if it is a registered sentence, else ``text`` itself."""
    if not text or translation.get_language() in (None, settings.LANGUAGE_CODE):
        return text
    for phrase in _ORDER:
        match = phrase.pattern.fullmatch(text)
        if match is None:
            continue
        values = {name: gettext(value) for name, value in match.groupdict().items()}
        rendered = gettext(phrase.msgid)
        try:
            return rendered.format(**values) if phrase.braces else rendered % values
        except (KeyError, ValueError, IndexError):
            return text  # a translation with broken placeholders: show what is stored
    return text
