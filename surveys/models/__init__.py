"""SQLAlchemy models of the survey domain; import models from here."""

from surveys.models.accounts import AuditEvent, RecoveryCode, Role, User
from surveys.models.base import Base, utcnow
from surveys.models.library import LibraryQuestion
from surveys.models.postal import CodeBatch, SpentCode
from surveys.models.publication import ResultPublication
from surveys.models.reference import (
    HANDLUNGSFELDER,
    TARGET_GROUPS,
    Handlungsfeld,
    TargetGroup,
)
from surveys.models.response import (
    AccessCode,
    Answer,
    Channel,
    Draft,
    Response,
    SubmissionReceipt,
)
from surveys.models.retention import AggregateSnapshot
from surveys.models.survey import (
    AccessMode,
    Item,
    Option,
    Question,
    QuestionRole,
    QuestionType,
    Section,
    Survey,
    SurveyStatus,
)
from surveys.models.translation import SurveyTranslation
from surveys.models.weighting import MarginKind, MarginTarget, PopulationMargin
from surveys.models.workshop import (
    AgreementVersion,
    FindingKind,
    Goal,
    GoalAgreement,
    Measure,
    MeasureFinding,
    MeasureStatus,
    Priority,
    StatusUpdate,
    VersionState,
    Vote,
    VoteSession,
    VoteSet,
    VoteState,
)

__all__ = [
    "HANDLUNGSFELDER",
    "TARGET_GROUPS",
    "AccessCode",
    "AccessMode",
    "AggregateSnapshot",
    "AgreementVersion",
    "Answer",
    "AuditEvent",
    "CodeBatch",
    "Base",
    "Channel",
    "Draft",
    "FindingKind",
    "Goal",
    "GoalAgreement",
    "Handlungsfeld",
    "Item",
    "LibraryQuestion",
    "MarginKind",
    "MarginTarget",
    "Measure",
    "MeasureFinding",
    "MeasureStatus",
    "Option",
    "PopulationMargin",
    "Priority",
    "Question",
    "QuestionRole",
    "QuestionType",
    "RecoveryCode",
    "Response",
    "ResultPublication",
    "Role",
    "Section",
    "SpentCode",
    "StatusUpdate",
    "SubmissionReceipt",
    "Survey",
    "SurveyStatus",
    "SurveyTranslation",
    "TargetGroup",
    "User",
    "VersionState",
    "Vote",
    "VoteSession",
    "VoteSet",
    "VoteState",
    "utcnow",
]
