"""Masking of personal data (PIPL): what every role without the PII right sees."""

from __future__ import annotations


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
