"""What a viewer sees of a caller: the one rule behind the request page, the API, the Excel exports,
the logged reveal of a number and Open311 (documented in docs/architecture.md, 个人信息).

- A confidential (保密) caller is shown only to the 12345 centre where the request is, that is to
  a role holding ``pii.view`` on the request's location. A unit that merely handles the request
  (its district's admin and dispatchers included) sees 保密, as does every other role.
- Otherwise the name is shown in full to roles that work on requests (``workorder.caller_name``);
  an analyst works on aggregates and sees the name with its middle hidden (张*英).
- The number is always masked (138****5678); a role holding ``pii.view`` on the request may
  reveal it, one request at a time, and each reveal is logged (``services.pii.reveal_caller``).
- A file leaves the system: exports (``bulk``) carry masked names, masked numbers and 保密, for
  every role.
- The public (Open311, the public feeds) never sees a caller: confidential requests are not
  published at all, and the caller's name and phone, and any mobile or ID number, are masked in
  every text that is (``public_text``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from banshi.core.masking import mask_name, mask_personal_numbers, mask_phone
from banshi.core.permissions import can
from banshi.workorders.models import WorkOrder

CONFIDENTIAL = "保密"


@dataclass(frozen=True)
class CallerView:
    """The caller as one viewer may see them. ``name`` and ``phone`` are empty when the caller
    left none (an anonymous request); both are 保密 when ``hidden``."""

    name: str
    phone: str
    hidden: bool  # 保密 to this viewer
    can_reveal: bool  # may see the full number through the logged reveal


def caller_view(user: Any, order: WorkOrder, *, bulk: bool = False) -> CallerView:
    """What ``user`` sees of the caller of ``order`` on a page or in the API, or in an export
    when ``bulk``."""
    if order.caller_confidential and (bulk or not can(user, "pii.view", order.org_unit)):
        return CallerView(CONFIDENTIAL, CONFIDENTIAL, hidden=True, can_reveal=False)
    full_name = not bulk and can(user, "workorder.caller_name", order)
    return CallerView(
        order.caller_name if full_name else mask_name(order.caller_name),
        mask_phone(order.caller_phone),
        hidden=False,
        can_reveal=not bulk and bool(order.caller_phone) and can(user, "pii.view", order),
    )


def published(prefix: str = "") -> Q:
    """The requests the public may see anything of (``prefix`` reaches the request from a
    related model, e.g. ``"order__"``): never a confidential caller's."""
    return Q(**{f"{prefix}caller_confidential": False})


def public_text(order: WorkOrder) -> Callable[[str | None], str | None]:
    """A function that takes the caller out of a text the public will read, in case they typed
    their name, number or e-mail into the description or a unit quoted them in a reply: the
    caller's own name and number masked, any other mobile or ID number too."""
    pairs: list[tuple[str, str]] = []
    if len(order.caller_phone) >= 7:
        pairs.append((order.caller_phone, mask_phone(order.caller_phone)))
    if len(order.caller_name) >= 2:
        pairs.append((order.caller_name, mask_name(order.caller_name)))
    if order.open311_email:
        pairs.append((order.open311_email, "***"))

    def scrub(text: str | None) -> str | None:
        if not text:
            return text
        for secret, masked in pairs:
            text = text.replace(secret, masked)
        return mask_personal_numbers(text)

    return scrub
