"""Status updates, yearly progress and CSV import/export of status updates."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from demo.workshop import seed_workshop_demo
from surveys.errors import Conflict, ValidationError
from surveys.models import Handlungsfeld, MeasureStatus, Survey
from surveys.workshop.agreements import freeze_version, new_version
from surveys.workshop.csv_io import (
    CsvImportError,
    decode,
    export_status_csv,
    import_status_csv,
    neutralise,
)
from surveys.workshop.tracking import (
    add_status_update,
    parse_update,
    public_updates,
    status_on,
    yearly_progress,
)
from tests.surveys.workshop_helpers import agreement_with_measures

TODAY = date(2028, 6, 1)


def update(
    day: str, status: str, note: str = "", value: str = "", public: str = ""
) -> dict[str, str]:
    return {
        "recorded_on": day,
        "status": status,
        "note": note,
        "indicator_value": value,
        "public": public,
    }


def test_status_updates_make_a_history(session: Session) -> None:
    agreement = agreement_with_measures(session, count=2)
    measure = agreement.current.goals[0].measures[0]
    assert measure.status == MeasureStatus.PLANNED
    add_status_update(
        session, measure, parse_update(update("01.03.2028", "umgesetzt", value="14"), TODAY), "a"
    )
    add_status_update(
        session, measure, parse_update(update("2027-09-01", "Begonnen", public="on"), TODAY), "a"
    )
    assert [u.status for u in measure.updates] == [MeasureStatus.STARTED, MeasureStatus.DONE]
    assert measure.status == MeasureStatus.DONE
    assert status_on(measure, date(2027, 12, 31)) == MeasureStatus.STARTED
    assert [u.public for u in measure.updates] == [True, False]
    assert [u.status for _, u in public_updates(agreement)] == [MeasureStatus.STARTED]


def test_update_validation(session: Session) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_update(update("", "fertig", value="x" * 201), TODAY)
    assert {e.field for e in exc.value.errors} == {"recorded_on", "status", "indicator_value"}
    with pytest.raises(ValidationError) as exc:
        parse_update(update("02.06.2028", "zurueckgestellt"), TODAY)
    fields = {e.field: e.render() for e in exc.value.errors}
    assert fields["recorded_on"] == "Das Datum darf nicht in der Zukunft liegen."
    assert "begründen" in fields["note"]


def test_updates_only_on_the_current_version(session: Session) -> None:
    agreement = agreement_with_measures(session, count=1)
    v1 = agreement.current
    freeze_version(session, v1, "20.11.2026", "DS 1", "x")
    old = v1.goals[0].measures[0]
    add_status_update(session, old, parse_update(update("01.02.2027", "begonnen"), TODAY), "x")
    new_version(session, agreement)
    copied = agreement.current.goals[0].measures[0]
    assert copied.status == MeasureStatus.STARTED  # history travels with the new version
    with pytest.raises(Conflict):
        add_status_update(session, old, parse_update(update("01.03.2027", "umgesetzt"), TODAY), "x")


def test_yearly_progress_counts_status_at_each_year_end(session: Session) -> None:
    agreement = agreement_with_measures(session, count=3)
    first, second, _ = agreement.current.goals[0].measures
    add_status_update(session, first, parse_update(update("01.05.2027", "begonnen"), TODAY), "x")
    add_status_update(session, first, parse_update(update("01.05.2028", "umgesetzt"), TODAY), "x")
    add_status_update(
        session,
        second,
        parse_update(update("01.09.2027", "zurückgestellt", note="Geld"), TODAY),
        "x",
    )
    fields = list(session.scalars(select(Handlungsfeld).order_by(Handlungsfeld.number)))
    years = yearly_progress(agreement, fields, TODAY)
    assert [y.year for y in years] == [2027, 2028]
    y2027, y2028 = years
    assert y2027.total[MeasureStatus.STARTED] == 1 and y2027.total[MeasureStatus.POSTPONED] == 1
    assert y2027.total[MeasureStatus.PLANNED] == 1
    assert y2028.total[MeasureStatus.DONE] == 1
    assert y2028.by_field["bildung"][MeasureStatus.DONE] == 1 and "steuerung" not in y2028.by_field
    assert len(y2027.updates) == 2 and len(y2028.updates) == 1


def test_csv_round_trip_neutralises_formulas_and_skips_known_rows(session: Session) -> None:
    agreement = agreement_with_measures(session, count=2)
    measure = agreement.current.goals[0].measures[0]
    measure.title = '=HYPERLINK("http://evil")'
    add_status_update(
        session,
        measure,
        parse_update(
            update("01.05.2027", "begonnen", note="-1 Stelle", value="+5", public="1"), TODAY
        ),
        "x",
    )
    text = export_status_csv(agreement)
    lines = text.splitlines()
    assert lines[0] == "massnahme;handlungsfeld;titel;datum;status;notiz;indikatorwert;oeffentlich"
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1] == [
        "3.1.1",
        "Bildung und Erziehung",
        '\'=HYPERLINK("http://evil")',
        "01.05.2027",
        "begonnen",
        "'-1 Stelle",
        "'+5",
        "ja",
    ]
    assert lines[2].startswith("3.1.2;") and lines[2].endswith(";;;;;")  # template row
    result = import_status_csv(session, agreement, text, "x", TODAY)
    assert (result.created, result.skipped) == (0, 1)
    extended = text + "3.1.2;;;2028-02-01;umgesetzt;fertig;'=1+1;nein\r\n"
    result = import_status_csv(session, agreement, extended, "x", TODAY)
    assert (result.created, result.skipped) == (1, 1)
    second = agreement.current.goals[0].measures[1]
    assert second.status == MeasureStatus.DONE and second.updates[0].indicator_value == "=1+1"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)" and neutralise("ok") == "ok"


def test_csv_import_reports_bad_rows_with_line_numbers_and_imports_nothing(
    session: Session,
) -> None:
    agreement = agreement_with_measures(session, count=1)
    text = (
        "Massnahme,Datum,Status,Notiz\n"
        "3.1.1,01.02.2027,begonnen,ok\n"
        "9.9.9,01.02.2027,begonnen,\n"
        "3.1.1,32.01.2027,fertig,\n"
        "3.1.1,01.03.2027,nicht umgesetzt,\n"
    )
    with pytest.raises(CsvImportError) as exc:
        import_status_csv(session, agreement, text, "x", TODAY)
    found = [(e.line, e.column) for e in exc.value.errors]
    assert found == [(3, "massnahme"), (4, "datum"), (4, "status"), (5, "notiz")]
    assert agreement.current.goals[0].measures[0].updates == []

    with pytest.raises(CsvImportError) as exc:
        import_status_csv(session, agreement, "massnahme;notiz\n3.1.1;x\n", "x", TODAY)
    assert [(e.line, e.params) for e in exc.value.errors] == [
        (1, {"column": "datum"}),
        (1, {"column": "status"}),
    ]
    assert decode("a;ü".encode("cp1252")) == "a;ü"
    assert decode("\ufeffa;ü".encode()) == "a;ü"


def test_demo_seeds_a_frozen_2019_agreement_with_history(session: Session) -> None:
    old = Survey(slug="bestandsanalyse-2019", title="Bestandsanalyse 2019")
    new = Survey(slug="bilanz-2026", title="Bilanz 2026")
    session.add_all([old, new])
    session.flush()
    agreement = seed_workshop_demo(session, old, new)
    version = agreement.current
    assert version.is_frozen and version.paper_number and version.resolution_date.year == 2019
    fields = {g.handlungsfeld.key for g in version.goals}
    assert len(fields) == 6
    statuses = {m.status for g in version.goals for m in g.measures}
    assert {MeasureStatus.DONE, MeasureStatus.STARTED, MeasureStatus.POSTPONED} <= statuses
    years = {u.recorded_on.year for g in version.goals for m in g.measures for u in m.updates}
    assert min(years) == 2020 and max(years) >= 2025
    assert seed_workshop_demo(session, old, new) is agreement  # idempotent
    from surveys.workshop.agreements import agreement_for

    draft = agreement_for(session, new)
    assert draft is not None and not draft.current.is_frozen
    assert sum(len(g.measures) for g in draft.current.goals) >= 6


def test_previous_measures_come_from_the_baseline_agreement(session: Session) -> None:
    from surveys.workshop.previous import previous_measures
    from tests.surveys.workshop_helpers import field

    old = Survey(slug="bestandsanalyse-2019", title="Bestandsanalyse 2019")
    new = Survey(slug="bilanz-2026", title="Bilanz 2026", baseline=old)
    session.add_all([old, new])
    session.flush()
    seed_workshop_demo(session, old, new)
    rows = previous_measures(session, new, field(session, "arbeitswelt"))
    assert [r.code for r in rows] == ["2.1.1", "2.1.2"]
    network, kita = rows
    assert network.status == MeasureStatus.DONE and network.last_value == "27"
    assert kita.status == MeasureStatus.STARTED and kita.last_update == date(2025, 8, 1)
    assert len(previous_measures(session, new)) == 12
    assert previous_measures(session, old) == []
