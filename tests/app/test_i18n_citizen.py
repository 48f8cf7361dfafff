"""Citizen pages in other languages: choice, lang/dir, content translations, fallback, storage."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from surveys.models import Response, Survey
from surveys.translations import save_translations
from tests.app.citizen_flow import (
    BASE,
    answer_all,
    page_url,
    post_page,
    submission_id,
    submit,
)
from tests.factories import PAGES
from tests.i18n.catalogues import compile_catalogues


@pytest.fixture(scope="module", autouse=True)
def _catalogues() -> None:
    compile_catalogues()


def html_tag(html: str) -> str:
    """Return the opening <html> tag."""
    match = re.search(r"<html[^>]*>", html)
    assert match
    return match.group(0)


def test_landing_offers_every_language_in_its_own_name(client: FlaskClient, survey: Survey) -> None:
    html = client.get(BASE).get_data(as_text=True)
    assert html_tag(html) == '<html lang="de" dir="ltr">'
    for code, name in (("en", "English"), ("tr", "Türkçe"), ("ar", "العربية")):
        assert re.search(
            rf'href="[^"]*lang={code}" lang="{code}" dir="(ltr|rtl)"[^>]*>{name}<', html
        )
    assert 'lang="de" dir="ltr" hreflang="de" aria-current="true">Deutsch<' in html
    assert ">Leichte Sprache<" in html


def test_arabic_page_is_right_to_left_and_translated(client: FlaskClient, survey: Survey) -> None:
    html = client.get(f"{BASE}?lang=ar").get_data(as_text=True)
    assert html_tag(html) == '<html lang="ar" dir="rtl">'
    assert "ماذا يحدث لإجاباتكم" in html  # "Was mit Ihren Antworten passiert"
    assert "Was mit Ihren Antworten passiert" not in html


def test_choice_is_kept_through_the_survey(client: FlaskClient, survey: Survey) -> None:
    client.get(f"{BASE}?lang=tr")
    html = client.get(page_url("familien", 1)).get_data(as_text=True)
    assert html_tag(html) == '<html lang="tr" dir="ltr">'
    assert "İleri" in html  # "Weiter"
    html = client.get(f"{BASE}?lang=de").get_data(as_text=True)
    assert html_tag(html) == '<html lang="de" dir="ltr">'
    with client.session_transaction() as state:
        assert "lang" not in state


def test_unknown_language_is_ignored(client: FlaskClient, survey: Survey) -> None:
    html = client.get(f"{BASE}?lang=xx").get_data(as_text=True)
    assert html_tag(html) == '<html lang="de" dir="ltr">'


def test_untranslated_question_falls_back_to_marked_german(
    client: FlaskClient, survey: Survey
) -> None:
    save_translations(
        db.session,
        survey,
        "tr",
        {
            "title": "Aile Anketi Delmenhorst 2026",
            "q/kita/text": "Çocuk bakımından ne kadar memnunsunuz?",
        },
    )
    db.session.commit()
    html = client.get(page_url("familien", 1) + "?lang=tr").get_data(as_text=True)
    assert "Çocuk bakımından ne kadar memnunsunuz?" in html
    assert "Aile Anketi Delmenhorst 2026" in html
    # A question without translation: German text with its own lang, visibly marked.
    assert html.count("Yalnızca Almanca mevcut") >= 1
    assert re.search(r'<span lang="de" dir="ltr">[^<]+</span>', html)


def test_leichte_sprache_uses_easy_intro_and_easy_interface(
    client: FlaskClient, survey: Survey
) -> None:
    html = client.get(f"{BASE}?lang=de-LS").get_data(as_text=True)
    assert html_tag(html) == '<html lang="de" dir="ltr">'
    assert "Die Stadt fragt Sie. Ihre Meinung ist wichtig." in html
    assert "Das machen wir mit Ihren Antworten" in html  # the de@ls interface catalogue
    assert "Was mit Ihren Antworten passiert" not in html


def test_response_stores_language_code(client: FlaskClient, survey: Survey) -> None:
    client.get(f"{BASE}?lang=ar")
    answer_all(client, "familien")
    response = submit(client, "familien", submission_id(client, "familien"))
    assert response.status_code == 303
    stored = db.session.scalars(select(Response)).one()
    assert stored.language == "ar"


def test_paper_version_prints_in_the_chosen_language(
    app: Flask, client: FlaskClient, survey: Survey
) -> None:
    save_translations(db.session, survey, "ar", {"q/kita/text": "ما مدى رضاكم عن رعاية الأطفال؟"})
    db.session.commit()
    html = client.get(f"{BASE}/druck?lang=ar").get_data(as_text=True)
    assert html_tag(html) == '<html lang="ar" dir="rtl">'
    assert "ما مدى رضاكم عن رعاية الأطفال؟" in html
    assert "استبيان للطباعة" in html


def test_check_page_shows_answers_in_the_page_language(client: FlaskClient, survey: Survey) -> None:
    kita = next(q for q in survey.questions() if q.key == "kita")
    scale = kita.settings["scale"]
    save_translations(
        db.session,
        survey,
        "tr",
        {f"q/kita/scale/{n}": f"Basamak {n}" for n in range(1, 1 + len(scale))},
    )
    db.session.commit()
    client.get(f"{BASE}?lang=tr")
    answer_all(client, "familien")
    html = client.get(f"{BASE}/familien/pruefen").get_data(as_text=True)
    assert re.search(r"<dd[^>]*>Basamak \d</dd>", html)
    assert "Yanıtları gönder" in html
    # the yes/no answer in Turkish too (the type's display, with the page's words)
    assert re.search(r"<dd[^>]*>(Evet|Hayır)</dd>", html), html


def test_resuming_on_another_device_keeps_the_language(
    client: FlaskClient, app: Flask, survey: Survey
) -> None:
    from tests.app.citizen_flow import post_page

    client.get(f"{BASE}?lang=tr")
    post_page(client, "familien", 1, {}, aktion="speichern")
    html = client.get(f"{BASE}/gespeichert").get_data(as_text=True)
    match = re.search(r'class="code-box__code"[^>]*><strong>([A-Z0-9-]+)</strong>', html)
    assert match
    other = app.test_client()
    response = other.post(f"{BASE}/weiter", data={"code": match.group(1)})
    assert response.status_code == 303
    page = other.get(response.headers["Location"]).get_data(as_text=True)
    assert html_tag(page) == '<html lang="tr" dir="ltr">'


def test_paper_condition_notes_and_fallback_marks_follow_the_language(
    client: FlaskClient, survey: Survey
) -> None:
    save_translations(db.session, survey, "tr", {"q/beratung/text": "Danışmanlık aldınız mı?"})
    db.session.commit()
    html = client.get(f"{BASE}/druck?lang=tr").get_data(as_text=True)
    assert "“Danışmanlık aldınız mı?”" in html  # the "only if" note names the translated question
    assert "Yalnızca Almanca mevcut" in html


def error_summary(html: str) -> str:
    """Return the error summary's HTML."""
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, html[-2000:]
    return match.group(0)


def test_error_summary_quotes_questions_in_the_page_language_isolated(
    client: FlaskClient, survey: Survey
) -> None:
    save_translations(
        db.session,
        survey,
        "ar",
        {
            "q/kinder/text": "كم عدد الأطفال في أسرتك؟",
            "q/angebote/item/spielplatz": "الملاعب",
        },
    )
    db.session.commit()
    client.get(f"{BASE}?lang=ar")
    bad = post_page(client, "familien", 3, {"q-kinder": "zwei"})
    summary = error_summary(bad.get_data(as_text=True))
    assert "<bdi>كم عدد الأطفال في أسرتك؟</bdi> – " in summary
    assert "Wie viele Kinder" not in summary
    empty = error_summary(post_page(client, "familien", 1, {}).get_data(as_text=True))
    # a matrix item quoted in the message: translated and isolated, not German
    assert "<bdi>الملاعب</bdi>" in empty and "Spielplätze" not in empty
    # an untranslated one: German, marked as such and isolated
    assert '<bdi><span lang="de" dir="ltr">Schulen</span></bdi>' in empty


@pytest.mark.parametrize("lang", ["en", "tr", "de-LS"])
def test_error_summary_has_no_german_question_text_when_translated(
    client: FlaskClient, survey: Survey, lang: str
) -> None:
    save_translations(db.session, survey, lang, {"q/kinder/text": f"Kinder ({lang})?"})
    db.session.commit()
    client.get(f"{BASE}?lang={lang}")
    summary = error_summary(
        post_page(client, "familien", 3, {"q-kinder": "zwei"}).get_data(as_text=True)
    )
    assert f"<bdi>Kinder ({lang})?</bdi> – " in summary
    assert "Wie viele Kinder" not in summary


def test_counts_take_the_right_plural_form_in_every_language(app_with: Any, survey: Survey) -> None:
    # Requests outside an app context of their own app, as in production: Flask-Babel keeps
    # the loaded catalogue on the app context, which an outer one would share.
    client = app_with(DRAFT_TTL_DAYS=1).test_client()
    assert "höchstens 1 Tag auf" in client.get(BASE).get_data(as_text=True)
    english = client.get(page_url("familien", 2) + "?lang=en").get_data(as_text=True)
    assert "Choose at most 2 answers." in english
    themen = next(q for q in survey.questions() if q.key == "themen")
    themen.settings = {**themen.settings, "max_choices": 1}
    db.session.commit()
    page = client.get(page_url("familien", 2)).get_data(as_text=True)
    assert "Choose at most 1 answer." in page  # the language stays English
    two = {"q-beratung": "nein", "q-themen": ["pflege", "finanzen"]}
    error = post_page(client, "familien", 2, two).get_data(as_text=True)
    assert "Please choose at most 1 answer." in error and "1 answers" not in error
    client.get(f"{BASE}?lang=de")
    error = post_page(client, "familien", 2, two).get_data(as_text=True)
    assert "Bitte wählen Sie höchstens 1 Antwort." in error
    saved = post_page(client, "familien", 2, two, aktion="speichern")
    assert saved.status_code == 302
    saved_page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "(1 Tag nach der letzten Änderung)" in saved_page


def test_arabic_counts_use_the_arabic_plural_forms(client: FlaskClient, survey: Survey) -> None:
    html = client.get(f"{BASE}?lang=ar").get_data(as_text=True)
    assert "لمدة 30 يومًا على الأكثر" in html  # 11 to 99: the singular accusative
    assert "حوالي 5 دقائق" in html  # 3 to 10: the plural


def test_a_number_with_its_unit_needs_no_plural(client: FlaskClient, survey: Survey) -> None:
    kinder = next(q for q in survey.questions() if q.key == "kinder")
    kinder.settings = {**kinder.settings, "unit": "Kinder"}
    db.session.commit()
    answer_all(client, "familien")
    post_page(client, "familien", 3, {**PAGES["familien"][2], "q-kinder": "1"})
    html = client.get(f"{BASE}/familien/pruefen").get_data(as_text=True)
    assert "1 (Kinder)" in html and "1 Kinder" not in html
