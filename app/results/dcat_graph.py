"""The open-data catalogue as an RDF graph in DCAT-AP.de 2.0 (what GovData harvests).

This module knows nothing of Flask: :mod:`app.results.dcat` collects the published datasets
into the plain descriptions below, and :func:`catalogue_graph` turns them into triples with
rdflib. Every value that DCAT-AP.de takes from a controlled vocabulary comes from one table
here (licences, file types, data themes, the political geocoding), so the SHACL test
(``tests/app/test_results_dcat.py``) checks each of them against the vendored vocabularies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
IANA_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
MUNICIPALITY_KEY = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/"
LEVEL_MUNICIPALITY = "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"


@dataclass(frozen=True)
class FileType:
    """A distribution's format: EU file-type code and IANA media type."""

    code: str
    media_type: str


#: The formats the open-data downloads come in (``app/downloads.py`` serves them).
FILE_TYPES: dict[str, FileType] = {
    "csv": FileType("CSV", "text/csv"),
    "json": FileType("JSON", "application/json"),
}


@dataclass(frozen=True)
class DcatLicence:
    """A licence in the dcat-ap.de vocabulary; ``by`` when it asks for attribution."""

    uri: str
    by: bool


#: The licences staff can choose (``surveys.publication.LICENCES``) in the dcat-ap.de list.
DCAT_LICENCES: dict[str, DcatLicence] = {
    "dl-de/by-2-0": DcatLicence("http://dcat-ap.de/def/licenses/dl-by-de/2.0", by=True),
    "dl-de/zero-2-0": DcatLicence("http://dcat-ap.de/def/licenses/dl-zero-de/2.0", by=False),
    "cc-by-4.0": DcatLicence("http://dcat-ap.de/def/licenses/cc-by/4.0", by=True),
    "cc0-1.0": DcatLicence("http://dcat-ap.de/def/licenses/cc-zero", by=False),
}

#: EU data themes of every dataset here: population and society, government.
THEMES = ("SOCI", "GOVE")


@dataclass(frozen=True)
class Publisher:
    """The municipality that publishes the data (``foaf:Organization``)."""

    uri: str
    name: str


@dataclass(frozen=True)
class Contact:
    """Whom a data user asks (``vcard:Organization``): e-mail and/or a web page."""

    name: str
    email: str
    url: str


@dataclass(frozen=True)
class Distribution:
    """One downloadable file of a dataset."""

    uri: str
    title: str
    description: str
    url: str
    fmt: str
    licence: str
    attribution: str
    issued: datetime | None
    modified: datetime | None
    conforms_to: str | None = None


@dataclass(frozen=True)
class Dataset:
    """One published dataset: a survey's results or the adopted measures."""

    uri: str
    title: str
    description: str
    landing_page: str
    issued: datetime | None
    modified: datetime | None
    start: date | None
    end: date | None
    keywords: tuple[str, ...]
    distributions: tuple[Distribution, ...]


@dataclass(frozen=True)
class Catalogue:
    """The catalogue and what all its datasets share (publisher, place, contact)."""

    uri: str
    title: str
    description: str
    homepage: str
    publisher: Publisher
    contact: Contact
    municipality_key: str
    contributor_id: str = ""
    datasets: tuple[Dataset, ...] = field(default_factory=tuple)


def _de(text: str) -> Literal:
    return Literal(text, lang="de")


def _moment(value: datetime) -> Literal:
    """An ``xsd:dateTime`` in UTC without fractions of a second."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    stamp = value.astimezone(UTC).replace(microsecond=0)
    return Literal(stamp.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)


def newest(values: Iterable[datetime | None]) -> datetime | None:
    """The latest of the given moments (naive ones read as UTC); ``None`` if there is none."""
    known = [v if v.tzinfo else v.replace(tzinfo=UTC) for v in values if v is not None]
    return max(known) if known else None


def _blank(owner: str, role: str) -> BNode:
    """A blank node with a stable label, so the same catalogue always gives the same bytes."""
    return BNode(role + hashlib.sha256(owner.encode()).hexdigest()[:16])


def _contact(graph: Graph, owner: str, contact: Contact) -> BNode:
    node = _blank(owner, "kontakt")
    graph.add((node, RDF.type, VCARD.Organization))
    graph.add((node, VCARD.fn, _de(contact.name)))
    if contact.email:
        graph.add((node, VCARD.hasEmail, URIRef(f"mailto:{contact.email}")))
    if contact.url:
        graph.add((node, VCARD.hasURL, URIRef(contact.url)))
    return node


def _spatial(graph: Graph, subject: URIRef, key: str) -> None:
    """The municipality: ``dct:spatial`` mirrors ``dcatde:politicalGeocodingURI``, as asked."""
    place = URIRef(MUNICIPALITY_KEY + key)
    graph.add((subject, DCTERMS.spatial, place))
    graph.add((subject, DCATDE.politicalGeocodingURI, place))
    graph.add((subject, DCATDE.politicalGeocodingLevelURI, URIRef(LEVEL_MUNICIPALITY)))


def _distribution(graph: Graph, item: Distribution) -> URIRef:
    node = URIRef(item.uri)
    kind = FILE_TYPES[item.fmt]
    licence = DCAT_LICENCES[item.licence]
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, _de(item.title)))
    graph.add((node, DCTERMS.description, _de(item.description)))
    graph.add((node, DCAT.accessURL, URIRef(item.url)))
    graph.add((node, DCAT.downloadURL, URIRef(item.url)))
    graph.add((node, DCTERMS.format, URIRef(EU_FILE_TYPE + kind.code)))
    graph.add((node, DCAT.mediaType, URIRef(IANA_MEDIA_TYPE + kind.media_type)))
    graph.add((node, DCTERMS.license, URIRef(licence.uri)))
    if licence.by:
        graph.add((node, DCATDE.licenseAttributionByText, _de(item.attribution)))
    if item.issued:
        graph.add((node, DCTERMS.issued, _moment(item.issued)))
    if item.modified:
        graph.add((node, DCTERMS.modified, _moment(item.modified)))
    if item.conforms_to:
        graph.add((node, DCTERMS.conformsTo, URIRef(item.conforms_to)))
    return node


def _dataset(graph: Graph, catalogue: Catalogue, item: Dataset) -> URIRef:
    node = URIRef(item.uri)
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(item.uri)))
    graph.add((node, DCTERMS.title, _de(item.title)))
    graph.add((node, DCTERMS.description, _de(item.description)))
    graph.add((node, DCTERMS.publisher, URIRef(catalogue.publisher.uri)))
    graph.add((node, DCAT.contactPoint, _contact(graph, item.uri, catalogue.contact)))
    graph.add((node, DCAT.landingPage, URIRef(item.landing_page)))
    graph.add((node, DCTERMS.language, URIRef(EU_LANGUAGE + "DEU")))
    for theme in THEMES:
        graph.add((node, DCAT.theme, URIRef(EU_THEME + theme)))
    for keyword in item.keywords:
        graph.add((node, DCAT.keyword, _de(keyword)))
    _spatial(graph, node, catalogue.municipality_key)
    if item.start or item.end:
        period = _blank(item.uri, "zeitraum")
        graph.add((node, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if item.start:
            graph.add((period, DCAT.startDate, Literal(item.start, datatype=XSD.date)))
        if item.end:
            graph.add((period, DCAT.endDate, Literal(item.end, datatype=XSD.date)))
    if item.issued:
        graph.add((node, DCTERMS.issued, _moment(item.issued)))
    if item.modified:
        graph.add((node, DCTERMS.modified, _moment(item.modified)))
    if catalogue.contributor_id:
        graph.add((node, DCATDE.contributorID, URIRef(catalogue.contributor_id)))
    for distribution in item.distributions:
        graph.add((node, DCAT.distribution, _distribution(graph, distribution)))
    return node


def catalogue_graph(catalogue: Catalogue) -> Graph:
    """Return the catalogue, its publisher, datasets and distributions as one graph."""
    graph = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("dcatde", DCATDE),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("xsd", XSD),
    ):
        graph.bind(prefix, namespace)
    node = URIRef(catalogue.uri)
    publisher = URIRef(catalogue.publisher.uri)
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, FOAF.name, _de(catalogue.publisher.name)))
    graph.add((node, RDF.type, DCAT.Catalog))
    graph.add((node, DCTERMS.title, _de(catalogue.title)))
    graph.add((node, DCTERMS.description, _de(catalogue.description)))
    graph.add((node, DCTERMS.publisher, publisher))
    graph.add((node, FOAF.homepage, URIRef(catalogue.homepage)))
    graph.add((node, DCTERMS.language, URIRef(EU_LANGUAGE + "DEU")))
    graph.add((node, DCAT.themeTaxonomy, URIRef(EU_THEME.rstrip("/"))))
    graph.add((node, DCTERMS.spatial, URIRef(MUNICIPALITY_KEY + catalogue.municipality_key)))
    modified = newest(d.modified for d in catalogue.datasets)
    if modified:
        graph.add((node, DCTERMS.modified, _moment(modified)))
    for dataset in catalogue.datasets:
        graph.add((node, DCAT.dataset, _dataset(graph, catalogue, dataset)))
    return graph


#: Serialisations: rdflib format name and media type, by file extension.
SERIALISATIONS: dict[str, tuple[str, str]] = {
    "jsonld": ("json-ld", "application/ld+json"),
    "rdf": ("pretty-xml", "application/rdf+xml"),
    "ttl": ("turtle", "text/turtle"),
}

_CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "dcatde": str(DCATDE),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "xsd": str(XSD),
}


def serialise(graph: Graph, extension: str) -> bytes:
    """Return the graph as JSON-LD (compacted with the usual prefixes), RDF/XML or Turtle."""
    name, _media_type = SERIALISATIONS[extension]
    if name == "json-ld":
        text = graph.serialize(format=name, context=_CONTEXT, indent=1, auto_compact=True)
    else:
        text = graph.serialize(format=name)
    return text.encode("utf-8")
