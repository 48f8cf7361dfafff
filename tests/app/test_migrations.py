"""Migrations: upgrade from empty, downgrade to base, and agreement with the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from app.extensions import db
from surveys.models import HANDLUNGSFELDER, Base, Handlungsfeld, TargetGroup
from tests.app_fixtures import make_app
from tests.conftest import DatabaseFactory


def test_upgrade_and_downgrade_on_an_empty_database(fresh_database: DatabaseFactory) -> None:
    app = make_app(fresh_database("migrations"))
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        fields = db.session.scalars(select(Handlungsfeld).order_by(Handlungsfeld.number)).all()
        assert [(f.key, f.number, f.title) for f in fields] == list(HANDLUNGSFELDER)
        assert {g.key for g in db.session.scalars(select(TargetGroup))} == {
            "familien",
            "senioren",
            "akteure",
        }
        db.session.remove()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()  # and up again
        assert "survey" in inspect(db.engine).get_table_names()
        db.session.remove()
        db.engine.dispose()


def test_models_and_migrations_agree(app) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models differ from migrations: {diff}"
