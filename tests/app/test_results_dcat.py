"""The DCAT-AP.de catalogue: valid against GovData's SHACL profiles, only published data.

The catalogue is read as a harvester reads it (HTTP, then rdflib), validated with pyshacl
against the vendored DCAT-AP.de 2.0 shapes (``tests/app/dcat_shacl.py``), and compared with
what plain SQL says is published. Broken catalogues must fail the same validation.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import warnings
from collections.abc import Callable
from datetime import UTC, date, datetime

import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS
from sqlalchemy import text

from app.config import ConfigError, load_config
from app.extensions import db
from app.results.dcat_graph import DCAT_LICENCES, DCATDE, FILE_TYPES, THEMES
from surveys.models import Survey, SurveyStatus
from surveys.publication import LICENCES, publication_for, publish, unpublish
from tests.analysis.builders import build_survey, fill
from tests.app.dcat_shacl import DATA, findings, vocabularies
from tests.app.results_support import arrange
from tests.app_fixtures import make_app

CONTRIBUTOR = "http://dcat-ap.de/def/contributors/landNiedersachsen"
OPENED, CLOSED = date(2026, 3, 2), date(2026, 4, 30)


def _configure(app: Flask, **values: str) -> None:
    app.config.update(
        OPENDATA_CONTACT_EMAIL="opendata@delmenhorst.example",
        OPENDATA_CONTRIBUTOR_ID=CONTRIBUTOR,
        **values,
    )


def _published(app: Flask) -> Survey:
    """The results fixture (tiny group, adopted measure), published, with a field period."""
    _configure(app)
    survey = arrange().survey
    survey.opens_on, survey.closes_on = OPENED, CLOSED
    publish(db.session, survey, None)
    db.session.commit()
    return survey


def _graph(client: FlaskClient, extension: str = "ttl") -> Graph:
    response = client.get(f"/opendata/catalog.{extension}")
    assert response.status_code == 200
    if extension != "jsonld":
        return Graph().parse(data=response.data, format={"ttl": "turtle", "rdf": "xml"}[extension])
    # rdflib 7.6's own JSON-LD parser wraps its sink in the ConjunctiveGraph it deprecates
    # (a Dataset sink warns about Dataset.default_context instead): silence only that.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="rdflib")
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return Graph().parse(data=response.data, format="json-ld")


def _datasets(graph: Graph) -> dict[str, URIRef]:
    """Datasets by their last path/anchor part (``ergebnisse-<slug>``, ``massnahmen``)."""
    return {str(d).rsplit("#", 1)[1]: d for d in graph.subjects(RDF.type, DCAT.Dataset)}


def test_catalogue_validates_against_both_dcat_ap_de_profiles(
    app: Flask, client: FlaskClient
) -> None:
    _published(app)
    graphs = {ext: _graph(client, ext) for ext in ("ttl", "rdf", "jsonld")}
    assert isomorphic(graphs["ttl"], graphs["rdf"]) and isomorphic(graphs["ttl"], graphs["jsonld"])
    for profile in ("spezifikation", "konventionen"):
        # not even a warning or an info: every recommended property is there
        assert findings(graphs["jsonld"], profile) == []
    assert set(_datasets(graphs["ttl"])) == {"ergebnisse-befragung-2026", "massnahmen"}


def test_without_contributor_id_only_govdata_convention_12_fails(
    app: Flask, client: FlaskClient
) -> None:
    _published(app)
    app.config["OPENDATA_CONTRIBUTOR_ID"] = ""
    graph = _graph(client)
    assert findings(graph, "spezifikation") == []
    found = findings(graph, "konventionen")
    assert {(f.severity, f.path) for f in found} == {("Violation", str(DCATDE.contributorID))}
    assert {f.focus for f in found} == {str(d) for d in _datasets(graph).values()}
    assert all(f.message.startswith("K12&13") for f in found)


def _first(graph: Graph, kind: URIRef) -> URIRef:
    return sorted(graph.subjects(RDF.type, kind))[0]


def _drop(kind: URIRef, prop: URIRef) -> Callable[[Graph], URIRef]:
    def mutate(graph: Graph) -> URIRef:
        node = _first(graph, kind)
        graph.remove((node, prop, None))
        return node

    return mutate


def _replace(kind: URIRef, prop: URIRef, value: URIRef | Literal) -> Callable[[Graph], URIRef]:
    def mutate(graph: Graph) -> URIRef:
        node = _first(graph, kind)
        graph.set((node, prop, value))
        return node

    return mutate


def _empty_period(graph: Graph) -> URIRef:
    period = _first(graph, DCTERMS.PeriodOfTime)
    graph.remove((period, DCAT.startDate, None))
    graph.remove((period, DCAT.endDate, None))
    return period


CC_BY_WEB = URIRef("https://creativecommons.org/licenses/by/4.0/")
BROKEN = {
    "dataset without title": (_drop(DCAT.Dataset, DCTERMS.title), DCTERMS.title),
    "dataset without description": (
        _drop(DCAT.Dataset, DCTERMS.description),
        DCTERMS.description,
    ),
    "distribution without accessURL": (_drop(DCAT.Distribution, DCAT.accessURL), DCAT.accessURL),
    "licence outside the dcat-ap.de list": (
        _replace(DCAT.Distribution, DCTERMS.license, CC_BY_WEB),
        DCTERMS.license,
    ),
    "format as plain text": (
        _replace(DCAT.Distribution, DCTERMS.format, Literal("CSV")),
        DCTERMS.format,
    ),
    "theme outside the EU vocabulary": (
        _replace(DCAT.Dataset, DCAT.theme, URIRef("http://example.org/theme/familie")),
        DCAT.theme,
    ),
    "media type outside IANA": (
        _replace(DCAT.Distribution, DCAT.mediaType, URIRef("http://example.org/csv")),
        DCAT.mediaType,
    ),
    "issued not a date": (
        _replace(DCAT.Dataset, DCTERMS.issued, Literal("gestern")),
        DCTERMS.issued,
    ),
    "period without start and end": (_empty_period, None),
    "catalogue without publisher": (_drop(DCAT.Catalog, DCTERMS.publisher), DCTERMS.publisher),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_catalogue_fails_validation(app: Flask, client: FlaskClient, case: str) -> None:
    _published(app)
    graph = _graph(client)
    mutate, prop = BROKEN[case]
    node = mutate(graph)
    involved = {str(node)} | {str(o) for o in graph.objects(node, prop)} if prop else {str(node)}
    violations = [f for f in findings(graph, "konventionen") if f.severity == "Violation"]
    assert violations, case
    # reported at the broken node for the property, or (vocabularies) at the value itself
    assert any(
        (f.focus == str(node) and (prop is None or f.path == str(prop)))
        or (f.focus in involved and f.path == str(SKOS.inScheme))
        for f in violations
    ), violations


def test_only_published_results_are_in_the_catalogue(app: Flask, client: FlaskClient) -> None:
    published = _published(app)
    unpublished = build_survey(db.session, "noch-nicht-2026")
    withdrawn = build_survey(db.session, "zurueckgezogen-2026")
    reopened = build_survey(db.session, "wieder-offen-2026")
    for survey in (unpublished, withdrawn, reopened):
        fill(db.session, survey, {"familien": 12})
        survey.status = SurveyStatus.CLOSED
    db.session.commit()
    publication_for(db.session, unpublished)
    for survey in (withdrawn, reopened):
        publish(db.session, survey, None)
    unpublish(db.session, withdrawn, None)
    reopened.status = SurveyStatus.OPEN  # published once, then opened again
    db.session.commit()

    rows = db.session.execute(
        text(
            "SELECT s.slug FROM result_publication p JOIN survey s ON s.id = p.survey_id "
            "WHERE p.published = :yes AND s.status = 'closed'"
        ),
        {"yes": True},
    ).all()
    assert [r.slug for r in rows] == [published.slug]
    for ext in ("ttl", "rdf", "jsonld"):
        body = client.get(f"/opendata/catalog.{ext}").get_data(as_text=True)
        for hidden in (unpublished, withdrawn, reopened):
            assert hidden.slug not in body and hidden.title not in body
    assert set(_datasets(_graph(client))) == {f"ergebnisse-{r.slug}" for r in rows} | {"massnahmen"}


def test_a_harvester_gets_every_distribution_and_no_suppressed_cell(
    app: Flask, client: FlaskClient
) -> None:
    _published(app)
    graph = _graph(client)
    distributions = sorted(graph.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == 4  # CSV and JSON of the results and of the measures
    by_uri = {lic.uri: LICENCES[key] for key, lic in DCAT_LICENCES.items()}
    for node in distributions:
        url = str(graph.value(node, DCAT.downloadURL))
        assert graph.value(node, DCAT.accessURL) == URIRef(url)
        response = client.get(url.removeprefix("http://localhost"))
        assert response.status_code == 200, url
        media = str(graph.value(node, DCAT.mediaType)).split("/media-types/", 1)[1]
        assert response.mimetype == media
        licence = by_uri[str(graph.value(node, DCTERMS.license))]
        assert response.headers["Link"] == f'<{licence.url}>; rel="license"'
        schema = graph.value(node, DCTERMS.conformsTo)
        if schema is not None:
            served = client.get(str(schema).removeprefix("http://localhost")).get_json()
            jsonschema.validate(response.get_json(), served)
        if url.endswith("befragung-2026.json"):
            tiny = [r for r in response.get_json()["responses"] if r["group"] == "akteure"]
            assert tiny and all(r["n"] is None and r["suppressed"] for r in tiny)
        if url.endswith("befragung-2026.csv"):
            text_body = response.data.decode("utf-8-sig")
            rows = list(csv.DictReader(io.StringIO(text_body), delimiter=";"))
            assert all(r["n"] == "" for r in rows if r["group"] == "akteure")


def _sql_one(query: str, **params: object) -> object:
    return db.session.execute(text(query), params).one()


def test_dataset_metadata_matches_the_database(app: Flask, client: FlaskClient) -> None:
    survey = _published(app)
    graph = _graph(client)
    dataset = _datasets(graph)["ergebnisse-befragung-2026"]
    row = _sql_one(
        "SELECT s.title, s.opens_on, s.closes_on, p.published_at FROM survey s "
        "JOIN result_publication p ON p.survey_id = s.id WHERE s.slug = :slug",
        slug=survey.slug,
    )
    title, opens_on, closes_on, published_at = row
    assert str(graph.value(dataset, DCTERMS.title)) == f"Ergebnisse der Befragung „{title}“"
    period = graph.value(dataset, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == str(opens_on) == "2026-03-02"
    assert str(graph.value(period, DCAT.endDate)) == str(closes_on) == "2026-04-30"
    issued = graph.value(dataset, DCTERMS.issued).toPython()
    stored = (
        published_at if isinstance(published_at, datetime) else datetime.fromisoformat(published_at)
    )
    stored = stored if stored.tzinfo else stored.replace(tzinfo=UTC)
    assert issued == stored.replace(microsecond=0)
    place = URIRef("http://dcat-ap.de/def/politicalGeocoding/municipalityKey/03401000")
    assert graph.value(dataset, DCTERMS.spatial) == place
    assert graph.value(dataset, DCATDE.politicalGeocodingURI) == place
    publisher = graph.value(dataset, DCTERMS.publisher)
    assert publisher == URIRef("https://www.delmenhorst.de/")
    assert str(graph.value(publisher, FOAF.name)) == "Stadt Delmenhorst"
    contact = graph.value(dataset, DCAT.contactPoint)
    vcard = "http://www.w3.org/2006/vcard/ns#"
    assert graph.value(contact, URIRef(vcard + "hasEmail")) == URIRef(
        "mailto:opendata@delmenhorst.example"
    )
    assert {str(t).rsplit("/", 1)[1] for t in graph.objects(dataset, DCAT.theme)} == set(THEMES)
    assert "Wohnumfeld und Lebensqualität" in {str(k) for k in graph.objects(dataset, DCAT.keyword)}
    assert graph.value(dataset, DCAT.landingPage) == URIRef(
        "http://localhost/s/befragung-2026/ergebnisse"
    )
    for node in graph.objects(dataset, DCAT.distribution):
        assert graph.value(node, DCTERMS.license) == URIRef(
            "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
        )
        assert str(graph.value(node, DCATDE.licenseAttributionByText)) == "Stadt Delmenhorst"


def test_licence_publisher_and_place_follow_the_configuration(
    app: Flask, client: FlaskClient
) -> None:
    survey = _published(app)
    _configure(
        app,
        OPENDATA_PUBLISHER_NAME="Stadt Oldenburg (Oldb)",
        OPENDATA_PUBLISHER_URI="https://www.oldenburg.de/",
        OPENDATA_MUNICIPALITY_KEY="03403000",
    )
    publication_for(db.session, survey).licence = "cc0-1.0"
    db.session.commit()
    graph = _graph(client)
    dataset = _datasets(graph)["ergebnisse-befragung-2026"]
    assert graph.value(dataset, DCTERMS.spatial) == URIRef(
        "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/03403000"
    )
    assert str(graph.value(URIRef("https://www.oldenburg.de/"), FOAF.name)) == (
        "Stadt Oldenburg (Oldb)"
    )
    for node in graph.objects(dataset, DCAT.distribution):
        assert graph.value(node, DCTERMS.license) == URIRef(
            "http://dcat-ap.de/def/licenses/cc-zero"
        )
        assert graph.value(node, DCATDE.licenseAttributionByText) is None  # nothing to attribute
    # Oldenburg's key is not in the vendored extract: only the geocoding warnings remain
    found = findings(graph, "konventionen")
    assert found and {f.severity for f in found} == {"Warning"}
    assert {f.path for f in found} == {str(DCATDE.politicalGeocodingURI)}


def test_measures_dataset_dates_come_from_public_updates_only(
    app: Flask, client: FlaskClient
) -> None:
    _published(app)
    # arrange(): the council adopted the agreement (frozen) before a public update of
    # 2026-09-01 and a hidden one of 2026-10-01, which must not show through dct:modified
    db.session.execute(
        text("UPDATE agreement_version SET frozen_at = :at WHERE frozen_at IS NOT NULL"),
        {"at": datetime(2026, 6, 15, 16, 30)},
    )
    db.session.commit()
    graph = _graph(client)
    measures = _datasets(graph)["massnahmen"]
    issued = graph.value(measures, DCTERMS.issued).toPython()
    modified = graph.value(measures, DCTERMS.modified).toPython()
    assert issued == datetime(2026, 6, 15, 16, 30, tzinfo=UTC)
    assert modified == datetime(2026, 9, 1, tzinfo=UTC)
    period = graph.value(measures, DCTERMS.temporal)
    start, end = _sql_one("SELECT period_start, period_end FROM goal_agreement")
    assert str(graph.value(period, DCAT.startDate)) == str(start) == "2026-07-01"
    assert str(graph.value(period, DCAT.endDate)) == str(end)


def test_no_measures_dataset_before_the_council_adopts_any(app: Flask, client: FlaskClient) -> None:
    _configure(app)
    survey = arrange(with_agreement=False).survey
    publish(db.session, survey, None)
    db.session.commit()
    graph = _graph(client)
    assert set(_datasets(graph)) == {"ergebnisse-befragung-2026"}
    assert findings(graph, "konventionen") == []


def test_empty_catalogue_is_still_valid(app: Flask, client: FlaskClient) -> None:
    _configure(app)
    graph = _graph(client)
    assert not _datasets(graph) and len(list(graph.subjects(RDF.type, DCAT.Catalog))) == 1
    assert findings(graph, "konventionen") == []


def test_serialisations_media_types_caching_and_negotiation(
    app: Flask, client: FlaskClient
) -> None:
    _published(app)
    for ext, media in (
        ("jsonld", "application/ld+json"),
        ("rdf", "application/rdf+xml"),
        ("ttl", "text/turtle"),
    ):
        response = client.get(f"/opendata/catalog.{ext}")
        assert response.mimetype == media
        assert response.headers["Cache-Control"] == "public, max-age=600"
        assert "attachment" not in response.headers.get("Content-Disposition", "")
        etag = response.headers["ETag"]
        assert etag.startswith('W/"')
        again = client.get(f"/opendata/catalog.{ext}", headers={"If-None-Match": etag})
        assert again.status_code == 304 and not again.data
        assert response.last_modified is not None
        negotiated = client.get("/opendata/catalog", headers={"Accept": media})
        assert negotiated.mimetype == media
        assert negotiated.headers["Content-Location"] == f"/opendata/catalog.{ext}"
        assert "Accept" in negotiated.headers["Vary"]
        assert negotiated.headers["ETag"] == etag
    json.loads(client.get("/opendata/catalog").data)  # JSON-LD when nothing is asked for
    assert client.get("/opendata/catalog").mimetype == "application/ld+json"


def test_every_vocabulary_value_the_code_can_emit_is_in_the_vocabularies() -> None:
    vocab = vocabularies()

    def in_scheme(uri: str, scheme: str) -> bool:
        return (URIRef(uri), SKOS.inScheme, URIRef(scheme)) in vocab

    assert set(DCAT_LICENCES) == set(LICENCES)  # every licence staff can choose is mapped
    for licence in DCAT_LICENCES.values():
        assert in_scheme(licence.uri, "http://dcat-ap.de/def/licenses"), licence.uri
    eu = "http://publications.europa.eu/resource/authority/"
    for kind in FILE_TYPES.values():
        assert in_scheme(eu + "file-type/" + kind.code, eu + "file-type")
    for theme in THEMES:
        assert in_scheme(eu + "data-theme/" + theme, eu + "data-theme")
    assert in_scheme(CONTRIBUTOR, "http://dcat-ap.de/def/contributors")


def test_configuration_is_checked_at_start(tmp_path: object) -> None:
    config = load_config("/tmp", {})
    assert config["OPENDATA_MUNICIPALITY_KEY"] == "03401000"
    assert config["OPENDATA_PUBLISHER_NAME"] == "Stadt Delmenhorst"
    assert config["OPENDATA_ATTRIBUTION"] == "Stadt Delmenhorst"
    named = load_config("/tmp", {"MUNICIPALITY": "Stadt Oldenburg"})
    assert named["OPENDATA_PUBLISHER_NAME"] == "Stadt Oldenburg"
    for env in (
        {"OPENDATA_MUNICIPALITY_KEY": "3401000"},
        {"OPENDATA_MUNICIPALITY_KEY": "0340100A"},
        {"OPENDATA_PUBLISHER_URI": "www.delmenhorst.de"},
        {"OPENDATA_CONTACT_EMAIL": "opendata at delmenhorst.de"},
    ):
        with pytest.raises(ConfigError):
            load_config("/tmp", env)


def test_opendata_page_links_the_catalogue_for_portals(app: Flask, client: FlaskClient) -> None:
    _published(app)
    html = client.get("/opendata/").get_data(as_text=True)
    for ext in ("jsonld", "rdf", "ttl"):
        assert f'href="/opendata/catalog.{ext}"' in html
    assert 'rel="alternate" type="application/ld+json"' in html
    assert "DCAT-AP.de" in html and "GovData" in html
    # the dataset IRIs are anchors of this page
    assert 'id="ergebnisse-befragung-2026"' in html and 'id="massnahmen"' in html


def test_behind_the_production_proxy_every_address_is_https(app: Flask) -> None:
    """As deployed: production mode behind nginx (one trusted hop, TLS ended there)."""
    _published(app)
    production = make_app(
        app.config["SQLALCHEMY_DATABASE_URI"],
        APP_ENV="production",
        TRUSTED_PROXY_HOPS=1,
        SESSION_COOKIE_SECURE=True,
        OPENDATA_CONTACT_EMAIL="opendata@delmenhorst.example",
        OPENDATA_CONTRIBUTOR_ID=CONTRIBUTOR,
    )
    host = "familienkompass.delmenhorst.example"
    response = production.test_client().get(
        "/opendata/catalog.rdf",
        headers={"Host": host, "X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.7"},
    )
    with production.app_context():
        db.engine.dispose()
    graph = Graph().parse(data=response.data, format="xml")
    ours = {
        str(term)
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and host in str(term)
    }
    assert ours and all(uri.startswith(f"https://{host}/") for uri in ours)
    assert findings(graph, "konventionen") == []


def test_text_from_staff_is_data_not_markup(app: Flask, client: FlaskClient) -> None:
    survey = _published(app)
    hostile = 'Umfrage <script>alert("x")</script> & "Zitat" \'; DROP """\n]]> {"@id": "x"}'
    survey.title = hostile
    survey.purpose = "Zweck </rdf:RDF> <!-- -->"
    db.session.commit()
    for ext in ("ttl", "rdf", "jsonld"):
        graph = _graph(client, ext)
        dataset = _datasets(graph)["ergebnisse-befragung-2026"]
        assert str(graph.value(dataset, DCTERMS.title)) == f"Ergebnisse der Befragung „{hostile}“"
        assert str(graph.value(dataset, DCTERMS.description)).endswith(
            "Zweck der Befragung: Zweck </rdf:RDF> <!-- -->"
        )
    body = client.get("/opendata/catalog.rdf").get_data(as_text=True)
    assert "<script>" not in body and "&lt;script&gt;" in body


def test_the_official_shapes_and_vocabularies_are_unchanged() -> None:
    """The upstream files are byte for byte as vendored (README: sources and commits), so
    the validation above cannot be made to pass by editing a shape."""
    sums = (DATA / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(sums) == 13
    for line in sums:
        digest, name = line.split(maxsplit=1)
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, name
