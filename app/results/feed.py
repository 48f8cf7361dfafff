"""Atom feed (RFC 4287) of public status changes of measures and newly published results.

Built with :mod:`xml.etree.ElementTree`, which escapes every text node, so measure texts and
notes can never inject markup. Dates are RFC 3339; a status update is dated at day precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from flask import current_app, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.common.labels import STATUS_LABELS
from app.extensions import db
from app.results import bp
from app.results.accountability import public_measures
from surveys.publication import published_publications

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 50


@dataclass(frozen=True)
class Entry:
    """One feed entry."""

    tag: str
    title: str
    link: str
    updated: datetime
    summary: str


def rfc3339(moment: datetime | date) -> str:
    """Format as RFC 3339 in UTC (``2026-11-25T00:00:00Z``)."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(0, 0), tzinfo=UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _tag(suffix: str, day: date) -> str:
    """A tag URI (RFC 4151) that stays the same for an entry forever."""
    host = urlsplit(url_for("public.home", _external=True)).hostname or "localhost"
    return f"tag:{host},{day.isoformat()}:{suffix}"


def entries() -> list[Entry]:
    """Return the newest entries: public status updates and published results."""
    out: list[Entry] = []
    for item in public_measures(db.session):
        for update in item.updates:
            title = _("Maßnahme %(code)s „%(title)s“: %(status)s") % {
                "code": item.measure.code,
                "title": item.measure.title,
                "status": STATUS_LABELS[update.status],
            }
            out.append(
                Entry(
                    tag=_tag(f"massnahme-status/{update.id}", update.recorded_on),
                    title=title,
                    link=url_for(
                        "results.measure_detail", measure_id=item.measure.id, _external=True
                    ),
                    updated=datetime.combine(update.recorded_on, time(0, 0), tzinfo=UTC),
                    summary=update.note,
                )
            )
    for publication in published_publications(db.session):
        published = publication.published_at or datetime.now(UTC)
        survey = publication.survey
        out.append(
            Entry(
                tag=_tag(f"ergebnisse/{survey.slug}", published.date()),
                title=_("Ergebnisse veröffentlicht: %(title)s") % {"title": survey.title},
                link=url_for("results.results_page", slug=survey.slug, _external=True),
                updated=published,
                summary=_("Die Ergebnisse der Umfrage „%(title)s“ sind online.")
                % {"title": survey.title},
            )
        )
    out.sort(key=lambda e: (rfc3339(e.updated), e.tag), reverse=True)
    return out[:MAX_ENTRIES]


def atom_document(items: list[Entry]) -> bytes:
    """Serialise the entries as an Atom feed document."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{name}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "de"})
    self_url = url_for("results.feed", _external=True)
    sub(feed, "id", self_url)
    sub(
        feed,
        "title",
        _("%(site)s: Ergebnisse und Maßnahmen") % {"site": current_app.config["SITE_NAME"]},
    )
    newest = items[0].updated if items else datetime(2019, 1, 1, tzinfo=UTC)
    sub(feed, "updated", rfc3339(newest))
    sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(
        feed,
        "link",
        rel="alternate",
        type="text/html",
        href=url_for("results.measures", _external=True),
    )
    author = sub(feed, "author")
    sub(author, "name", str(current_app.config["MUNICIPALITY"]))
    for item in items:
        entry = sub(feed, "entry")
        sub(entry, "id", item.tag)
        sub(entry, "title", item.title, type="text")
        sub(entry, "updated", rfc3339(item.updated))
        sub(entry, "link", rel="alternate", type="text/html", href=item.link)
        if item.summary:
            sub(entry, "summary", item.summary, type="text")
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document


@bp.get("/feed.atom")
def feed() -> Response:
    """The Atom feed of status changes and newly published results."""
    response = Response(atom_document(entries()), mimetype="application/atom+xml")
    response.headers["Cache-Control"] = "public, max-age=600"
    return response
