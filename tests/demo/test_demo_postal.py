"""The demo's survey by post: three Stadtteile, codes used online and on paper."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from demo import DemoContext, seed_demo
from demo.postal import BATCHES, SLUG, demo_key, seed_postal
from surveys.access_codes import code_counts, code_state, used_per_batch
from surveys.models import (
    AccessMode,
    Answer,
    Channel,
    Option,
    Question,
    Response,
    SpentCode,
)
from surveys.postal import batches_of
from surveys.queries import survey_by_slug
from surveys.rules import survey_errors
from tests.conftest import DatabaseFactory, domain_engine, rollback_session


@pytest.fixture()
def seeded(fresh_database: DatabaseFactory) -> Iterator[Session]:
    """A session on a fresh demo database (20 responses per audit survey), rolled back."""
    engine = domain_engine(fresh_database("postal"))
    with rollback_session(engine) as session:
        seed_demo(session, responses=20)
        yield session
    engine.dispose()


def test_postal_survey_has_three_batches_with_online_and_paper_returns(seeded: Session) -> None:
    survey = survey_by_slug(seeded, SLUG)
    assert survey is not None and survey.access_mode == AccessMode.CODE
    assert survey_errors(survey) == []
    batches = batches_of(seeded, survey)
    assert [(b.stratum, b.target_group.key, b.codes_count, b.letters_sent, b.paper_returns)
            for b in batches if b.target_group] == [
        (s, g, n, sent, uncoded) for s, _d, g, n, sent, _o, _p, uncoded in BATCHES
    ]  # fmt: skip
    used = used_per_batch(seeded, survey, demo_key())
    assert [used[b.id] for b in batches] == [
        {Channel.ONLINE: online, Channel.PAPER: paper} for *_x, online, paper, _u in BATCHES
    ]
    issued, spent = code_counts(seeded, survey)
    assert issued == sum(b[3] for b in BATCHES) and spent == sum(b[5] + b[6] for b in BATCHES)
    channels = Counter(
        seeded.scalars(select(Response.channel).where(Response.survey_id == survey.id))
    )
    assert channels[Channel.ONLINE] == sum(b[5] for b in BATCHES)
    assert channels[Channel.PAPER] == sum(b[6] + b[7] for b in BATCHES)
    # every response names the Stadtteil of its batch
    districts = Counter(
        seeded.scalars(
            select(Option.code)
            .join(Answer, Answer.option_id == Option.id)
            .join(Question, Question.id == Answer.question_id)
            .join(Response, Response.id == Answer.response_id)
            .where(Response.survey_id == survey.id, Question.key == "stadtteil")
        )
    )
    assert districts == {d: o + p + u for _s, d, _g, _n, _sent, o, p, u in BATCHES}
    # an unused demo code would still work; the marks match no code hash directly
    marks = set(seeded.scalars(select(SpentCode.mark_hash)))
    assert len(marks) == spent
    assert code_state(seeded, survey, "AAAA-BBBB-CCCC", demo_key()).value == "unknown"


def test_postal_seeder_is_idempotent(seeded: Session) -> None:
    survey = survey_by_slug(seeded, SLUG)
    assert survey is not None
    context = DemoContext(baseline=survey, current=survey, seed=1, created=False)
    assert seed_postal(seeded, context) is None
    assert len(batches_of(seeded, survey)) == len(BATCHES)
