"""The printable paper questionnaire (``/s/<slug>/druck``), optionally for one target group."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.citizen import bp
from app.citizen.state import load_survey, survey_groups
from app.i18n_content import localizer_for
from surveys.models import Question
from surveys.responses import sections_for


@bp.get("/<slug>/druck")
def paper(slug: str) -> ResponseReturnValue:
    """Render every section as a block with tick boxes; ``?gruppe=`` limits it to one group."""
    survey = load_survey(slug)
    groups = survey_groups(survey)
    chosen = request.args.get("gruppe", "")
    group = next((grp for grp in groups if grp.key == chosen), None)
    if chosen and group is None:
        abort(404)
    if group is not None:
        sections = sections_for(survey, group.key)
        blocks = [
            {"section": s, "questions": [q for q in s.questions if q.shown_to(group.key)]}
            for s in sections
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
        blocks=blocks,
        notes=notes,
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
