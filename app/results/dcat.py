"""The DCAT-AP.de catalogue of the open data, for portals such as GovData to harvest.

One dataset per published survey result and one for the adopted measures, each with the CSV
and JSON files that ``/opendata/`` already serves (so the catalogue lists nothing the
disclosure control has not let out: it describes files, it holds no figure). Served as
JSON-LD, RDF/XML and Turtle, at fixed addresses and by content negotiation at
``/opendata/catalog``; cacheable, with an ETag and ``Last-Modified`` for conditional harvests.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, time

from flask import current_app, request, url_for
from werkzeug.wrappers import Response

from app.extensions import db
from app.results import bp
from app.results.accountability import PublicMeasure, public_measures
from app.results.dcat_graph import (
    SERIALISATIONS,
    Catalogue,
    Contact,
    Dataset,
    Distribution,
    Publisher,
    catalogue_graph,
    newest,
    serialise,
)
from app.results.helpers import policy
from surveys.models import ResultPublication
from surveys.publication import licence_of, published_publications

KEYWORDS = ("Befragung", "Familiengerechte Kommune", "Familie", "Bürgerbeteiligung")
_FORMAT_NAMES = {"csv": "CSV", "json": "JSON"}


def _index(anchor: str) -> str:
    return url_for("results.opendata_index", _external=True) + "#" + anchor


def _files(
    anchor: str,
    slug: str,
    what: str,
    licence: str,
    moments: tuple[datetime | None, datetime | None],
    schema: str,
) -> tuple[Distribution, ...]:
    """The CSV and JSON file of one dataset (``slug`` as in ``/opendata/<slug>.<fmt>``)."""
    out = []
    for fmt in ("csv", "json"):
        name = _FORMAT_NAMES[fmt]
        description = (
            f"{what} als {name}: Semikolon als Trennzeichen, UTF-8, Dezimalpunkt; "
            "ausgeblendete Angaben sind leer."
            if fmt == "csv"
            else f"{what} als {name} mit Metadaten; ausgeblendete Angaben sind null."
        )
        out.append(
            Distribution(
                uri=_index(f"{anchor}-{fmt}"),
                title=f"{what} ({name})",
                description=description,
                url=url_for("results.opendata_survey", slug=slug, fmt=fmt, _external=True),
                fmt=fmt,
                licence=licence,
                attribution=current_app.config["OPENDATA_ATTRIBUTION"],
                issued=moments[0],
                modified=moments[1],
                conforms_to=(
                    url_for("results.opendata_schema", name=schema, _external=True)
                    if fmt == "json"
                    else None
                ),
            )
        )
    return tuple(out)


def _survey_dataset(publication: ResultPublication, publisher: str) -> Dataset:
    survey = publication.survey
    anchor = f"ergebnisse-{survey.slug}"
    fields = sorted(
        {
            s.handlungsfeld.number: s.handlungsfeld.title
            for s in survey.sections
            if s.handlungsfeld
        }.items()
    )
    description = (
        f"Zusammengefasste Ergebnisse der Befragung „{survey.title}“ ({publisher}): "
        "die Zahl der Antworten je Zielgruppe, Mittelwert, Wert von 0 bis 100 und Verteilung "
        "jeder Frage je Zielgruppe und der Index je Handlungsfeld"
        + (" und je Auswertungsmerkmal (z. B. Stadtteil)" if publication.breakdowns else "")
        + f". Jede Angabe beschreibt mindestens {policy().min_cell} Befragte; kleinere "
        "Gruppen und Gruppen, die sich aus anderen Angaben errechnen ließen, sind "
        "ausgeblendet. Keine Einzelantworten, keine Freitexte."
    )
    if survey.purpose.strip():
        description += " Zweck der Befragung: " + survey.purpose.strip()
    issued = publication.published_at
    modified = newest((publication.published_at, publication.updated_at))
    return Dataset(
        uri=_index(anchor),
        title=f"Ergebnisse der Befragung „{survey.title}“",
        description=description,
        landing_page=url_for("results.results_page", slug=survey.slug, _external=True),
        issued=issued,
        modified=modified,
        start=survey.opens_on,
        end=survey.closes_on,
        keywords=KEYWORDS + tuple(title for _number, title in fields),
        distributions=_files(
            anchor,
            survey.slug,
            "Ergebnisse",
            licence_of(publication).key,
            (issued, modified),
            "survey",
        ),
    )


def _midnight(item: PublicMeasure) -> datetime | None:
    day = item.last_date
    return datetime.combine(day, time(0, 0), tzinfo=UTC) if day else None


def _measures_dataset(items: list[PublicMeasure], licence: str, publisher: str) -> Dataset | None:
    """The adopted measures (frozen versions, public status only); ``None`` if there are none."""
    if not items:
        return None
    versions = {item.version.id: item.version for item in items}.values()
    agreements = {item.agreement.id: item.agreement for item in items}.values()
    issued = min((v.frozen_at for v in versions if v.frozen_at), default=None)
    modified = newest([*(v.frozen_at for v in versions), *(_midnight(i) for i in items)])
    fields = sorted({i.measure.goal.handlungsfeld.title for i in items})
    return Dataset(
        uri=_index("massnahmen"),
        title="Beschlossene Maßnahmen der Familiengerechten Kommune und ihr Stand",
        description=(
            f"Ziele und Maßnahmen, die der Rat ({publisher}) nach dem Audit "
            "„Familiengerechte Kommune“ beschlossen hat: Handlungsfeld, Ziel, Maßnahme, "
            "Verantwortliche, Zeitraum, Indikator und der zuletzt öffentlich gemeldete Stand. "
            "Enthalten sind nur beschlossene Fassungen und öffentliche Statusmeldungen."
        ),
        landing_page=url_for("results.measures", _external=True),
        issued=issued,
        modified=modified,
        start=min(a.period_start for a in agreements),
        end=max(a.period_end for a in agreements),
        keywords=("Maßnahmen", "Familiengerechte Kommune", "Familie", *fields),
        distributions=_files(
            "massnahmen", "massnahmen", "Maßnahmen", licence, (issued, modified), "measures"
        ),
    )


def build_catalogue() -> Catalogue:
    """Collect what is published now into the catalogue description."""
    config = current_app.config
    publisher = Publisher(config["OPENDATA_PUBLISHER_URI"], config["OPENDATA_PUBLISHER_NAME"])
    publications = published_publications(db.session)
    datasets = [_survey_dataset(p, publisher.name) for p in publications]
    measures_licence = licence_of(publications[0] if publications else None).key
    measures = _measures_dataset(public_measures(db.session), measures_licence, publisher.name)
    if measures is not None:
        datasets.append(measures)
    return Catalogue(
        uri=_index("katalog"),
        title=f"Offene Daten: {config['SITE_NAME']}",
        description=(
            f"Offene Daten der Beteiligungsplattform {config['SITE_NAME']} ({publisher.name}): "
            "veröffentlichte Ergebnisse der Befragungen zur Familiengerechten Kommune und die "
            "beschlossenen Maßnahmen mit ihrem Stand."
        ),
        homepage=url_for("results.opendata_index", _external=True),
        publisher=publisher,
        contact=Contact(
            name=publisher.name,
            email=config["OPENDATA_CONTACT_EMAIL"],
            url=url_for("public.info", page="impressum", _external=True),
        ),
        municipality_key=config["OPENDATA_MUNICIPALITY_KEY"],
        contributor_id=config["OPENDATA_CONTRIBUTOR_ID"],
        datasets=tuple(datasets),
    )


def _catalogue_response(extension: str) -> Response:
    catalogue = build_catalogue()
    graph = catalogue_graph(catalogue)
    body = serialise(graph, extension)
    response = Response(body, mimetype=SERIALISATIONS[extension][1])
    response.headers["Cache-Control"] = "public, max-age=600"
    # JSON-LD and RDF/XML order their statements differently in every process; Turtle is
    # sorted, so its digest names the same catalogue alike on every worker and node (weak:
    # equal content, not necessarily equal bytes).
    canonical = serialise(graph, "ttl") + extension.encode()
    response.set_etag(hashlib.sha256(canonical).hexdigest()[:32], weak=True)
    modified = newest(d.modified for d in catalogue.datasets)
    if modified:
        response.last_modified = modified
    return response.make_conditional(request)


@bp.get("/opendata/catalog.<any(jsonld, rdf, ttl):extension>")
def opendata_catalogue(extension: str) -> Response:
    """The catalogue in one serialisation (``.jsonld``, ``.rdf``, ``.ttl``)."""
    return _catalogue_response(extension)


@bp.get("/opendata/catalog")
def opendata_catalogue_negotiated() -> Response:
    """The catalogue in the serialisation the ``Accept`` header asks for (JSON-LD by default)."""
    by_type = {media: ext for ext, (_name, media) in SERIALISATIONS.items()}
    best = request.accept_mimetypes.best_match(list(by_type), default="application/ld+json")
    extension = by_type[best or "application/ld+json"]
    response = _catalogue_response(extension)
    response.headers["Content-Location"] = url_for(
        "results.opendata_catalogue", extension=extension
    )
    response.vary.add("Accept")
    return response
