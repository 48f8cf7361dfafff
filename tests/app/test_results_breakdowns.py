"""Public results by breakdown (e.g. index per Stadtteil): only where staff chose it, with
the same disclosure control as the dashboard, and refused for unknown breakdowns."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from analysis.frames import Filters
from analysis.report import run_full_analysis
from app.extensions import db
from app.results.content import clear_cache
from app.suppression import configured_policy
from demo import seed_demo
from demo.content import CURRENT
from surveys.models import ResultPublication, Role, Survey, SurveyStatus
from tests.app.staff_helpers import logged_in

RESULTS = f"/s/{CURRENT.slug}/ergebnisse"


def closed_demo(responses: int = 150) -> Survey:
    clear_cache()
    seed_demo(db.session, responses=responses)
    survey = db.session.scalar(select(Survey).where(Survey.slug == CURRENT.slug))
    assert survey is not None
    survey.status = SurveyStatus.CLOSED
    db.session.commit()
    return survey


def stadtteil_section(html: str) -> str:
    match = re.search(r'id="merkmal-stadtteil".*?</table>', html, re.S)
    assert match is not None, "no table by Stadtteil on the page"
    return match[0]


def test_breakdown_is_public_only_when_chosen_and_matches_the_analysis(app: Flask) -> None:
    survey = closed_demo()
    staff = logged_in(app, Role.STAFF)
    url = f"/verwaltung/umfragen/{survey.id}/ergebnisse"
    form = staff.get(url).get_data(as_text=True)
    assert 'name="breakdowns" value="stadtteil"' in form
    assert staff.post(url, data={"show_summary": "1", "licence": "dl-de/by-2-0"}).status_code == 302
    assert staff.post(f"{url}/veroeffentlichen").status_code == 302
    public = app.test_client()
    assert 'id="merkmal-stadtteil"' not in public.get(RESULTS).get_data(as_text=True)

    saved = staff.post(
        url,
        data={"show_summary": "1", "licence": "dl-de/by-2-0", "breakdowns": ["stadtteil"]},
    )
    assert saved.status_code == 302
    db.session.expire_all()
    publication = db.session.scalar(
        select(ResultPublication).where(ResultPublication.survey_id == survey.id)
    )
    assert publication is not None and publication.breakdowns == ["stadtteil"]
    clear_cache()
    html = public.get(RESULTS).get_data(as_text=True)
    section = stadtteil_section(html)
    assert 'id="merkmal-altersgruppe"' not in html  # not chosen
    # Every shown figure is the analysis's; every hidden one is hidden there too.
    result = run_full_analysis(db.engine, survey.id, Filters(), policy=configured_policy())
    table = result.breakdown_index
    mitte = table[(table["breakdown"] == "stadtteil") & (table["value"] == "mitte")]
    row = re.search(r"<th scope=\"row\">Mitte</th>(.*?)</tr>", section, re.S)
    assert row is not None
    cells = re.findall(r'<td class="num">(.*?)</td>', row[1])
    order = [str(k) for k in result.meta.fields.sort_values("number").index]
    for key, shown in zip(order, cells, strict=False):
        record = mitte[mitte["field"] == key].iloc[0]
        if bool(record["suppressed"]):
            assert "ausgeblendet" in shown
        else:
            assert shown.strip() == str(round(record["index"]))
    hidden = table[(table["breakdown"] == "stadtteil") & table["suppressed"].astype(bool)]
    assert len(hidden) > 0  # 150 answers over ten Stadtteile: some are too small
    assert section.count("ausgeblendet") >= len(hidden)


def test_unknown_breakdown_is_refused_and_the_entry_kept(app: Flask) -> None:
    survey = closed_demo(60)
    staff = logged_in(app, Role.STAFF)
    url = f"/verwaltung/umfragen/{survey.id}/ergebnisse"
    bad = staff.post(
        url,
        data={"licence": "dl-de/by-2-0", "charts": ["bildung"], "breakdowns": ["geheim"]},
    )
    assert bad.status_code == 422
    body = bad.get_data(as_text=True)
    assert "Bitte wählen Sie nur Auswertungsmerkmale der Liste." in body
    assert re.search(r'name="charts" value="bildung"[^>]*checked', body)


def test_open_data_has_the_published_breakdown_and_validates(app: Flask) -> None:
    import csv
    import io
    import json
    from pathlib import Path

    import jsonschema

    survey = closed_demo()
    staff = logged_in(app, Role.STAFF)
    url = f"/verwaltung/umfragen/{survey.id}/ergebnisse"
    public = app.test_client()
    staff.post(url, data={"show_summary": "1", "licence": "dl-de/by-2-0"})
    staff.post(f"{url}/veroeffentlichen")
    plain = public.get(f"/opendata/{CURRENT.slug}.json").get_json()
    assert "breakdown_index" not in plain  # not chosen: not published
    staff.post(
        url, data={"show_summary": "1", "licence": "dl-de/by-2-0", "breakdowns": ["altersgruppe"]}
    )
    clear_cache()
    payload = public.get(f"/opendata/{CURRENT.slug}.json").get_json()
    schema = json.loads(Path("docs/opendata/survey.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(payload, schema, format_checker=jsonschema.FormatChecker())
    records = payload["breakdown_index"]
    assert {r["breakdown"] for r in records} == {"altersgruppe"}
    assert all((r["index"] is None) == r["suppressed"] for r in records)
    html = public.get(RESULTS).get_data(as_text=True)
    assert html.count("ausgeblendet") >= sum(r["suppressed"] for r in records)
    body = public.get(f"/opendata/{CURRENT.slug}.csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body), delimiter=";"))
    mine = [r for r in rows if r["record"] == "breakdown_index"]
    assert len(mine) == len(records) and {r["breakdown"] for r in mine} == {"altersgruppe"}
