"""Moderators' dashboard: overview heatmap, field pages, filters, suppression, escaping."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from flask import Flask
from sqlalchemy import func, select

from analysis.frames import Filters
from analysis.report import run_full_analysis
from app.extensions import db
from app.workshop.dashboard import data as dashboard_data
from app.workshop.dashboard.data import analysis_for, clear_cache
from surveys.models import Response, Role, SurveyStatus, User
from surveys.retention import purge_free_text
from tests.app.dashboard_support import (
    SLUG,
    XSS,
    moderator_client,
    plant_comments,
    seeded,
    shrink_group,
)
from tests.app.demo_world import DemoWorld
from tests.app.workshop_support import login, make_user

PAGES = [
    f"/workshop/{SLUG}/dashboard",
    f"/workshop/{SLUG}/dashboard/feld/bildung",
    f"/workshop/{SLUG}/mappe.pdf",
    f"/workshop/{SLUG}/mappe.xlsx",
]


def test_anonymous_goes_to_login_and_roleless_users_get_403(
    wapp: Flask,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    anonymous = wapp.test_client()
    for url in PAGES:
        response = anonymous.get(url)
        assert response.status_code == 302 and "anmelden" in response.headers["Location"], url
    client = wapp.test_client()
    login(client, make_user(Role.STAFF))
    monkeypatch.setattr(User, "has_role", lambda self, *roles: False)
    for url in PAGES:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.STAFF, Role.ADMIN])
def test_moderator_staff_and_admin_see_the_dashboard(demo: DemoWorld, role: Role) -> None:
    client = demo.client(role)
    assert client.get(PAGES[0]).status_code == 200
    assert client.get(PAGES[1]).status_code == 200
    assert client.get(f"/workshop/{SLUG}/dashboard/feld/gibt-es-nicht").status_code == 404
    assert client.get("/workshop/gibt-es-nicht/dashboard").status_code == 404


def test_overview_shows_the_analysis_numbers(demo: DemoWorld) -> None:
    result = run_full_analysis(db.engine, demo.survey_id)
    html = demo.client().get(PAGES[0]).get_data(as_text=True)
    row = result.field_index[
        (result.field_index["field"] == "bildung") & (result.field_index["group"] == "familien")
    ].iloc[0]
    cell = re.search(
        r"3\. Bildung und Erziehung</a></th>\s*<td class=\"num (heat-[a-z0-9]+)\">"
        r"<span class=\"heat-value\">(\d+)</span>",
        html,
    )
    assert cell is not None
    assert cell[2] == str(round(float(row["index"])))
    assert cell[1] == dashboard_data.heat_class(row["index"])
    change = result.baseline_index[
        (result.baseline_index["field"] == "bildung")
        & (result.baseline_index["group"] == "familien")
    ].iloc[0]
    assert dashboard_data.number(change["change"], 1, sign=True) in html
    total = int(result.responses.set_index("group").at["total", "n"])
    assert f'<td class="num">{total}</td>' in html.replace("\u202f", "")
    assert 'name="gruppe"' in html and 'name="weg"' in html and 'method="get"' in html
    assert "zum Schutz der Befragten nicht gezeigt" in html  # the legend explains the marker


def test_filters_reach_the_analysis_and_bad_values_are_ignored(demo: DemoWorld) -> None:
    survey = demo.survey()
    client = demo.client()
    html = client.get(PAGES[0] + "?gruppe=senioren&weg=online").get_data(as_text=True)
    assert '<option value="senioren" selected>' in html
    assert '<option value="online" selected>' in html
    assert ">Familien</th>" not in html  # only the chosen group's column
    expected = run_full_analysis(db.engine, survey.id, Filters(group="senioren", channel="online"))
    n = expected.responses.set_index("group").at["total", "n"]
    if pd.isna(n):  # the guard may refuse the set; then the page says so
        assert expected.n_responses is None
    else:
        assert f"{int(n)}</td>" in html.replace("\u202f", "")
    odd = client.get(PAGES[0] + "?gruppe=%3Cscript%3E&weg=fax&sprache=xx")
    assert odd.status_code == 200 and "<script>" not in odd.get_data(as_text=True)


def test_tiny_group_is_suppressed_everywhere(wapp: Flask) -> None:
    survey = seeded()
    shrink_group(survey, "akteure", keep=3)
    client = moderator_client(wapp)
    html = client.get(PAGES[0]).get_data(as_text=True)
    rows = re.search(r'<th scope="row">Akteurinnen und Akteure</th>(.*?)</tr>', html, re.S)
    assert rows is not None and 'class="suppressed"' in rows[1]
    assert ">3<" not in rows[1]
    heat = re.findall(r'<td class="num (heat-[a-z0-9]+)">', html)
    assert heat.count("heat-none") >= 6  # the Akteure column of every field is hidden
    field = client.get(PAGES[1]).get_data(as_text=True)
    assert 'class="suppressed"' in field and "nicht gezeigt" in field
    only = client.get(PAGES[0] + "?gruppe=akteure").get_data(as_text=True)
    assert "Zu wenige Antworten" in only and "heatmap" not in only
    assert "Mit diesen Filtern" in only  # a filter left too few: say so


def test_a_survey_with_too_few_responses_does_not_blame_the_filters(wapp: Flask) -> None:
    survey = seeded(responses=12)
    for group in survey.target_groups:
        shrink_group(survey, group.key, keep=1)
    html = moderator_client(wapp).get(PAGES[0]).get_data(as_text=True)
    assert "Zu wenige Antworten" in html and "heatmap" not in html
    assert (
        "Diese Umfrage hat noch weniger als" in html
        and "Filter" not in html.split("Zu wenige Antworten", 1)[1].split("</p>", 1)[0]
    )


def test_comments_are_escaped_filtered_and_searchable(wapp: Flask) -> None:
    survey = seeded()
    planted = plant_comments(survey, "bildung_anmerkungen", [XSS, "Mehr Kitaplätze bitte"])
    assert planted >= 20
    client = moderator_client(wapp)
    html = client.get(PAGES[1]).get_data(as_text=True)
    assert "<script>alert" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in html
    found = client.get(PAGES[1] + "?suche=kitaplätze").get_data(as_text=True)
    assert "Mehr Kitaplätze bitte" in found and "&lt;script&gt;" not in found
    familien = client.get(PAGES[1] + "?kommentare_gruppe=familien").get_data(as_text=True)
    comments = re.findall(r'<p class="muted comment-meta">.*?</span> · ([^<]+)</p>', familien)
    assert comments and set(comments) == {"Familien"}


def test_every_chart_has_alt_text_and_a_table(demo: DemoWorld) -> None:
    html = demo.client().get(PAGES[1].replace("bildung", "wohnumfeld")).get_data(as_text=True)
    assert "keine Frage zur Rangfolge" not in html  # Wohnumfeld has a ranking question
    images = re.findall(r'<img src="/workshop/[^"]+\.png[^"]*" alt="([^"]*)"', html)
    assert len(images) >= 4 and all(len(alt) > 40 for alt in images)
    assert html.count("<details") >= len(images)
    for heading in (
        "Prioritäten",
        "Stärken und Schwächen",
        "Wichtigkeit und Zufriedenheit",
        "Auffällige Unterschiede",
        "Veränderung seit",
        "Themen der Kommentare",
    ):
        assert heading in html, heading
    assert "style=" not in html and "<script>" not in html


def test_analysis_is_cached_until_a_response_arrives(
    wapp: Flask,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    survey = seeded(40)
    calls: list[Filters] = []
    real = dashboard_data.run_full_analysis

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args[2])  # type: ignore[arg-type]
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dashboard_data, "run_full_analysis", counting)
    client = moderator_client(wapp)
    client.get(PAGES[0])
    client.get(PAGES[1])
    assert len(calls) == 1
    client.get(PAGES[0] + "?weg=paper")
    assert len(calls) == 2
    shrink_group(survey, "akteure", keep=5)
    client.get(PAGES[0])
    assert len(calls) == 3


def test_comments_in_other_languages_are_marked(wapp: Flask) -> None:
    survey = seeded()
    plant_comments(survey, "bildung_anmerkungen", ["Daha fazla kreş yeri lütfen"])
    responses = db.session.scalars(select(Response).where(Response.survey_id == survey.id)).all()
    for response in responses:
        response.language = "tr"
    db.session.commit()
    html = moderator_client(wapp).get(PAGES[1]).get_data(as_text=True)
    assert '<p class="pre" lang="tr" dir="ltr">Daha fazla kreş yeri lütfen' in html
    assert 'Sprache: <span lang="tr">Türkçe</span>' in html


def test_purged_free_text_leaves_the_cached_dashboard_at_once(wapp: Flask) -> None:
    survey = seeded()
    survey.status = SurveyStatus.CLOSED
    db.session.commit()
    plant_comments(survey, "bildung_anmerkungen", ["Bitte längere Öffnungszeiten der Kita"])
    clear_cache()
    client = moderator_client(wapp)
    assert "längere Öffnungszeiten" in client.get(PAGES[1]).get_data(as_text=True)
    purge_free_text(db.session, survey)  # as `flask purge` does, in another process
    db.session.commit()
    assert "längere Öffnungszeiten" not in client.get(PAGES[1]).get_data(as_text=True)


def _language_row(section: str, code: str) -> list[str]:
    """The cells (text without tags) of the language row ``code`` of the overview table."""
    match = re.search(rf"\({re.escape(code)}\)</span></th>(.*?)</tr>", section)
    assert match is not None, code
    cells = re.findall(r"<td class=\"num\">(.*?)</td>", match[1])
    return [re.sub(r"<[^>]+>", "", c).split(" – ")[0] for c in cells]


def test_overview_shows_responses_per_language_and_group_with_small_counts_hidden(
    wapp: Flask,
) -> None:
    survey = seeded(200)
    per_language = dict(
        db.session.execute(
            select(Response.language, func.count(Response.id))
            .where(Response.survey_id == survey.id)
            .group_by(Response.language)
        ).all()
    )
    assert per_language["tr"] >= 5 and 0 < per_language["de-LS"] < 5  # the demo has both
    client = moderator_client(wapp)
    html = client.get(PAGES[0]).get_data(as_text=True)
    section = html.split('id="sprachen"')[1].split('id="felder"')[0]
    assert "Antworten je Sprache und Zielgruppe" in section
    assert 'lang="ar" dir="rtl">العربية</span>' in section
    headers = re.findall(r'<th scope="col" class="num">(.*?)</th>', section)
    assert headers[0] == "Familien" and headers[-2:] == ["Alle Befragten", "Anteil"]
    assert len(headers) == 5
    turkish = _language_row(section, "tr")
    assert turkish[3] == str(per_language["tr"])  # column "Alle Befragten"
    assert _language_row(section, "de-LS")[3] == "•"  # below the minimum cell size
    for code in per_language:
        for cell in _language_row(section, code)[:4]:
            assert cell == "•" or cell == "0" or int(cell.replace("\u202f", "")) >= 5, (
                code,
                cell,
            )
    total = re.search(r"Alle Sprachen</th>(.*?)</tr>", section)
    assert total is not None and str(sum(per_language.values())) in total[1].replace("\u202f", "")
    # Filtered by target group: one column for that group.
    seniors = client.get(f"{PAGES[0]}?gruppe=senioren").get_data(as_text=True)
    part = seniors.split('id="sprachen"')[1].split('id="felder"')[0]
    assert re.findall(r'<th scope="col" class="num">(.*?)</th>', part) == [
        "Seniorinnen und Senioren",
        "Anteil",
    ]


def test_survey_list_shows_the_languages_of_the_answers(wapp: Flask) -> None:
    survey = seeded(200)
    turkish = db.session.scalar(
        select(func.count(Response.id)).where(
            Response.survey_id == survey.id, Response.language == "tr"
        )
    )
    html = moderator_client(wapp).get("/workshop/auswertung/").get_data(as_text=True)
    assert f'<span lang="tr" dir="ltr">Türkçe</span>: {turkish}</li>' in html
    assert '<span lang="de" dir="ltr">Leichte Sprache</span>: <span class="suppressed">' in html


def test_workshop_start_page_warms_the_dashboard_in_the_background(
    wapp: Flask,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seeded()
    monkeypatch.setitem(wapp.config, "DASHBOARD_WARM_UP", True)
    client = moderator_client(wapp)
    assert client.get("/workshop/").status_code == 200
    warming = [t for t in threading.enumerate() if t.name == "dashboard-warm-up"]
    assert len(warming) == 1
    warming[0].join(timeout=120)

    def no_second_analysis(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the dashboard computed the analysis again")

    monkeypatch.setattr(dashboard_data, "run_full_analysis", no_second_analysis)
    assert client.get(PAGES[0]).status_code == 200  # served from the warmed cache
    assert client.get("/workshop/auswertung/").status_code == 200
    assert not [t for t in threading.enumerate() if t.name == "dashboard-warm-up"]


def test_a_value_being_made_is_made_once_for_concurrent_askers() -> None:
    cache = dashboard_data._LRU(4)
    calls: list[int] = []
    entered, gate = threading.Event(), threading.Event()
    arrived = threading.Semaphore(0)

    class ArrivalSignallingLock:
        """The per-key lock, telling the test when an asker has reached it."""

        def __init__(self, lock: Any) -> None:
            self.lock = lock

        def __enter__(self) -> None:
            arrived.release()
            self.lock.acquire()

        def __exit__(self, *_exc: object) -> None:
            self.lock.release()

    def make() -> str:
        calls.append(1)
        entered.set()
        gate.wait(5)
        return "analysis"

    results: list[str] = []
    askers = [
        threading.Thread(target=lambda: results.append(cache.get_or_make("k", make)))
        for _ in range(3)
    ]
    askers[0].start()
    assert entered.wait(5)  # the first asker is making the value ...
    cache._making["k"] = ArrivalSignallingLock(cache._making["k"])  # type: ignore[assignment]
    for asker in askers[1:]:
        asker.start()
    for _ in askers[1:]:
        assert arrived.acquire(timeout=5)  # ... while the others wait for it
    gate.set()
    for asker in askers:
        asker.join(5)
    assert results == ["analysis"] * 3 and len(calls) == 1


def test_field_page_marks_the_reversed_item_and_labels_both_indices(demo: DemoWorld) -> None:
    result = analysis_for(demo.survey(), Filters())
    client = demo.client()
    html = client.get(f"/workshop/{SLUG}/dashboard/feld/senioren").data.decode()
    assert "Ich fühle mich oft allein. (umgepolt)" in html
    assert "Umgepolte Items: „Ich fühle mich oft allein.“" in html
    assert "Index (alle Aussagen)" in html and "Aktuell (gemeinsame Aussagen)" in html
    assert "Nicht im Vergleich" in html and "Hilfe im Umgang mit Smartphone und Internet" in html
    # The overview's heatmap and the field table show the same all-items index.
    index = result.field_index.set_index(["field", "group"]).at[("senioren", "senioren"), "index"]
    overview = client.get(PAGES[0]).data.decode()
    assert dashboard_data.number(index) in overview and dashboard_data.number(index) in html
    assert "verglichen nur über die Aussagen, die beide Befragungen enthalten" in overview


def test_heat_classes_step_every_two_and_a_half_points_around_the_midpoint() -> None:
    heat = dashboard_data.heat_class
    assert heat(50) == heat(51.2) == "heat-0"
    assert heat(47) == "heat-m1" and heat(53) == "heat-p1"  # 45-55 is no longer one band
    assert heat(45) == "heat-m2" and heat(61) == "heat-p4"
    assert heat(10) == heat(30) == "heat-m8" and heat(95) == heat(70) == "heat-p8"
    assert heat(None) == heat(float("nan")) == "heat-none"
    css = Path("app/static/workshop/dashboard.css").read_text(encoding="utf-8")
    steps = {heat(v) for v in range(0, 101)}
    assert len(steps) == 17 and all(f".{s} {{" in css for s in steps)
