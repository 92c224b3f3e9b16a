"""Every write of the volunteers app: centres, volunteers, activities and sign-ups
(``activities``), check-in, hours and certificates (``attendance``), and the activity's
lifecycle on the shared workflow engine (``lifecycle``)."""

from banshi.volunteers.services.activities import (
    activity_create,
    activity_update,
    centre_create,
    signup_create,
    signup_decide,
    signup_withdraw,
    volunteer_register,
)
from banshi.volunteers.services.attendance import (
    certificate_issue,
    hours_confirm,
    hours_correct,
    hours_dispute,
    qr_token,
    recompute,
    scan,
)
from banshi.volunteers.services.lifecycle import activity_transition

__all__ = [
    "activity_create",
    "activity_transition",
    "activity_update",
    "centre_create",
    "certificate_issue",
    "hours_confirm",
    "hours_correct",
    "hours_dispute",
    "qr_token",
    "recompute",
    "scan",
    "signup_create",
    "signup_decide",
    "signup_withdraw",
    "volunteer_register",
]
