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


# The warning light's settings: (setting, default, meaning), listed in docs/lag-colours.md.
NEAR_DAYS, STALE_DAYS, PACE_TOLERANCE, SIGNOFF_DAYS = 7, 7, 5, 30
LAG_SETTINGS = (
    (
        "PROJECTS_NEAR_DAYS",
        NEAR_DAYS,
        "节点、完成时限或验收销号时限在这么多天内（含当天）到期时亮蓝灯",
    ),
    ("PROJECTS_PACE_TOLERANCE", PACE_TOLERANCE, "已审核进度可落后计划进度的百分点数，超过则亮黄灯"),
    ("PROJECTS_STALE_DAYS", STALE_DAYS, "推进中的项目超过这么多天没有审核通过的进展即标记“未更新”"),
    (
        "PROJECTS_SIGNOFF_DAYS",
        SIGNOFF_DAYS,
        "申请销号后应在这么多天内完成验收、群众评价和销号，逾期亮红灯",
    ),
)


def near_days() -> int:
    """A milestone or deadline this many days ahead (or fewer) turns the light blue."""
    return int(getattr(settings, "PROJECTS_NEAR_DAYS", NEAR_DAYS))


def stale_days() -> int:
    """No approved report for more than this many days marks an active project as stale."""
    return int(getattr(settings, "PROJECTS_STALE_DAYS", STALE_DAYS))


def pace_tolerance() -> int:
    """Percentage points of approved progress a project may trail its plan before turning yellow."""
    return int(getattr(settings, "PROJECTS_PACE_TOLERANCE", PACE_TOLERANCE))


def signoff_days() -> int:
    """Days from the 销号 application within which verification, the residents' evaluation and
    销号 should be done; later, the light turns red (overdue sign-off)."""
    return int(getattr(settings, "PROJECTS_SIGNOFF_DAYS", SIGNOFF_DAYS))


def max_upload_bytes() -> int:
    return int(getattr(settings, "PROJECTS_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def public_base_url() -> str:
    """The site's public address (e.g. https://banshi.changsha.gov.cn), put before links in SMS
    texts; empty leaves the path alone."""
    return str(getattr(settings, "PUBLIC_BASE_URL", "") or "").rstrip("/")


# --- The residents' online survey (one answer per mobile, proven by an invitation or SMS code) ---


def survey_code_ttl_seconds() -> int:
    """How long an SMS verification code stays valid (default 10 minutes)."""
    return int(getattr(settings, "PROJECTS_SURVEY_CODE_TTL_SECONDS", 600))


def survey_code_attempts() -> int:
    """Wrong entries after which a code is dead and a new one must be requested."""
    return int(getattr(settings, "PROJECTS_SURVEY_CODE_ATTEMPTS", 5))


def survey_window_seconds() -> int:
    """The window the survey's rate limits count in (default one hour)."""
    return int(getattr(settings, "PROJECTS_SURVEY_WINDOW_SECONDS", 3600))


def survey_codes_per_client() -> int:
    """Code requests one client address may make in the window (a community centre's shared
    Wi-Fi or a carrier NAT sits behind one address, so not too few)."""
    return int(getattr(settings, "PROJECTS_SURVEY_CODES_PER_CLIENT", 20))


def survey_codes_per_phone() -> int:
    """Codes one mobile may be sent in the window (no SMS bombing of a resident)."""
    return int(getattr(settings, "PROJECTS_SURVEY_CODES_PER_PHONE", 3))


def survey_votes_per_client() -> int:
    """Answers (accepted or refused) one client address may submit in the window."""
    return int(getattr(settings, "PROJECTS_SURVEY_VOTES_PER_CLIENT", 30))
