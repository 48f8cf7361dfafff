"""Response rates of a survey by post: per batch (target group and stratum) and in total.

The gross sample of a batch is the number of letters sent; its net sample is every response
that came back for it: codes redeemed online, codes typed in from paper forms, and paper
forms without a code that staff counted for the batch. Which code was redeemed is matched
to its batch with the application's key (:func:`surveys.access_codes.used_per_batch`); only
the counts leave this module.

Responses that belong to no batch (codes from the plain code list, paper forms typed in
without code or batch) are one more row, so that the rows add up to every response of the
survey. The counts here are raw, for staff; moderator-facing outputs pass them through
:func:`protect_counts` first.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import func, select

from surveys.access_codes import used_per_batch
from surveys.db import SessionLike
from surveys.models import Channel, Response, Survey
from surveys.postal import batches_of

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class RateRow:
    """Gross and net sample of one batch (or of the responses outside every batch)."""

    #: The batch's id; ``None`` for the row of responses outside every batch and the total.
    batch_id: int | None
    stratum: str
    #: Label of the batch's target group (German source text); ``None`` = every group.
    target_group: str | None
    letters_sent: int
    online: int
    #: Paper forms typed in with the batch's code.
    paper_coded: int
    #: Paper forms without a code, counted for the batch at paper entry.
    paper_uncoded: int

    @property
    def paper(self) -> int:
        """Every paper form of the batch, with or without a code."""
        return self.paper_coded + self.paper_uncoded

    @property
    def total(self) -> int:
        """The net sample: every response that came back for the batch."""
        return self.online + self.paper

    @property
    def rate(self) -> float | None:
        """Responses per letter sent, in per cent (``None`` without letters)."""
        return 100.0 * self.total / self.letters_sent if self.letters_sent > 0 else None


@dataclass(frozen=True)
class ResponseRates:
    """The rows per batch (oldest first), the sum over every batch, and what no batch has."""

    batches: list[RateRow]
    #: Sum over the batches: letters sent, responses and the postal response rate.
    total: RateRow
    #: Responses outside every batch; ``None`` when there are none.
    other: RateRow | None
    #: Every response of the survey (``total.total`` plus ``other.total``).
    responses: int


def _sum(rows: list[RateRow], stratum: str) -> RateRow:
    return RateRow(
        batch_id=None,
        stratum=stratum,
        target_group=None,
        letters_sent=sum(r.letters_sent for r in rows),
        online=sum(r.online for r in rows),
        paper_coded=sum(r.paper_coded for r in rows),
        paper_uncoded=sum(r.paper_uncoded for r in rows),
    )


def response_rates(session: SessionLike, survey: Survey, key: bytes) -> ResponseRates:
    """Return gross sample, responses online and on paper, and the rate of every batch.

    ``key`` is :func:`surveys.access_codes.mark_key` of the application's secret: it matches
    the spent marks to the codes of each batch.
    """
    used = used_per_batch(session, survey, key)
    rows = [
        RateRow(
            batch_id=batch.id,
            stratum=batch.stratum,
            target_group=batch.target_group.label if batch.target_group else None,
            letters_sent=batch.letters_sent or 0,
            online=used.get(batch.id, {}).get(Channel.ONLINE, 0),
            paper_coded=used.get(batch.id, {}).get(Channel.PAPER, 0),
            paper_uncoded=batch.paper_returns or 0,
        )
        for batch in batches_of(session, survey)
    ]
    per_channel = dict(
        session.execute(
            select(Response.channel, func.count(Response.id))
            .where(Response.survey_id == survey.id)
            .group_by(Response.channel)
        ).all()
    )
    total = _sum(rows, "")
    online = int(per_channel.get(Channel.ONLINE, 0))
    paper = int(per_channel.get(Channel.PAPER, 0))
    # Clamped at 0: responses deleted later (retention) leave their marks behind.
    other = RateRow(
        batch_id=None,
        stratum="",
        target_group=None,
        letters_sent=0,
        online=max(0, online - total.online),
        paper_coded=0,
        paper_uncoded=max(0, paper - total.paper),
    )
    return ResponseRates(
        batches=rows,
        total=total,
        other=other if other.total else None,
        responses=total.total + other.total,
    )


@dataclass(frozen=True)
class Protected:
    """Which cells of a one-way count table to hide, and whether to hide its total."""

    hidden: frozenset[Hashable]
    total_hidden: bool = False


def protect_counts(
    cells: Mapping[K, int], min_cell: int, *, total_public: bool = True
) -> Protected:
    """Decide which counts of a one-way table (cells adding up to a total) to hide.

    Each cell counts the respondents of one group, e.g. the responses to the letters sent
    to one Stadtteil. A count of 1 to ``min_cell − 1`` describes a group too small to
    publish: it is hidden (primary suppression, shown as "•"). Zero describes nobody and is
    shown.

    Hiding one cell is not enough when the total is printed: total minus the other cells
    gives it back. So the hidden cells must together hold at least ``min_cell``
    respondents – then subtraction only yields the size of a group that may be published.
    Two ways get there, and the smaller loss is taken:

    * ``total_public=False`` (the total appears nowhere else): hide the total. One number
      is lost, and no cell of the table has to go.
    * ``total_public=True`` (the total is printed elsewhere anyway, e.g. the number of
      responses on the Mappe's title page, so hiding it here would protect nothing): hide
      further cells, smallest first (secondary suppression), until the hidden cells hold at
      least ``min_cell`` respondents. If no cell is left to hide, the total is hidden too.
      (A total printed elsewhere is itself 0 or at least ``min_cell``, so hiding every cell
      is always enough.)

    Returns the keys of the hidden cells and whether the total is hidden.
    """
    primary = {k for k, n in cells.items() if 0 < n < min_cell}
    if not primary:
        return Protected(frozenset())
    hidden = set(primary)
    if not total_public:
        return Protected(frozenset(hidden), total_hidden=True)
    rest = sorted((n, str(k), k) for k, n in cells.items() if k not in hidden and n > 0)
    while sum(cells[k] for k in hidden) < min_cell and rest:
        hidden.add(rest.pop(0)[2])
    enough = sum(cells[k] for k in hidden) >= min_cell
    return Protected(frozenset(hidden), total_hidden=not enough)


@dataclass(frozen=True)
class ShownRow:
    """A row of the moderators' response-rate table: ``None`` marks a hidden number."""

    stratum: str
    target_group: str | None
    letters_sent: int | None
    responses: int | None
    rate: float | None


@dataclass(frozen=True)
class ShownRates:
    """The response-rate table as moderators see it (Mappe, methods report)."""

    batches: list[ShownRow]
    total: ShownRow
    other: ShownRow | None
    #: Whether any number is hidden (the table then carries the "•" legend).
    any_hidden: bool


def shown_rates(rates: ResponseRates, min_cell: int, *, total_known: bool = True) -> ShownRates:
    """Apply :func:`protect_counts` to the responses per batch for moderator outputs.

    ``total_known`` says whether the survey's number of responses may be published (the
    analysis' guard may refuse it when a target group is tiny). If it may not, the batches
    would give it away by their sum, so every count and rate is hidden (only the letters
    sent, which describe no respondent, stay).

    The partition is every batch plus the responses outside every batch; its total is the
    survey's number of responses. The split into online and paper per batch is left out
    (the mode shares are published for the whole survey, under the analysis' guard), and a
    rate is hidden with its count (rate × letters gives the count back). The sum over the
    batches equals the survey's responses minus the outside row, so it is shown exactly when
    that row is.
    """
    cells: dict[object, int] = {i: r.total for i, r in enumerate(rates.batches)}
    if rates.other is not None:
        cells["other"] = rates.other.total
    protected = protect_counts(cells, min_cell, total_public=True)
    if not total_known:
        protected = Protected(frozenset(cells), total_hidden=True)

    def row(source: RateRow, hidden: bool) -> ShownRow:
        return ShownRow(
            stratum=source.stratum,
            target_group=source.target_group,
            letters_sent=source.letters_sent,
            responses=None if hidden else source.total,
            rate=None if hidden else source.rate,
        )

    other_hidden = "other" in protected.hidden
    sum_hidden = protected.total_hidden or other_hidden
    return ShownRates(
        batches=[row(r, i in protected.hidden) for i, r in enumerate(rates.batches)],
        total=row(rates.total, sum_hidden),
        other=row(rates.other, other_hidden) if rates.other is not None else None,
        any_hidden=bool(protected.hidden) or protected.total_hidden,
    )
