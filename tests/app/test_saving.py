"""The save helpers of the views: commit and go back, refusals, field errors."""

from __future__ import annotations

from flask import Flask, get_flashed_messages
from sqlalchemy import select

from app.extensions import db
from app.saving import commit_and_return
from app.workshop.helpers import save_or_errors
from surveys.errors import Conflict, FieldError, ValidationError
from surveys.models import Survey

BACK = "/workshop/umfrage/feld/bildung"


def _survey_titles() -> list[str]:
    db.session.rollback()  # drop anything not committed
    return list(db.session.scalars(select(Survey.title)))


def _add(title: str) -> None:
    db.session.add(Survey(slug=title.lower(), title=title))
    db.session.flush()


def test_commit_and_return_commits_flashes_and_goes_back(app: Flask) -> None:
    with app.test_request_context():
        response = commit_and_return(lambda: _add("Gespeichert"), "Erledigt.", BACK)
        assert response.status_code == 302 and response.location == BACK
        assert get_flashed_messages(with_categories=True) == [("success", "Erledigt.")]
        assert _survey_titles() == ["Gespeichert"]


def test_commit_and_return_shows_a_refusal_without_committing(app: Flask) -> None:
    def refused() -> None:
        _add("Abgelehnt")
        raise Conflict("Die Version %(number)s ist beschlossen.", number=2)

    with app.test_request_context():
        response = commit_and_return(refused, "Erledigt.", BACK)
        assert response.status_code == 302 and response.location == BACK
        assert get_flashed_messages(with_categories=True) == [
            ("error", "Die Version 2 ist beschlossen.")
        ]
        assert _survey_titles() == []


def test_commit_and_return_can_send_a_refusal_elsewhere(app: Flask) -> None:
    def refused() -> None:
        raise Conflict("Nicht möglich.")

    with app.test_request_context():
        response = commit_and_return(refused, "Erledigt.", BACK, "/anderswo")
        assert response.location == "/anderswo"
        assert get_flashed_messages(with_categories=True) == [("error", "Nicht möglich.")]
        done = commit_and_return(lambda: None, "Erledigt.", BACK, "/anderswo")
        assert done.location == BACK


def test_save_or_errors_returns_the_field_errors_and_rolls_back(app: Flask) -> None:
    def invalid() -> None:
        _add("Ungültig")
        raise ValidationError(
            [
                FieldError("title", "Bitte füllen Sie dieses Feld aus."),
                FieldError("title", "Zweite Meldung zum selben Feld."),
                FieldError("ends_on", "Das Ende liegt vor dem Beginn."),
            ]
        )

    with app.test_request_context():
        outcome = save_or_errors(invalid, "Erledigt.", BACK)
        assert outcome == {
            "title": "Bitte füllen Sie dieses Feld aus.",
            "ends_on": "Das Ende liegt vor dem Beginn.",
        }
        assert get_flashed_messages() == []
        assert list(db.session.new) == []
        assert _survey_titles() == []


def test_save_or_errors_saves_like_commit_and_return(app: Flask) -> None:
    with app.test_request_context():
        outcome = save_or_errors(lambda: _add("Gut"), "Gespeichert.", BACK)
        assert not isinstance(outcome, dict)
        assert outcome.status_code == 302 and outcome.location == BACK
        assert get_flashed_messages() == ["Gespeichert."]
        assert _survey_titles() == ["Gut"]
