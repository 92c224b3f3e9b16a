"""Masking of personal data (PIPL): what every role without the PII right sees."""

from __future__ import annotations

import re

# A mainland mobile (optionally written 138-1234-5678 or 138 1234 5678) and an 18-character
# resident ID, standing alone in a text (not part of a longer number such as a request number).
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9])")
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def mask_phone(phone: str | None) -> str:
    """138****1234 for an 11-digit mobile; keeps the last 4 of anything else long enough."""
    if not phone:
        return ""
    if len(phone) == 11:
        return f"{phone[:3]}****{phone[-4:]}"
    if len(phone) > 4:
        return "*" * (len(phone) - 4) + phone[-4:]
    return "*" * len(phone)


def mask_id_number(number: str | None) -> str:
    """430102********1234 for an 18-character resident ID."""
    if not number:
        return ""
    if len(number) >= 10:
        return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"
    return "*" * len(number)


def mask_name(name: str | None) -> str:
    """张*明 — the middle of a name hidden, used for public timelines."""
    if not name:
        return ""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_personal_numbers(text: str) -> str:
    """Every mobile and resident ID number inside a free text masked, for texts the public reads."""
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group()), text)
    return _MOBILE_IN_TEXT.sub(lambda m: mask_phone(re.sub(r"[ -]", "", m.group())), text)

