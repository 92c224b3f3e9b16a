"""Tracking numbers: YYYYMMDD + a 6-digit daily sequence, e.g. 20261129000123. Never reused.

The day's counter is bumped by one INSERT … ON CONFLICT … RETURNING statement, atomic on SQLite
(3.35+) and PostgreSQL alike; inside the submission's transaction the row stays locked until
commit, so concurrent submissions take consecutive numbers. A rolled-back submission leaves a gap,
which is fine: numbers must be unique, not dense.
"""

from __future__ import annotations

import datetime
import secrets

from django.db import connection

from banshi.core.calendar import local
from banshi.workorders.models import TrackingCounter

# The table name is our own model's constant, not input.
_SQL = (
    f"INSERT INTO {TrackingCounter._meta.db_table} (day, value) VALUES (%s, 1) "  # noqa: S608
    "ON CONFLICT (day) DO UPDATE SET value = "
    f"{TrackingCounter._meta.db_table}.value + 1 RETURNING value"
)
_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def next_number(now: datetime.datetime) -> str:
    day = local(now).strftime("%Y%m%d")
    with connection.cursor() as cursor:
        cursor.execute(_SQL, [day])
        (value,) = cursor.fetchone()
    return f"{day}{value:06d}"


def new_tracking_code() -> str:
    """An 8-character code for citizens without a phone number to follow their request."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
