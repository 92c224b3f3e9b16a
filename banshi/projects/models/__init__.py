"""The 实事项目 ledger (台账): lists, projects with their milestones, progress, supervision,
on-site checks, 联点 links, 现场办公 meetings, residents' evaluations and the cadence reports.

A project belongs to its ``org_unit`` (whose subtree sees and runs it). Its 牵头单位 works on it
too and its 配合单位 may read it; ``Project.scope`` says exactly how, for lists and checks alike.

One module per part of the work, mirroring ``projects/services/``; import from here."""

from banshi.projects.models.evaluation import Evaluation
from banshi.projects.models.ledger import (
    VIA_LEAD_UNIT,
    Attachment,
    Confirmation,
    DeadlineChange,
    ListEntry,
    Milestone,
    Project,
    ProjectEvent,
    ProjectList,
    ProjectQuerySet,
)
from banshi.projects.models.links import ProjectWorkOrder
from banshi.projects.models.progress import ProgressReport
from banshi.projects.models.supervision import (
    CadenceRun,
    Inspection,
    LeaderLink,
    Meeting,
    SupervisedItem,
    SupervisionNotice,
)
from banshi.projects.models.survey import SurveyCode, SurveyInvitation, SurveyRejection

__all__ = [
    "VIA_LEAD_UNIT",
    "Attachment",
    "CadenceRun",
    "Confirmation",
    "DeadlineChange",
    "Evaluation",
    "Inspection",
    "LeaderLink",
    "ListEntry",
    "Meeting",
    "Milestone",
    "ProgressReport",
    "Project",
    "ProjectEvent",
    "ProjectList",
    "ProjectQuerySet",
    "ProjectWorkOrder",
    "SupervisedItem",
    "SupervisionNotice",
    "SurveyCode",
    "SurveyInvitation",
    "SurveyRejection",
]
