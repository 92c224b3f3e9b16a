"""Tunable rules of the ledger, read from Django settings with these defaults (so a city can
change them in its environment without touching code)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings


def min_satisfaction() -> Decimal:
    """Share of (满意 + 基本满意) among evaluations needed before 销号 (default 90%)."""
    return Decimal(str(getattr(settings, "PROJECTS_MIN_SATISFACTION", "0.90")))


def min_evaluations() -> int:
    """How many residents must have evaluated before 销号 (default 10)."""
    return int(getattr(settings, "PROJECTS_MIN_EVALUATIONS", 10))


def near_days() -> int:
    """A milestone or deadline this many days ahead (or fewer) turns the light blue."""
    return int(getattr(settings, "PROJECTS_NEAR_DAYS", 7))


def stale_days() -> int:
    """No approved report for more than this many days marks an active project as stale."""
    return int(getattr(settings, "PROJECTS_STALE_DAYS", 7))


def pace_tolerance() -> int:
    """Percentage points of approved progress a project may trail its plan before turning yellow."""
    return int(getattr(settings, "PROJECTS_PACE_TOLERANCE", 5))


def max_upload_bytes() -> int:
    return int(getattr(settings, "PROJECTS_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def public_base_url() -> str:
    """The site's public address (e.g. https://banshi.changsha.gov.cn), put before links in SMS
    texts; empty leaves the path alone."""
    return str(getattr(settings, "PUBLIC_BASE_URL", "") or "").rstrip("/")
