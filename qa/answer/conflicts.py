"""Pick among figures that report the same thing: the most recent wins, the rest are alternatives.

Two scored candidates report the same thing when they are of the same kind and dimension, and
the question terms near one are (almost all) near the other: 累计建成5G基站84万个 in a 2023 page
and 累计建成5G基站11.5万个 in a 2025 one. A question that names a time keeps the statement
about that time instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from qa.answer.candidates import CandidateKind
from qa.answer.question import QuestionAnalysis, unit_class
from qa.answer.scoring import ScoredCandidate
from qa.answer.timeframe import end_key

__all__ = ["CONFLICT_MARGIN", "answer_key", "resolve_conflicts", "same_fact"]

CONFLICT_MARGIN = 1.5  # how far below the best a competing statement may score
FOCUS_STRENGTH = 0.5  # a term this strong counts as part of what a statement is about
FOCUS_OVERLAP = 0.8  # share of the best's focus terms another statement must share
COVERAGE_RATIO = 0.9  # a competing statement must match the question about as well


def answer_key(scored: ScoredCandidate) -> tuple[object, ...]:
    """Return what makes two answers the same: value and unit, or the text."""
    quantity = scored.candidate.quantity
    if quantity is not None:
        return (round(quantity.value, 6), quantity.unit)
    return (scored.candidate.text.replace(" ", ""),)


def _focus(scored: ScoredCandidate, analysis: QuestionAnalysis) -> set[str]:
    wanted = {t.text for t in analysis.terms if t.required or t.role.value == "context"}
    return {t for t, v in scored.strengths.items() if v >= FOCUS_STRENGTH and t in wanted}


def same_fact(a: ScoredCandidate, b: ScoredCandidate, analysis: QuestionAnalysis) -> bool:
    """Return True when ``a`` reports the same quantity or fact as ``b``."""
    if a.candidate.kind is not b.candidate.kind:
        return False
    if a.candidate.kind is CandidateKind.QUANTITY:
        qa_, qb = a.candidate.quantity, b.candidate.quantity
        if qa_ is None or qb is None or unit_class(qa_.unit) is not unit_class(qb.unit):
            return False
    focus_b = _focus(b, analysis)
    if not focus_b:
        return False
    return len(_focus(a, analysis) & focus_b) >= FOCUS_OVERLAP * len(focus_b)


def _time_value(scored: ScoredCandidate) -> float:
    return sum(f.value for f in scored.features if f.name == "time")


def resolve_conflicts(
    best: ScoredCandidate, ranked: Sequence[ScoredCandidate], analysis: QuestionAnalysis
) -> tuple[ScoredCandidate, list[ScoredCandidate]]:
    """Return the statement to answer with and the other figures reported for the same thing."""
    if best.candidate.kind in (CandidateKind.DATE, CandidateKind.TIME, CandidateKind.SENTENCE):
        return best, []  # a date is its own time; there is no older report to prefer
    contenders = [best] + [
        c
        for c in ranked
        if c is not best
        and c.score >= best.score - CONFLICT_MARGIN
        and c.coverage >= COVERAGE_RATIO * best.coverage
        and not c.missing
        and same_fact(c, best, analysis)
        # Only other articles conflict: within one article the scores tell figures apart.
        and c.evidence.hit.chunk.article_id != best.evidence.hit.chunk.article_id
    ]
    if analysis.time is not None:
        chosen = max(
            contenders,
            key=lambda c: (
                _time_value(c),
                end_key(c.as_of),
                c.evidence.hit.chunk.date or "",
                c.score,
            ),
        )
    else:
        chosen = max(
            contenders,
            key=lambda c: (end_key(c.as_of), c.evidence.hit.chunk.date or "", c.score),
        )
    alternatives: dict[tuple[object, ...], ScoredCandidate] = {}
    for c in contenders:
        key = answer_key(c)
        if key == answer_key(chosen):
            continue
        if key not in alternatives or c.score > alternatives[key].score:
            alternatives[key] = c
    ordered = sorted(alternatives.values(), key=lambda c: (end_key(c.as_of), c.score), reverse=True)
    return chosen, ordered
