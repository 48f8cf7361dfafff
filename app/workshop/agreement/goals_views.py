"""Moderator pages: survey list, start an agreement, goals and measures per Handlungsfeld."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from app.extensions import db
from app.saving import commit_and_return
from app.workshop import bp
from app.workshop.dashboard.data import newest_with_responses, visible_comments, warm_up
from app.workshop.helpers import (
    load_agreement,
    load_field,
    load_survey,
    moderator_required,
    save_or_errors,
)
from surveys.errors import NotFound
from surveys.models import FindingKind, Goal, GoalAgreement, Measure, MeasureStatus, Priority
from surveys.workshop.agreements import agreement_for, start_agreement, version_by_number
from surveys.workshop.goals import (
    add_goal,
    add_measure,
    comment_references,
    delete_goal,
    delete_measure,
    goal_in,
    measure_in,
    update_goal,
    update_measure,
)
from surveys.workshop.inputs import parse_date
from surveys.workshop.previous import previous_measures
from surveys.workshop.queries import (
    fields_in_order,
    finding_candidates,
    finding_texts,
    surveys_with_agreements,
    votes_of_field,
)

Page = str | Response | tuple[str, int]


@bp.get("/")
@moderator_required
def index() -> str:
    """List the surveys and the state of their goal agreements (and warm up the dashboards)."""
    warm_up(newest_with_responses())
    return render_template("workshop/index.html", rows=surveys_with_agreements(db.session))


@bp.route("/<slug>/start", methods=["GET", "POST"])
@moderator_required
def start(slug: str) -> Page:
    """Start the goal agreement of a survey with the first day of its three-year period."""
    survey = load_survey(slug)
    if agreement_for(db.session, survey) is not None:
        return redirect(url_for("workshop.agreement", slug=slug))
    form = request.form.to_dict()
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            period_start = parse_date(form.get("period_start", ""))
        except ValueError:
            period_start = None
        if period_start is None:
            errors["period_start"] = _("Bitte geben Sie ein Datum im Format TT.MM.JJJJ ein.")
        else:
            start_agreement(db.session, survey, period_start, form.get("title", "").strip())
            db.session.commit()
            flash(_("Die Zielvereinbarung wurde angelegt."), "success")
            return redirect(url_for("workshop.agreement", slug=slug))
    default = {"period_start": f"{date.today().year + 1}-01-01"}
    return render_template(
        "workshop/start.html", survey=survey, form=form or default, errors=errors
    ), (422 if errors else 200)


@bp.get("/<slug>/")
@moderator_required
def agreement(slug: str) -> str:
    """Overview of the agreement: version, and goals and measures per field."""
    survey, agreement = load_agreement(slug)
    fields = fields_in_order(db.session)
    counts = {
        f.id: (
            sum(1 for g in agreement.current.goals if g.handlungsfeld_id == f.id),
            sum(len(g.measures) for g in agreement.current.goals if g.handlungsfeld_id == f.id),
        )
        for f in fields
    }
    return render_template(
        "workshop/agreement.html",
        survey=survey,
        agreement=agreement,
        version=agreement.current,
        fields=fields,
        counts=counts,
    )


@bp.get("/<slug>/feld/<key>")
@moderator_required
def field_page(slug: str, key: str) -> str:
    """Goals and measures of one Handlungsfeld (newest version, or ``?version=n``)."""
    survey, agreement = load_agreement(slug)
    field = load_field(key)
    version = agreement.current
    if request.args.get("version", "").isdigit():
        version = version_by_number(agreement, int(request.args["version"])) or version
    goals = [g for g in version.goals if g.handlungsfeld_id == field.id]
    measures = [m for g in goals for m in g.measures]
    texts = finding_texts(db.session, survey.id, measures)
    references = {k: ref for k, (ref, _c) in comment_references(db.session, measures).items()}
    return render_template(
        "workshop/field.html",
        survey=survey,
        agreement=agreement,
        version=version,
        field=field,
        fields=fields_in_order(db.session),
        goals=goals,
        finding_texts=texts,
        finding_refs=references,
        votes=votes_of_field(db.session, version.id, field.id),
        previous=previous_measures(db.session, survey, field),
        form={},
        errors={},
        statuses=list(MeasureStatus),
    )


@bp.post("/<slug>/feld/<key>/ziele")
@moderator_required
def goal_create(slug: str, key: str) -> Page:
    """Add a goal to a field; on errors show the field page again with the input kept."""
    survey, agreement = load_agreement(slug)
    field = load_field(key)
    form = request.form.to_dict()
    outcome = save_or_errors(
        lambda: add_goal(db.session, agreement, field, form),
        _("Das Ziel wurde gespeichert."),
        url_for("workshop.field_page", slug=slug, key=key),
    )
    if not isinstance(outcome, dict):
        return outcome
    goals = [g for g in agreement.current.goals if g.handlungsfeld_id == field.id]
    return render_template(
        "workshop/field.html",
        survey=survey,
        agreement=agreement,
        version=agreement.current,
        field=field,
        fields=fields_in_order(db.session),
        goals=goals,
        finding_texts={},
        finding_refs={},
        votes=[],
        previous=[],
        form=form,
        errors=outcome,
        statuses=list(MeasureStatus),
    ), 422


@bp.route("/<slug>/ziele/<int:goal_id>", methods=["GET", "POST"])
@moderator_required
def goal_edit(slug: str, goal_id: int) -> Page:
    """Edit a goal's title and description."""
    survey, agreement = load_agreement(slug)
    goal = _goal(agreement, goal_id)
    back = url_for("workshop.field_page", slug=slug, key=goal.handlungsfeld.key)
    form = request.form.to_dict() or {"title": goal.title, "description": goal.description}
    errors: dict[str, str] = {}
    if request.method == "POST":
        outcome = save_or_errors(
            lambda: update_goal(db.session, goal, form), _("Das Ziel wurde gespeichert."), back
        )
        if not isinstance(outcome, dict):
            return outcome
        errors = outcome
    return render_template(
        "workshop/goal_form.html", survey=survey, goal=goal, form=form, errors=errors, back=back
    ), (422 if errors else 200)


@bp.route("/<slug>/ziele/<int:goal_id>/loeschen", methods=["GET", "POST"])
@moderator_required
def goal_delete(slug: str, goal_id: int) -> Page:
    """Ask, then delete a goal with its measures from the draft."""
    survey, agreement = load_agreement(slug)
    goal = _goal(agreement, goal_id)
    key = goal.handlungsfeld.key
    if request.method == "GET":
        return render_template(
            "workshop/confirm_delete.html",
            survey=survey,
            agreement=agreement,
            what=_("Ziel %(code)s: %(title)s", code=goal.code, title=goal.title),
            extra=ngettext(
                "Die Maßnahme dieses Ziels wird mit gelöscht.",
                "Alle %(num)s Maßnahmen dieses Ziels werden mit gelöscht.",
                len(goal.measures),
            )
            if goal.measures
            else "",
            back=url_for("workshop.field_page", slug=slug, key=key),
        )
    return commit_and_return(
        lambda: delete_goal(db.session, goal),
        _("Das Ziel wurde gelöscht."),
        url_for("workshop.field_page", slug=slug, key=key),
    )


@bp.route("/<slug>/ziele/<int:goal_id>/massnahmen/neu", methods=["GET", "POST"])
@bp.route("/<slug>/massnahmen/<int:measure_id>", methods=["GET", "POST"])
@moderator_required
def measure_form(slug: str, goal_id: int | None = None, measure_id: int | None = None) -> Page:
    """Record a new measure of a goal, or edit one; errors keep everything entered."""
    survey, agreement = load_agreement(slug)
    measure = _measure(agreement, measure_id) if measure_id is not None else None
    goal = measure.goal if measure is not None else _goal(agreement, goal_id or 0)
    back = url_for("workshop.field_page", slug=slug, key=goal.handlungsfeld.key)
    errors: dict[str, str] = {}
    form = request.form.to_dict() if request.method == "POST" else _measure_values(measure)
    if request.method == "POST":
        comments = visible_comments(survey)
        # ticked findings of this field plus keys typed in for other fields
        form["findings"] = "\n".join(
            [*request.form.getlist("finding"), form.pop("findings_other", "")]
        ).strip()
        outcome = save_or_errors(
            lambda: (
                add_measure(db.session, goal, form, comments)
                if measure is None
                else update_measure(db.session, measure, form, comments)
            ),
            _("Die Maßnahme wurde gespeichert."),
            back,
        )
        if not isinstance(outcome, dict):
            return outcome
        errors = outcome
    return render_template(
        "workshop/measure_form.html",
        survey=survey,
        agreement=agreement,
        goal=goal,
        measure=measure,
        form=form,
        errors=errors,
        priorities=list(Priority),
        candidates=finding_candidates(db.session, survey.id, goal.handlungsfeld_id),
        back=back,
    ), (422 if errors else 200)


@bp.route("/<slug>/massnahmen/<int:measure_id>/loeschen", methods=["GET", "POST"])
@moderator_required
def measure_delete(slug: str, measure_id: int) -> Page:
    """Ask, then delete a measure from the draft."""
    survey, agreement = load_agreement(slug)
    measure = _measure(agreement, measure_id)
    key = measure.goal.handlungsfeld.key
    if request.method == "GET":
        return render_template(
            "workshop/confirm_delete.html",
            survey=survey,
            agreement=agreement,
            what=_("Maßnahme %(code)s: %(title)s", code=measure.code, title=measure.title),
            extra="",
            back=url_for("workshop.field_page", slug=slug, key=key),
        )
    return commit_and_return(
        lambda: delete_measure(db.session, measure),
        _("Die Maßnahme wurde gelöscht."),
        url_for("workshop.field_page", slug=slug, key=key),
    )


def _goal(agreement: GoalAgreement, goal_id: int) -> Goal:
    try:
        return goal_in(agreement, goal_id)
    except NotFound:
        abort(404)


def _measure(agreement: GoalAgreement, measure_id: int) -> Measure:
    try:
        return measure_in(agreement, measure_id)
    except NotFound:
        abort(404)


def _measure_values(measure: Measure | None) -> dict[str, str]:
    """Form values of an existing measure (empty dict for a new one)."""
    if measure is None:
        return {"priority": Priority.MEDIUM.value}
    return {
        "title": measure.title,
        "description": measure.description,
        "responsible_unit": measure.responsible_unit,
        "partners": measure.partners,
        "starts_on": measure.starts_on.isoformat() if measure.starts_on else "",
        "ends_on": measure.ends_on.isoformat() if measure.ends_on else "",
        "indicator": measure.indicator,
        "target_value": measure.target_value,
        "estimated_cost": str(measure.estimated_cost) if measure.estimated_cost is not None else "",
        "priority": measure.priority.value,
        "findings": "\n".join(f.label for f in measure.findings if f.kind == FindingKind.ITEM),
        "comment_refs": " ".join(
            sorted({ref for ref, _c in comment_references(db.session, [measure]).values()})
        ),
    }
