"""The printable paper questionnaire (``/s/<slug>/druck``): one target group's version, or all."""

from __future__ import annotations

from itertools import count
from typing import Any

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _

from app.citizen import bp
from app.citizen.state import load_survey, survey_groups
from app.i18n_content import localizer_for
from surveys.conditions import NUMBER_OPERATORS, condition_match, condition_rules
from surveys.models import Question
from surveys.paper_entry import MAX_LABELLED_COLUMNS, sheet_layout

#: ``?gruppe=`` of the version with every group's questions (staff, or a person unsure).
ALL_GROUPS = "alle"


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
        # Numbered as the staff's entry form numbers them (surveys.paper_entry.sheet_layout).
        blocks = [
            {"section": b.section, "questions": b.questions}
            for b in sheet_layout(survey, group.key)
        ]
    else:
        numbers = count(1)
        blocks = [
            {"section": s, "questions": [(next(numbers), q) for q in s.questions]}
            for s in survey.sections
            if s.questions
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
    """Return "only if ..." for a conditional question on paper (empty without condition).

    One rule reads as a sentence; several are listed, joined by "und" or "oder".
    """
    rules = condition_rules(question.condition)
    clauses = [c for c in (_rule_clause(rule, by_key) for rule in rules) if c]
    if not clauses:
        return ""
    if len(rules) == 1:
        return str(_("Nur beantworten, wenn %(rule)s.", rule=clauses[0]))
    joiner = _("oder") if condition_match(question.condition) == "any" else _("und")
    return str(_("Nur beantworten, wenn %(rule)s.", rule=f" {joiner} ".join(clauses)))


def _rule_clause(rule: dict[str, Any], by_key: dict[str, Question]) -> str:
    """One rule as a clause: Sie bei „Frage“ „Antwort“ gewählt haben."""
    original = by_key.get(str(rule.get("question", "")))
    if original is None:
        return ""
    trigger = localizer_for(original.survey).question_copy(original, {})  # page language
    op = rule.get("op", "equals")
    if op == "answered":
        return str(_("Sie „%(q)s“ beantwortet haben", q=trigger.text))
    raw = rule.get("value")
    values = raw if isinstance(raw, list) else [raw]
    if op in NUMBER_OPERATORS:
        words = {
            "gt": _("mehr als %(v)s"),
            "ge": _("mindestens %(v)s"),
            "lt": _("weniger als %(v)s"),
            "le": _("höchstens %(v)s"),
        }
        shown = str(words[op]) % {"v": str(values[0]).replace(".", ",")}
        return str(_("Sie bei „%(q)s“ %(v)s angegeben haben", q=trigger.text, v=shown))
    labels = {o.code: o.label for o in trigger.options}
    yes_no: dict[object, str] = {"ja": _("Ja"), "nein": _("Nein"), True: _("Ja"), False: _("Nein")}
    shown = " / ".join(str(labels.get(str(v)) or yes_no.get(v) or v) for v in values)
    if op == "not_equals":
        return str(_("Sie bei „%(q)s“ nicht „%(v)s“ gewählt haben", q=trigger.text, v=shown))
    return str(_("Sie bei „%(q)s“ „%(v)s“ gewählt haben", q=trigger.text, v=shown))
