"""Arrange a closed survey with a tiny target group, a payload comment and adopted measures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.results.content import clear_cache
from surveys.models import Handlungsfeld, Measure, Survey, SurveyStatus, TargetGroup
from surveys.responses import store_response
from surveys.workshop.agreements import freeze_version, start_agreement
from surveys.workshop.goals import add_goal, add_measure
from surveys.workshop.tracking import UpdateInput, add_status_update
from tests.analysis.builders import build_survey, fill

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil.example","klick")'
COMMENT_PAYLOAD = f"Mehr Bänke bitte {XSS}"
SECRET_NOTE = "Interner Vermerk: nicht öffentlich"
#: Responses per target group: ``akteure`` is below the minimum cell size of 5.
COUNTS = {"familien": 30, "senioren": 12, "akteure": 2}


@dataclass
class Arranged:
    """What the tests need to refer to."""

    survey: Survey
    measure: Measure


def arrange(*, with_agreement: bool = True) -> Arranged:
    """Create and commit the closed survey (and, optionally, a frozen agreement)."""
    clear_cache()
    survey = build_survey(db.session, "befragung-2026")
    fill(db.session, survey, COUNTS)
    familien = db.session.scalar(select(TargetGroup).where(TargetGroup.key == "familien"))
    assert familien is not None
    store_response(
        db.session, survey, familien, {"kommentar_wohnen": COMMENT_PAYLOAD}, today=date(2026, 5, 2)
    )
    survey.status = SurveyStatus.CLOSED
    db.session.commit()
    measure = None
    if with_agreement:
        agreement = start_agreement(db.session, survey, date(2026, 7, 1), title="Ziele 2026")
        field = db.session.scalar(select(Handlungsfeld).where(Handlungsfeld.key == "wohnumfeld"))
        assert field is not None
        goal = add_goal(db.session, agreement, field, {"title": f"Mehr Grün {XSS}"})
        measure = add_measure(
            db.session,
            goal,
            {
                "title": f"{FORMULA} {XSS}",
                "description": XSS,
                "responsible_unit": "Fachdienst Stadtgrün",
                "ends_on": "31.12.2028",
                "priority": "hoch",
                "findings": "zufr_wohnen/spielplaetze",
                "comment_refs": "",
            },
        )
        db.session.flush()
        freeze_version(db.session, agreement.versions[0], "15.06.2026", "DS 26/0815", "test")
        public = UpdateInput(date(2026, 9, 1), _status("begonnen"), f"Erste Bänke {XSS}", "", True)
        hidden = UpdateInput(date(2026, 10, 1), _status("umgesetzt"), SECRET_NOTE, "", False)
        add_status_update(db.session, measure, public, "test")
        add_status_update(db.session, measure, hidden, "test")
        db.session.commit()
    return Arranged(survey, measure)  # type: ignore[arg-type]


def _status(value: str):  # type: ignore[no-untyped-def]
    from surveys.models import MeasureStatus

    return MeasureStatus(value)
