"""Masking of personal data (PIPL): what every role without the PII right sees."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

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


# The fields that hold personal data, by the name they have in models and in change-record
# snapshots, and how each is shown to a viewer who has not revealed it.
PERSONAL_FIELDS: dict[str, Callable[[str | None], str]] = {
    "mobile": mask_phone,
    "phone": mask_phone,
    "caller_phone": mask_phone,
    "id_number": mask_id_number,
    "caller_name": mask_name,
}


def mask_personal_fields(data: Any) -> Any:
    """A copy of JSON-like data (a change record's before/after) with every personal field masked,
    at any depth."""
    if isinstance(data, dict):
        return {
            key: (
                PERSONAL_FIELDS[key](value)
                if key in PERSONAL_FIELDS and isinstance(value, str)
                else mask_personal_fields(value)
            )
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [mask_personal_fields(value) for value in data]
    return data


def personal_fields_in(data: Any) -> list[str]:
    """The names of the personal fields that hold a value anywhere in JSON-like data."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in PERSONAL_FIELDS and isinstance(inner, str) and inner:
                    found.add(key)
                else:
                    walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(data)
    return sorted(found)
