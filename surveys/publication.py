"""Publishing a closed survey's results: staff's selection, licence, publish and unpublish.

The public results page and the open-data files show only what a :class:`ResultPublication`
allows, and only while it is published. Comments are selected by a key derived from their
question, target group and text (:func:`comment_key`), so the selection never stores an id
that could lead back to a response.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from surveys.audit import Action, record
from surveys.db import SessionLike
from surveys.errors import Conflict, FieldError, ValidationError
from surveys.i18n import N_
from surveys.models import ResultPublication, Survey, SurveyStatus, User, utcnow
from surveys.models.publication import DEFAULT_LICENCE


@dataclass(frozen=True)
class Licence:
    """An open-data licence: key, official name and reference URL."""

    key: str
    name: str
    url: str


LICENCES: dict[str, Licence] = {
    lic.key: lic
    for lic in (
        Licence(
            "dl-de/by-2-0",
            "Datenlizenz Deutschland – Namensnennung 2.0",
            "https://www.govdata.de/dl-de/by-2-0",
        ),
        Licence(
            "dl-de/zero-2-0",
            "Datenlizenz Deutschland – Zero – Version 2.0",
            "https://www.govdata.de/dl-de/zero-2-0",
        ),
        Licence(
            "cc-by-4.0",
            "Creative Commons Namensnennung 4.0 International (CC BY 4.0)",
            "https://creativecommons.org/licenses/by/4.0/deed.de",
        ),
        Licence(
            "cc0-1.0",
            "Creative Commons Zero 1.0 (CC0 1.0)",
            "https://creativecommons.org/publicdomain/zero/1.0/deed.de",
        ),
    )
}


def licence_of(publication: ResultPublication | None) -> Licence:
    """Return the licence of a publication (the default for unknown keys or none)."""
    key = publication.licence if publication else DEFAULT_LICENCE
    return LICENCES.get(key, LICENCES[DEFAULT_LICENCE])


def comment_key(question: str, group: str, text: str) -> str:
    """Return the stable selection key of a comment (no response id involved)."""
    digest = hashlib.sha256(f"{question}\x1f{group}\x1f{text}".encode()).hexdigest()
    return digest[:24]


def comment_reference(question: str, group: str, text: str) -> str:
    """Return the short reference (``K-3FA9C2D1``) a moderator cites a shown comment by.

    Derived from what the moderator already sees, never from an answer or response id:
    ids are sequential, so citing them would tell which comments came from one person.
    """
    return "K-" + comment_key(question, group, text)[:8].upper()


@dataclass(frozen=True)
class PublicationInput:
    """Validated content of the publication form."""

    show_summary: bool
    charts: tuple[str, ...]
    comments: tuple[str, ...]
    licence: str
    breakdowns: tuple[str, ...] = ()


def parse_publication(
    form: Mapping[str, str],
    lists: Mapping[str, Sequence[str]],
    field_keys: Iterable[str],
    comment_keys: Iterable[str],
    breakdown_keys: Iterable[str] = (),
) -> PublicationInput:
    """Validate the form: ``show_summary``, ``licence`` and the lists ``charts``, ``comments``
    and ``breakdowns`` (breakdown questions whose index table is public).

    Unknown chart fields or comment keys (e.g. a comment whose group became too small) are
    rejected, so the page can never show something staff could not have picked.
    """
    errors: list[FieldError] = []
    licence = (form.get("licence") or "").strip()
    if licence not in LICENCES:
        errors.append(FieldError("licence", N_("Bitte wählen Sie eine Lizenz aus der Liste.")))
    fields = set(field_keys)
    charts = tuple(dict.fromkeys(c for c in lists.get("charts", ())))
    if any(c not in fields for c in charts):
        errors.append(FieldError("charts", N_("Bitte wählen Sie nur Handlungsfelder der Liste.")))
    known = set(breakdown_keys)
    breakdowns = tuple(dict.fromkeys(b for b in lists.get("breakdowns", ())))
    if any(b not in known for b in breakdowns):
        errors.append(
            FieldError("breakdowns", N_("Bitte wählen Sie nur Auswertungsmerkmale der Liste."))
        )
    allowed = set(comment_keys)
    comments = tuple(dict.fromkeys(c for c in lists.get("comments", ())))
    if any(c not in allowed for c in comments):
        errors.append(
            FieldError(
                "comments",
                N_("Bitte wählen Sie nur Kommentare aus der Liste (Gruppen mit genug Antworten)."),
            )
        )
    if errors:
        raise ValidationError(errors)
    return PublicationInput(
        show_summary=(form.get("show_summary") or "") in {"1", "on", "ja"},
        charts=charts,
        comments=comments,
        licence=licence,
        breakdowns=breakdowns,
    )


def get_publication(session: SessionLike, survey: Survey) -> ResultPublication | None:
    """Return the survey's publication settings, if any were saved."""
    return session.scalar(select(ResultPublication).where(ResultPublication.survey_id == survey.id))


def default_publication(survey: Survey) -> ResultPublication:
    """Return unsaved, unpublished default settings (summary on, nothing else chosen)."""
    return ResultPublication(
        survey_id=survey.id,
        survey=survey,
        show_summary=True,
        charts=[],
        comments=[],
        breakdowns=[],
        licence=DEFAULT_LICENCE,
        published=False,
        updated_at=utcnow(),
    )


def current_publication(session: SessionLike, survey: Survey) -> ResultPublication:
    """Return the saved settings, or unsaved defaults (reading never writes)."""
    return get_publication(session, survey) or default_publication(survey)


def publication_for(session: SessionLike, survey: Survey) -> ResultPublication:
    """Return the survey's publication settings, creating unpublished defaults."""
    publication = get_publication(session, survey)
    if publication is None:
        publication = default_publication(survey)
        session.add(publication)
        session.flush()
    return publication


def save_publication(
    session: SessionLike, survey: Survey, data: PublicationInput, actor: User | None
) -> ResultPublication:
    """Store staff's selection (audit-logged); a published page shows it at once."""
    publication = publication_for(session, survey)
    publication.show_summary = data.show_summary
    publication.charts = list(data.charts)
    publication.comments = list(data.comments)
    publication.breakdowns = list(data.breakdowns)
    publication.licence = data.licence
    publication.updated_at = utcnow()
    details = (
        f"Zusammenfassung {'an' if data.show_summary else 'aus'}, "
        f"{len(data.charts)} Diagramme, {len(data.breakdowns)} Auswertungsmerkmale, "
        f"{len(data.comments)} Kommentare, Lizenz {data.licence}"
    )
    record(session, actor, Action.RESULTS_CHANGE, survey=survey, details=details)
    session.flush()
    return publication


def publish(session: SessionLike, survey: Survey, actor: User | None) -> ResultPublication:
    """Make the results of a closed survey public (audit-logged)."""
    if survey.status != SurveyStatus.CLOSED:
        raise Conflict(
            N_("Ergebnisse können erst nach dem Ende der Umfrage veröffentlicht werden.")
        )
    publication = publication_for(session, survey)
    publication.published = True
    publication.published_at = utcnow()
    publication.updated_at = publication.published_at
    record(session, actor, Action.RESULTS_PUBLISH, survey=survey)
    session.flush()
    return publication


def unpublish(session: SessionLike, survey: Survey, actor: User | None) -> ResultPublication:
    """Hide the results again (audit-logged); the selection is kept."""
    publication = publication_for(session, survey)
    publication.published = False
    publication.updated_at = utcnow()
    record(session, actor, Action.RESULTS_UNPUBLISH, survey=survey)
    session.flush()
    return publication


def published_publication(session: SessionLike, slug: str) -> ResultPublication | None:
    """Return the published results of the survey ``slug`` (``None`` if not published)."""
    return session.scalar(
        select(ResultPublication)
        .join(Survey, Survey.id == ResultPublication.survey_id)
        .where(Survey.slug == slug, ResultPublication.published.is_(True))
        .where(Survey.status == SurveyStatus.CLOSED)
    )


def published_publications(session: SessionLike) -> list[ResultPublication]:
    """Return every published result, newest publication first."""
    rows = session.scalars(
        select(ResultPublication)
        .join(Survey, Survey.id == ResultPublication.survey_id)
        .where(ResultPublication.published.is_(True), Survey.status == SurveyStatus.CLOSED)
        .order_by(ResultPublication.published_at.desc(), ResultPublication.id.desc())
    )
    return list(rows)
