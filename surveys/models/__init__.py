"""SQLAlchemy models of the survey domain; import models from here."""

from surveys.models.accounts import AuditEvent, Role, User
from surveys.models.base import Base, utcnow
from surveys.models.library import LibraryQuestion
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

__all__ = [
    "HANDLUNGSFELDER",
    "TARGET_GROUPS",
    "AccessCode",
    "AccessMode",
    "Answer",
    "AuditEvent",
    "Base",
    "Channel",
    "Draft",
    "Handlungsfeld",
    "Item",
    "LibraryQuestion",
    "Option",
    "Question",
    "QuestionRole",
    "QuestionType",
    "Response",
    "Role",
    "Section",
    "SubmissionReceipt",
    "Survey",
    "SurveyStatus",
    "TargetGroup",
    "User",
    "utcnow",
]
