"""Writes of the party app (双报到)."""

from banshi.party.services.lifecycle import unit_registration_transition
from banshi.party.services.registrations import member_confirm, member_register, unit_register

__all__ = [
    "member_confirm",
    "member_register",
    "unit_register",
    "unit_registration_transition",
]
