"""Figures of the dashboard field pages: own URLs (lazy images), the dashboard's access rules,
suppression, filters and cheap revalidation; the Workshop-Mappe keeps embedding them."""

from __future__ import annotations

import html as htmllib
import re
import struct

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select

from app.extensions import db
from surveys.models import Answer, Question, Response, Role, TargetGroup, User
from tests.app.dashboard_support import (
    SLUG,
    moderator_client,
    seeded,
    shrink_group,
)
from tests.app.demo_world import DemoWorld, Mappe
from tests.app.workshop_support import login

FIELD = f"/workshop/{SLUG}/dashboard/feld/bildung"
FIGURES = f"/workshop/{SLUG}/dashboard/abbildung"
IMG_RE = re.compile(r"<img ([^>]*)>")


def images(html: str) -> list[dict[str, str]]:
    """Attributes of every ``<img>`` of ``html`` (values unescaped)."""
    return [
        {k: htmllib.unescape(v) for k, v in re.findall(r'([a-z-]+)="([^"]*)"', attrs)}
        for attrs in IMG_RE.findall(html)
    ]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def likert_url(client: FlaskClient, query: str = "") -> str:
    """URL of the first Likert chart of the Bildung page (with its query string)."""
    page = client.get(FIELD + query).get_data(as_text=True)
    return next(i["src"] for i in images(page) if "/likert/" in i["src"])


def test_field_page_links_lazy_figures_that_match_their_size(demo: DemoWorld) -> None:
    client = demo.client()
    page = client.get(FIELD.replace("bildung", "wohnumfeld")).get_data(as_text=True)
    assert "data:image" not in page
    assert re.search(r'<img src="/workshop/[^"]+/dashboard/abbildung/[^"]+\.png[^"]*"', page)
    found = images(page)
    kinds = {i["src"].split("/")[5] for i in found}
    assert kinds == {"likert", "ipa", "woerter"}, kinds
    for image in found:
        assert image["loading"] == "lazy" and len(image["alt"]) > 40, image
        response = client.get(image["src"])
        assert response.status_code == 200 and response.mimetype == "image/png", image["src"]
        assert png_size(response.data) == (int(image["width"]), int(image["height"]))
        assert response.headers["Cache-Control"] in (
            "private, max-age=3600",
            "max-age=3600, private",
        )
        etag = response.headers["ETag"]
        again = client.get(image["src"], headers={"If-None-Match": etag})
        assert again.status_code == 304 and not again.data
    assert page.count("<details") >= len(found)


def test_figures_need_the_dashboard_role(
    demo: DemoWorld,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = likert_url(demo.client())
    anonymous = demo.app.test_client().get(url)
    assert anonymous.status_code == 302 and "anmelden" in anonymous.headers["Location"]
    client = demo.app.test_client()
    login(client, db.session.get(User, demo.users[Role.STAFF]))  # type: ignore[arg-type]
    monkeypatch.setattr(User, "has_role", lambda self, *roles: False)
    response = client.get(url)
    assert response.status_code == 403 and response.mimetype != "image/png"


def test_unknown_and_suppressed_figures_are_404(wapp: Flask) -> None:
    survey = seeded()
    client = moderator_client(wapp)
    url = likert_url(client)
    path, _, query = url.partition("?")
    kind, subject, group = path.split("/")[-3:]
    assert client.get(url).status_code == 200
    for bad in (
        f"{FIGURES}/torte/{subject}/{group}",
        f"{FIGURES}/{kind}/gibt-es-nicht/{group}",
        f"{FIGURES}/{kind}/{subject}/gibt-es-nicht.png",
        f"{FIGURES}/ipa/gibt-es-nicht/total.png",
        f"{FIGURES}/woerter/bildung/gibt-es-nicht.png",
        f"/workshop/gibt-es-nicht/dashboard/abbildung/{kind}/{subject}/{group}",
    ):
        assert client.get(bad).status_code == 404, bad
    # A group the filter does not show has no figure either.
    assert client.get(f"{FIGURES}/{kind}/{subject}/senioren.png?gruppe=familien").status_code == 404
    shrink_group(survey, "akteure", keep=3)
    for name in (f"likert/{subject}", "ipa/bildung", "woerter/bildung"):
        response = client.get(f"{FIGURES}/{name}/akteure.png")
        assert response.status_code == 404 and response.mimetype != "image/png", name
    page = client.get(FIELD).get_data(as_text=True)
    assert "/akteure.png" not in page
    only = client.get(f"{FIGURES}/{kind}/{subject}/akteure.png?gruppe=akteure")
    assert only.status_code == 404  # fewer than 5 responses under the filter: no analysis


def test_filters_of_the_page_reach_its_figures(demo: DemoWorld) -> None:
    client = demo.client()
    plain = likert_url(client)
    paper = likert_url(client, "?weg=paper")
    assert "weg=paper" in paper and "weg=" not in plain
    assert client.get(plain).status_code == 200
    # Same path, the filter only in the query string: another figure, another ETag.
    path = paper.partition("?")[0]
    filtered, unfiltered = client.get(path + "?weg=paper"), client.get(path)
    assert filtered.status_code == unfiltered.status_code == 200
    assert filtered.headers["ETag"] == client.get(paper).headers["ETag"]
    assert filtered.headers["ETag"] != unfiltered.headers["ETag"]
    assert filtered.data != unfiltered.data


def test_workshop_mappe_embeds_the_figures(demo: DemoWorld, demo_mappe: Mappe) -> None:
    from app.workshop.handout import mappe as handout

    survey = demo.survey()
    with demo.app.test_request_context():
        from app.workshop.dashboard.data import analysis_for, filter_choices, parse_filters

        result = analysis_for(survey, parse_filters({}, filter_choices(survey)))
        context = handout.handout_context(survey, result)
    figures = [f for c in context["chapters"] for f in c["view"].ipa + c["view"].words]
    assert figures and all(f.src.startswith("data:image/png;base64,") for f in figures)
    assert demo_mappe.pdf_path.read_bytes().startswith(b"%PDF")


def test_comments_in_turkish_get_their_own_word_cloud(wapp: Flask) -> None:
    survey = seeded()
    question = db.session.scalar(
        select(Question).where(
            Question.survey_id == survey.id, Question.key == "wohnumfeld_anmerkungen"
        )
    )
    families = db.session.scalar(select(TargetGroup.id).where(TargetGroup.key == "familien"))
    responses = db.session.scalars(
        select(Response)
        .where(Response.survey_id == survey.id, Response.target_group_id == families)
        .order_by(Response.id)
    ).all()[:12]
    for n, response in enumerate(responses):
        response.language = "tr"
        db.session.execute(
            delete(Answer).where(
                Answer.response_id == response.id, Answer.question_id == question.id
            )
        )
        db.session.add(
            Answer(response_id=response.id, question_id=question.id, text=f"Daha fazla park {n}")
        )
    db.session.commit()
    client = moderator_client(wapp)
    page = client.get(f"/workshop/{SLUG}/dashboard/feld/wohnumfeld").get_data(as_text=True)
    assert "Häufige Wörter: Familien – Türkisch" in page
    assert '<th scope="row" lang="tr" dir="ltr">park</th>' in page
    src = re.search(r'src="([^"]*/woerter/wohnumfeld/familien\.tr\.png[^"]*)"', page)
    assert src is not None
    png = client.get(src[1].replace("&amp;", "&"))
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    assert (
        client.get(
            f"/workshop/{SLUG}/dashboard/abbildung/woerter/wohnumfeld/familien.xx.png"
        ).status_code
        == 404
    )
