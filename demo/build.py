"""Turn the demo's survey specs into ORM objects (survey, sections, questions, options, items)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime

from demo.spec import ALL_GROUPS, SectionSpec, SurveySpec
from surveys.conditions import normalize_condition
from surveys.db import SessionLike
from surveys.models import (
    Handlungsfeld,
    Item,
    Option,
    Question,
    Section,
    Survey,
    SurveyStatus,
    TargetGroup,
)


def build_survey(
    session: SessionLike,
    spec: SurveySpec,
    sections: Sequence[SectionSpec],
    fields: Mapping[str, Handlungsfeld],
    groups: Mapping[str, TargetGroup],
    baseline: Survey | None = None,
) -> Survey:
    """Create the survey of ``spec.year`` with the sections and questions asked that year.

    Flushes (so every object has its id) but does not commit. The survey is closed when
    its end date lies in the past of the demo world (the 2019 baseline), open otherwise.
    """
    opens_on = date.fromisoformat(spec.opens_on)
    closes_on = date.fromisoformat(spec.closes_on) if spec.closes_on else None
    survey = Survey(
        slug=spec.slug,
        title=spec.title,
        intro=spec.intro,
        intro_easy=spec.intro_easy,
        privacy_notice=spec.privacy_notice,
        purpose=spec.purpose,
        next_steps=spec.next_steps,
        return_address=spec.return_address,
        return_by=date.fromisoformat(spec.return_by) if spec.return_by else None,
        status=SurveyStatus.CLOSED if closes_on else SurveyStatus.OPEN,
        opens_on=opens_on,
        closes_on=closes_on,
        baseline=baseline,
        # Deterministic metadata: "created" four weeks before the survey opened.
        created_at=datetime(opens_on.year, opens_on.month, 1, 9, tzinfo=UTC),
    )
    survey.target_groups = [groups[key] for key in ALL_GROUPS]
    session.add(survey)
    pages: list[tuple[Section, SectionSpec]] = []
    for section_spec in sections:
        if not section_spec.questions_for(spec.year):
            continue
        section = Section(
            title=section_spec.title,
            description=section_spec.description,
            handlungsfeld=fields[section_spec.field] if section_spec.field else None,
        )
        survey.sections.append(section)
        pages.append((section, section_spec))
    session.flush()  # the questions need the survey id (denormalised for unique keys)
    for section, section_spec in pages:
        for question_spec in section_spec.questions_for(spec.year):
            question = Question(
                survey_id=survey.id,
                key=question_spec.key,
                type=question_spec.type,
                role=question_spec.role,
                text=question_spec.text,
                help_text=question_spec.help_text,
                required=question_spec.required,
                reversed=question_spec.reversed,
                breakdown=question_spec.breakdown,
                page_break=question_spec.page_break,
                settings=dict(question_spec.settings),
                condition=normalize_condition(question_spec.condition),
            )
            question.target_groups = [groups[key] for key in question_spec.groups]
            question.options = [Option(code=o.code, label=o.label) for o in question_spec.options]
            question.items = [
                Item(key=i.key, text=i.text, reversed=i.reversed)
                for i in question_spec.items_for(spec.year)
            ]
            section.questions.append(question)
    session.flush()
    return survey
