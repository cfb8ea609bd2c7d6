"""Align "A、B、C分别…X、Y、Z" so each value belongs to its own item.

太阳能电池、煤炭、纺织织物分别出口21.6亿元、7.8亿元、7.6亿元，分别增长223.4%、118.6%、76.8%:
223.4% is bound to 太阳能电池, and 煤炭 and 纺织织物 are masked when scoring it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.answer.candidates import Candidate
from qa.answer.text import Sentence, Span

__all__ = ["Binding", "respectively_bindings"]

_RESPECTIVELY = re.compile(r"分别|依次|各自")
_ITEM_SEP = re.compile(r"、|以及|和|与|及")
_ITEM_SLACK = 2  # extra characters an end item may keep beyond the longest inner item


@dataclass(frozen=True, slots=True)
class Binding:
    """The item a value was aligned to, and the other items to ignore for it."""

    item: Span
    masked: tuple[Span, ...]


def _items(text: str, start: int, end: int) -> list[Span]:
    pieces: list[Span] = []
    cursor = start
    for match in _ITEM_SEP.finditer(text, start, end):
        if match.start() > cursor:
            pieces.append(Span(cursor, match.start()))
        cursor = match.end()
    if end > cursor:
        pieces.append(Span(cursor, end))
    if len(pieces) < 2:
        return []
    # The first item may carry the shared subject and the last the shared predicate
    # (钢铁行业炼铁、炼钢先进产能占比): keep them about as long as the inner items.
    lengths = [p.end - p.start for p in pieces]
    first, last = pieces[0], pieces[-1]
    if text[first.end - 1] == text[last.end - 1] and lengths[0] > lengths[-1]:
        # Parallel items share a head noun (整体出口货量及进口货量): the first item is
        # as long as the last, and what precedes it is shared by all.
        pieces[0] = Span(first.end - lengths[-1], first.end)
        lengths[0] = lengths[-1]
        first = pieces[0]
    first_limit = max(lengths[1:]) + _ITEM_SLACK
    last_limit = max(lengths[:-1]) + _ITEM_SLACK
    if lengths[0] > first_limit:
        pieces[0] = Span(first.end - first_limit, first.end)
    if lengths[-1] > last_limit:
        pieces[-1] = Span(last.start, last.start + last_limit)
    return pieces


def respectively_bindings(
    text: str, sentence: Sentence, candidates: list[Candidate]
) -> dict[tuple[int, int], Binding]:
    """Return bindings keyed by candidate ``(start, end)`` for 分别 lists in ``sentence``."""
    markers = list(_RESPECTIVELY.finditer(text, sentence.span.start, sentence.span.end))
    if not markers:
        return {}
    first = markers[0]
    clause = sentence.clauses[sentence.clause_index(first.start())]
    items = _items(text, clause.start, first.start())
    if not items:
        return {}
    bindings: dict[tuple[int, int], Binding] = {}
    for marker in markers:
        value_clause = sentence.clauses[sentence.clause_index(marker.start())]
        values = [c for c in candidates if c.start >= marker.end() and c.end <= value_clause.end]
        kinds = {c.kind for c in values}
        if len(values) != len(items) or len(kinds) != 1:
            continue
        for i, value in enumerate(values):
            masked = tuple(item for j, item in enumerate(items) if j != i)
            bindings[(value.start, value.end)] = Binding(item=items[i], masked=masked)
    return bindings
