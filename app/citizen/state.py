"""Where a person is in a questionnaire: the survey, the group, the page and their draft.

State choice: answers live in a server-side :class:`~surveys.models.Draft`, found by the hash
of a random 140-bit form key. The signed session cookie holds only that key (and, in
access-code mode, the typed access code) – a few hundred bytes, far below the ~4 KB a cookie
can carry, and nothing that identifies the person. "Später weitermachen" shows the same key as
the resume code, so a draft saved on one device can be continued on another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from flask import abort, current_app, render_template, session
from flask.typing import ResponseReturnValue

from app.extensions import db
from surveys.drafts import draft_answers, load_draft, new_draft_code
from surveys.models import AccessMode, Draft, Section, Survey, SurveyStatus, TargetGroup
from surveys.pages import Page, pages_for
from surveys.questionnaire_cache import QuestionnaireCache
from surveys.responses import sections_for

LOCAL_TZ = ZoneInfo("Europe/Berlin")


def today() -> date:
    """Return today's date in Germany (responses are stored at day precision)."""
    return datetime.now(LOCAL_TZ).date()


def now() -> datetime:
    """Return the current time as aware UTC."""
    return datetime.now(UTC)


def draft_ttl() -> timedelta:
    """Return how long a draft lives after its last change (``DRAFT_TTL_DAYS``)."""
    return timedelta(days=int(current_app.config["DRAFT_TTL_DAYS"]))


def unavailable(survey: Survey | None, code: int, reason: str) -> NoReturn:
    """Abort with the German page that explains why the survey cannot be answered."""
    page = render_template("citizen/unavailable.html", survey=survey, reason=reason, code=code)
    abort(current_app.response_class(page, status=code))


def questionnaire_cache() -> QuestionnaireCache:
    """Return the app's cache of loaded questionnaires."""
    cache: QuestionnaireCache = current_app.extensions["questionnaire_cache"]
    return cache


def load_survey(slug: str) -> Survey:
    """Return the survey that takes answers today, or abort with the right page.

    The survey comes from the per-process questionnaire cache: read-only and detached, so
    never attach it to a session (pass ``survey.id``).

    Unknown and draft surveys: 404 (a draft is not public, so it does not exist for citizens).
    Not yet open: 403 with the start date. Closed or past its end date: 410 Gone – the address
    existed and will not accept answers again, which also tells search engines to drop it.
    """
    survey = questionnaire_cache().get(db.session, slug)
    if survey is None or survey.status == SurveyStatus.DRAFT:
        unavailable(None, 404, "unknown")
    day = today()
    if survey.status == SurveyStatus.CLOSED or (survey.closes_on and day > survey.closes_on):
        unavailable(survey, 410, "closed")
    if survey.opens_on and day < survey.opens_on:
        unavailable(survey, 403, "not_open")
    return survey


def survey_groups(survey: Survey) -> list[TargetGroup]:
    """Return the target groups the survey asks, in their order (those with questions)."""
    groups = list(survey.target_groups)
    if not groups:
        seen: dict[str, TargetGroup] = {}
        for question in survey.questions():
            for group in question.target_groups:
                seen.setdefault(group.key, group)
        groups = sorted(seen.values(), key=lambda g: g.position)
    return [g for g in groups if sections_for(survey, g.key)]


def group_or_404(survey: Survey, group_key: str) -> TargetGroup:
    """Return the survey's target group with this key, or abort with 404."""
    for group in survey_groups(survey):
        if group.key == group_key:
            return group
    abort(404)


def form_key_name(survey: Survey) -> str:
    """Return the session key holding the form key of ``survey``."""
    return f"form-{survey.id}"


def form_key(survey: Survey, *, create: bool = False) -> str | None:
    """Return the form key (= resume code) of this browser session, creating one if asked."""
    key = session.get(form_key_name(survey))
    if not key and create:
        key = new_draft_code()
        session[form_key_name(survey)] = key
    return str(key) if key else None


def set_form_key(survey: Survey, key: str) -> None:
    """Continue with the draft saved under ``key`` in this browser session."""
    session[form_key_name(survey)] = key


def current_draft(survey: Survey) -> Draft | None:
    """Return the draft of this browser session, or ``None``."""
    key = form_key(survey)
    return load_draft(db.session, survey, key, now()) if key else None


def forget(survey: Survey) -> None:
    """Remove every trace of the questionnaire from the session (after submitting).

    What stays is one flag, "this browser sent its answers to this survey": the questionnaire
    pages then say so instead of inviting a second answer (the browser's Back button, an old
    resume link). The flag is in the signed session cookie only – the server stores nothing
    about it, and it names no response, draft, code or time.
    """
    session.pop(form_key_name(survey), None)
    session.pop(access_key_name(survey), None)
    session[sent_key_name(survey)] = True


def sent_key_name(survey: Survey) -> str:
    """Return the session key of the "answers already sent" flag of ``survey``."""
    return f"sent-{survey.id}"


def already_sent(survey: Survey) -> bool:
    """Return whether this browser session has sent its answers to ``survey``."""
    return bool(session.get(sent_key_name(survey)))


def sent_page(survey: Survey) -> ResponseReturnValue | None:
    """Return the "already sent" page when this session has sent its answers, else ``None``.

    Every page that would start, continue or resume the questionnaire calls this first, so
    that no page of the session offers a second answer.
    """
    if not already_sent(survey):
        return None
    return render_template("citizen/sent.html", survey=survey)


def access_key_name(survey: Survey) -> str:
    """Return the session key holding the typed access code of ``survey``."""
    return f"access-{survey.id}"


def needs_access_code(survey: Survey) -> bool:
    """Return whether the survey asks for an access code that this session lacks."""
    return survey.access_mode == AccessMode.CODE and not session.get(access_key_name(survey))


@dataclass
class Progress:
    """The pages of one group and where the person is."""

    pages: list[Page]
    index: int  # 0-based index of the current page

    @property
    def number(self) -> int:
        """1-based page number."""
        return self.index + 1

    @property
    def total(self) -> int:
        """Number of pages before the check page."""
        return len(self.pages)

    @property
    def page(self) -> Page:
        """The current page: a section, or one part of it."""
        return self.pages[self.index]

    @property
    def section(self) -> Section:
        """The current page's section."""
        return self.page.section


def progress_or_404(survey: Survey, group: TargetGroup, step: int) -> Progress:
    """Return the progress for page ``step`` (1-based) or abort with 404."""
    pages = pages_for(survey, group.key)
    if not 1 <= step <= len(pages):
        abort(404)
    return Progress(pages, step - 1)


def answers_of(draft: Draft | None) -> dict[str, Any]:
    """Return the draft's answers (empty without a draft)."""
    return draft_answers(draft)
