"""Every write to requests: intake (``submit``) and the one transition service (``transition``)."""

from banshi.workorders.services.intake import PublicClient, SubmitInput, submit
from banshi.workorders.services.workflow import rate_by_citizen, transition

__all__ = ["PublicClient", "SubmitInput", "rate_by_citizen", "submit", "transition"]
