"""Every write to the 实事项目 ledger. Import from here: ``from banshi.projects import services``."""

from banshi.projects.services.attachments import attachment_add
from banshi.projects.services.cadence import CadenceFiles, cadence_run_produce
from banshi.projects.services.deadlines import deadline_change_decide, deadline_change_request
from banshi.projects.services.evaluation import (
    LINKED_OPEN,
    OPEN_FOR_EVALUATION,
    evaluation_record,
    survey_project,
)
from banshi.projects.services.ledger import (
    MilestoneIn,
    ProjectData,
    list_create,
    list_place,
    milestones_set,
    project_create,
    project_publish,
    project_update,
    required_satisfaction,
    satisfaction,
)
from banshi.projects.services.lifecycle import LIFECYCLE, project_confirm, project_transition
from banshi.projects.services.links import (
    order_unlink,
    orders_link,
    project_create_from_orders,
    visible_orders,
)
from banshi.projects.services.progress import (
    report_create,
    report_review,
    report_submit,
    report_update,
)
from banshi.projects.services.supervision import (
    ItemIn,
    inspection_record,
    item_complete,
    link_create,
    link_end,
    meeting_create,
    notice_issue,
    notice_respond,
    project_units,
)
from banshi.projects.services.survey import (
    invite_linked_citizens,
    survey_code_request,
    survey_invitation,
    survey_vote_with_code,
    survey_vote_with_invitation,
)

__all__ = [
    "LIFECYCLE",
    "LINKED_OPEN",
    "OPEN_FOR_EVALUATION",
    "CadenceFiles",
    "ItemIn",
    "MilestoneIn",
    "ProjectData",
    "attachment_add",
    "cadence_run_produce",
    "deadline_change_decide",
    "deadline_change_request",
    "evaluation_record",
    "inspection_record",
    "invite_linked_citizens",
    "item_complete",
    "link_create",
    "link_end",
    "list_create",
    "list_place",
    "meeting_create",
    "milestones_set",
    "notice_issue",
    "notice_respond",
    "order_unlink",
    "orders_link",
    "project_confirm",
    "project_create",
    "project_create_from_orders",
    "project_publish",
    "project_transition",
    "project_units",
    "project_update",
    "report_create",
    "report_review",
    "report_submit",
    "report_update",
    "required_satisfaction",
    "satisfaction",
    "survey_code_request",
    "survey_invitation",
    "survey_project",
    "survey_vote_with_code",
    "survey_vote_with_invitation",
    "visible_orders",
]
