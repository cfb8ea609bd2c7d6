"""When a statement holds: its ``as_of``, and whether it is about the time a question names."""

from __future__ import annotations

from qa.answer.candidates import Candidate, CandidateKind
from qa.answer.evidence import ChunkEvidence
from qa.answer.text import Sentence
from qa.answer.timeframe import TimeConstraint, TimeMention, time_agreement

__all__ = ["statement_time", "time_support"]

_DESCRIBED = frozenset({CandidateKind.PLACE, CandidateKind.PERSON, CandidateKind.ORGANIZATION})
CARRY_SENTENCES = 3  # how far back a paragraph's opening time still frames a statement
ARTICLE_TIME = 0.4  # time support when only the chunk, not the sentence, names the period


def _is_period(mention: TimeMention) -> bool:
    """Return True for times that frame what follows (前10个月, 上半年, 截至…), not events."""
    as_of = mention.as_of or ""
    return not mention.comparison and ("/" in as_of or "-H" in as_of or "-Q" in as_of)


def statement_time(
    candidate: Candidate, sentence: Sentence, ev: ChunkEvidence
) -> tuple[str | None, str | None]:
    """Return the time a candidate holds for and the expression it came from.

    The nearest time before it in its sentence; else a time opening one of the previous
    sentences of the paragraph (前10个月，电工器材…。太阳能电池…); else the article date.
    """
    before = [
        m
        for m in ev.times
        if sentence.span.start <= m.start
        and m.end <= candidate.start
        and not m.comparison
        and m.as_of is not None
    ]
    if before:
        nearest = before[-1]
        return nearest.as_of, nearest.text
    index = ev.sentences.index(sentence)
    window = [
        s
        for s in ev.sentences[max(0, index - CARRY_SENTENCES) : index]
        if s.paragraph == sentence.paragraph
    ]
    if window:
        framing = [
            m
            for m in ev.times
            if window[0].span.start <= m.start and m.end <= sentence.span.start and _is_period(m)
        ]
        if framing:
            return framing[-1].as_of, framing[-1].text
    return ev.hit.chunk.date, None


def _local_context(
    ev: ChunkEvidence, candidate: Candidate, sentence: Sentence, peers: list[Candidate]
) -> str:
    """Return the text framing a candidate: earlier clauses plus its own clause up to it."""
    clause = sentence.clauses[sentence.clause_index(candidate.start)]
    start = clause.start
    for peer in peers:
        if clause.start <= peer.end <= candidate.start and peer.kind is candidate.kind:
            start = max(start, peer.end)
    return ev.text[sentence.span.start : clause.start] + ev.text[start : candidate.end]


def time_support(
    constraint: TimeConstraint,
    *,
    candidate: Candidate,
    ev: ChunkEvidence,
    sentence: Sentence,
    peers: list[Candidate],
    as_of: str | None,
    as_of_text: str | None,
) -> float:
    """Return +1 when the statement is about the asked time, -1 when about another, else 0."""
    context = _local_context(ev, candidate, sentence, peers)
    if candidate.kind in _DESCRIBED:
        # 1921年和1923年试掘获得的4枚牙齿保存在…: the question's time describes the thing
        # asked about, wherever the sentence says it.
        context = ev.text[sentence.span.start : sentence.span.end]
    if as_of_text is not None and as_of_text not in context:
        context = as_of_text + context  # a time carried over from the paragraph's start
    agreement = time_agreement(
        constraint, context=context, as_of=as_of, article_date=ev.hit.chunk.date
    )
    own_times = any(sentence.span.start <= m.start < sentence.span.end for m in ev.times)
    if not agreement and not own_times:
        # The article names the asked period somewhere: weak support.
        agreement = ARTICLE_TIME * max(
            0.0,
            time_agreement(constraint, context=ev.text, as_of=None, article_date=ev.hit.chunk.date),
        )
    return agreement
