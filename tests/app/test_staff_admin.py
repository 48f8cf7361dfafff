"""Administration pages: accounts and the audit log; the question library; CLI commands."""

from __future__ import annotations

from flask import Flask

from app.extensions import db
from surveys.models import AuditEvent, LibraryQuestion, Question, Role, User
from tests.app.staff_helpers import logged_in
from tests.app.test_staff_designer import add_section, build_open_survey, create_survey


def test_admin_creates_disables_and_deletes_accounts(app: Flask) -> None:
    client = logged_in(app, Role.ADMIN)
    weak = client.post(
        "/verwaltung/benutzer",
        data={"email": "neu@example.org", "role": "staff", "password": "neu@example.org"},
    )
    assert weak.status_code == 422
    page = weak.get_data(as_text=True)
    assert "nicht der E-Mail-Adresse entsprechen" in page
    assert 'value="neu@example.org"' in page
    ok = client.post(
        "/verwaltung/benutzer",
        data={
            "email": "neu@example.org",
            "role": "moderator",
            "password": "Lange genug und selten 42",
        },
    )
    assert ok.status_code == 302
    user = db.session.query(User).filter_by(email="neu@example.org").one()
    assert user.role == Role.MODERATOR and user.password_hash.startswith("$argon2id$")
    client.post(f"/verwaltung/benutzer/{user.id}/deaktivieren")
    db.session.refresh(user)
    assert user.active is False
    client.post(f"/verwaltung/benutzer/{user.id}/loeschen")
    assert db.session.query(User).filter_by(email="neu@example.org").count() == 0
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions[-3:] == ["user.create", "user.disable", "user.delete"]


def test_admin_cannot_disable_or_delete_self(app: Flask) -> None:
    client = logged_in(app, Role.ADMIN)
    me = db.session.query(User).one()
    response = client.post(f"/verwaltung/benutzer/{me.id}/loeschen", follow_redirects=True)
    assert "eigenes Konto nicht löschen" in response.get_data(as_text=True)
    client.post(f"/verwaltung/benutzer/{me.id}/deaktivieren")
    db.session.refresh(me)
    assert me.active is True


def test_audit_log_lists_and_filters(app: Flask) -> None:
    client = logged_in(app, Role.ADMIN)
    create_survey(client)
    create_survey(client, slug="zweite", title="Zweite")
    page = client.get("/verwaltung/protokoll").get_data(as_text=True)
    assert "survey.create" in page and "admin@example.org" in page
    assert "Umfrage angelegt" in page  # a German label beside the code
    assert '<option value="responses.export">Antworten exportiert</option>' in page
    filtered = client.get("/verwaltung/protokoll", query_string={"action": "user.create"}).get_data(
        as_text=True
    )
    assert "survey.create" not in filtered.split("<tbody>")[1]


def test_library_add_browse_and_insert(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    survey_id = build_open_survey(client)
    matrix = db.session.query(Question).filter_by(key="zufriedenheit").one()
    client.post(f"/verwaltung/umfragen/{survey_id}/fragen/{matrix.id}/in-bibliothek")
    entry = db.session.query(LibraryQuestion).one()
    assert entry.key == "zufriedenheit" and entry.handlungsfeld is not None
    assert entry.definition["condition"] is None
    page = client.get("/verwaltung/bibliothek", query_string={"feld": "bildung"}).get_data(
        as_text=True
    )
    assert "Wie zufrieden sind Sie?" in page
    other = create_survey(client, slug="neu", title="Neu")
    section_id = add_section(client, other)
    response = client.post(
        f"/verwaltung/bibliothek/{entry.id}/einfuegen", data={"section_id": section_id}
    )
    assert response.status_code == 302
    inserted = db.session.query(Question).filter_by(survey_id=other, key="zufriedenheit").one()
    assert [i.key for i in inserted.items] == ["plaetze", "zeiten"]
    again = client.post(
        f"/verwaltung/bibliothek/{entry.id}/einfuegen",
        data={"section_id": section_id},
        follow_redirects=True,
    )
    assert "schon eine Frage mit dem Schlüssel" in again.get_data(as_text=True)


def test_cli_users_create_and_demo_accounts(app: Flask) -> None:
    runner = app.test_cli_runner()
    weak = runner.invoke(
        args=["users", "create", "--email", "a@example.org", "--role", "staff"],
        input="kurz\nkurz\n",
    )
    assert weak.exit_code == 1 and "mindestens 12 Zeichen" in weak.output
    ok = runner.invoke(
        args=["users", "create", "--email", "a@example.org", "--role", "admin"],
        input="Ein langes Passwort 99\nEin langes Passwort 99\n",
    )
    assert ok.exit_code == 0, ok.output
    skipped = runner.invoke(args=["users", "demo-accounts"])
    assert "keine Demo-Konten" in skipped.output
    db.session.query(AuditEvent).delete()
    db.session.query(User).delete()
    db.session.commit()
    created = runner.invoke(args=["users", "demo-accounts"])
    assert "admin@example.org" in created.output and "moderator@example.org" in created.output
    assert db.session.query(User).count() == 3


def test_cli_library_import_from_surveys(app: Flask) -> None:
    client = logged_in(app, Role.STAFF)
    build_open_survey(client)
    result = app.test_cli_runner().invoke(args=["library", "import-from-surveys"])
    assert "3 Fragen" in result.output
    again = app.test_cli_runner().invoke(args=["library", "import-from-surveys"])
    assert "0 Fragen" in again.output


def test_every_audited_action_has_a_german_label() -> None:
    from surveys.audit import ACTION_LABELS, Action

    assert set(ACTION_LABELS) == set(Action)
    assert all(label and "." not in label for label in ACTION_LABELS.values())
