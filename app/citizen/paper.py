"""The printable paper questionnaire (``/s/<slug>/druck``): one target group's version, or all."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _

from app.citizen import bp
from app.citizen.state import load_survey, survey_groups
from app.i18n_content import localizer_for
from surveys.models import Question
from surveys.responses import sections_for

#: ``?gruppe=`` of the version with every group's questions (staff, or a person unsure).
ALL_GROUPS = "alle"
#: Above this many columns (scale points and "weiß nicht"), the matrix headers are numbers
#: explained in a key above the table: longer labels no longer fit side by side on A4.
MAX_LABELLED_COLUMNS = 6


@bp.get("/<slug>/druck")
def paper(slug: str) -> ResponseReturnValue:
    """Render one target group's questionnaire as blocks with tick boxes.

    Without ``?gruppe=`` the first group's version is shown (each group's version has only its
    own questions; every version together was 16 printed pages), with a chooser of the groups
    and of ``?gruppe=alle``, the version with every question and whom it is for.
    """
    survey = load_survey(slug)
    groups = survey_groups(survey)
    chosen = request.args.get("gruppe", "")
    everything = chosen == ALL_GROUPS
    if not chosen:
        group = groups[0] if groups else None
    else:
        group = next((grp for grp in groups if grp.key == chosen), None)
        if group is None and not everything:
            abort(404)
    if group is not None:
        blocks = [
            {"section": s, "questions": [q for q in s.questions if q.shown_to(group.key)]}
            for s in sections_for(survey, group.key)
        ]
    else:
        blocks = [
            {"section": s, "questions": list(s.questions)} for s in survey.sections if s.questions
        ]
    by_key = {q.key: q for q in survey.questions()}
    notes = {q.key: condition_note(q, by_key) for q in survey.questions()}
    return render_template(
        "citizen/paper.html",
        survey=survey,
        group=group,
        groups=groups,
        all_key=ALL_GROUPS,
        blocks=blocks,
        notes=notes,
        max_labelled=MAX_LABELLED_COLUMNS,
        return_lines=survey.return_address.splitlines(),
        return_by=format_date(survey.return_by, "long") if survey.return_by else "",
    )


def condition_note(question: Question, by_key: dict[str, Question]) -> str:
    """Return "only if ..." for a conditional question on paper (empty without condition)."""
    condition = question.condition
    if not condition:
        return ""
    original = by_key.get(str(condition.get("question", "")))
    if original is None:
        return ""
    trigger = localizer_for(original.survey).question_copy(original, {})  # page language
    op = condition.get("op", "equals")
    if op == "answered":
        return str(_("Nur beantworten, wenn Sie „%(q)s“ beantwortet haben.", q=trigger.text))
    raw = condition.get("value")
    values = raw if isinstance(raw, list) else [raw]
    labels = {o.code: o.label for o in trigger.options}
    yes_no: dict[object, str] = {"ja": _("Ja"), "nein": _("Nein"), True: _("Ja"), False: _("Nein")}
    shown = " / ".join(str(labels.get(str(v)) or yes_no.get(v) or v) for v in values)
    if op == "not_equals":
        note = _(
            "Nur beantworten, wenn Sie bei „%(q)s“ nicht „%(v)s“ gewählt haben.",
            q=trigger.text,
            v=shown,
        )
    else:
        note = _(
            "Nur beantworten, wenn Sie bei „%(q)s“ „%(v)s“ gewählt haben.", q=trigger.text, v=shown
        )
    return str(note)
