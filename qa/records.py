"""Typed records passed between pipeline stages.

Offsets are the citation contract: every ``start``/``end`` is a Python string offset into
the raw seed file, and ``raw[start:end] == quote``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "Alternative",
    "Answer",
    "AnswerType",
    "Article",
    "Chunk",
    "Citation",
    "Hit",
    "OffsetMap",
    "SourceDoc",
    "SpanProposal",
]


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Map positions in a cleaned text back to positions in the raw file.

    Stored as runs: clean position ``clean_starts[k] + d`` maps to ``raw_starts[k] + d``
    until the next run starts. Cleaning only deletes raw characters, so runs stay short
    in number (one per removed line break, space or doubled glyph).
    """

    clean_starts: tuple[int, ...]
    raw_starts: tuple[int, ...]
    length: int  # length of the clean text

    @classmethod
    def from_positions(cls, positions: list[int]) -> OffsetMap:
        """Compress a per-character list of raw positions into runs."""
        clean_starts: list[int] = []
        raw_starts: list[int] = []
        previous = -2
        for i, raw in enumerate(positions):
            if raw != previous + 1:
                clean_starts.append(i)
                raw_starts.append(raw)
            previous = raw
        return cls(tuple(clean_starts), tuple(raw_starts), len(positions))

    def raw(self, clean: int) -> int:
        """Return the raw offset of the clean character at ``clean``."""
        if not 0 <= clean < self.length:
            raise IndexError(f"clean offset {clean} outside 0..{self.length - 1}")
        k = bisect.bisect_right(self.clean_starts, clean) - 1
        return self.raw_starts[k] + (clean - self.clean_starts[k])

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Return the raw ``(start, end)`` covering clean characters ``start..end-1``."""
        if end <= start:
            raise ValueError(f"empty clean span {start}:{end}")
        return self.raw(start), self.raw(end - 1) + 1

    def slice(self, start: int, end: int) -> OffsetMap:
        """Return the map for the clean sub-text ``start:end``, re-based to 0."""
        return OffsetMap.from_positions([self.raw(i) for i in range(start, end)])

    def to_json(self) -> list[list[int]]:
        """Return a compact JSON form: ``[[clean_start, raw_start], ...]`` plus the length."""
        return [
            [self.length, -1],
            *([c, r] for c, r in zip(self.clean_starts, self.raw_starts, strict=True)),
        ]

    @classmethod
    def from_json(cls, data: list[list[int]]) -> OffsetMap:
        """Rebuild a map written by :meth:`to_json`."""
        length = data[0][0]
        pairs = data[1:]
        return cls(tuple(p[0] for p in pairs), tuple(p[1] for p in pairs), length)


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """One corpus file as read from disk."""

    name: str  # file name, the citation's ``source``
    raw: str


@dataclass(frozen=True, slots=True)
class Article:
    """One article cut from a page, with clean text and its map back to the raw file."""

    id: str  # "<source>#<index>"
    source: str
    index: int  # order on the page
    title: str | None
    date: str | None  # ISO date (YYYY-MM-DD) when the page states or clearly implies it
    place: str | None  # from the dateline, e.g. 太原
    reporter: str | None
    text: str
    offsets: OffsetMap = field(repr=False)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A retrieval unit: a run of whole sentences of one article."""

    id: str  # hash of source and raw span
    source: str
    article_id: str
    title: str | None
    date: str | None
    text: str  # clean text
    start: int  # raw offsets: raw[start:end] == quote
    end: int
    quote: str = field(repr=False)
    offsets: OffsetMap = field(repr=False)  # chunk-clean position -> raw position

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Return raw offsets for the chunk-clean span ``start:end``."""
        return self.offsets.raw_span(start, end)

    def quote_of(self, raw_start: int, raw_end: int) -> str:
        """Return the raw text for a raw span that lies inside this chunk."""
        if not self.start <= raw_start < raw_end <= self.end:
            raise ValueError(f"span {raw_start}:{raw_end} outside chunk {self.start}:{self.end}")
        return self.quote[raw_start - self.start : raw_end - self.start]


@dataclass(frozen=True, slots=True)
class Hit:
    """A retrieved chunk with its fused score and the ranks that produced it."""

    chunk: Chunk
    score: float
    rank: int  # 1-based rank after fusion
    lexical_rank: int | None = None
    dense_rank: int | None = None


@dataclass(frozen=True, slots=True)
class SpanProposal:
    """A reader's proposed answer: a span of a hit's clean chunk text and its score."""

    hit: Hit
    start: int  # chunk-clean offsets: hit.chunk.text[start:end] == text
    end: int
    text: str
    score: float  # span logits minus its window's no-answer logits; > 0 favours answering


class AnswerType(StrEnum):
    """What kind of answer a question asks for."""

    QUANTITY = "quantity"
    DATE = "date"
    TIME = "time"
    PERSON = "person"
    PLACE = "place"
    ORGANIZATION = "organization"
    RANKING = "ranking"
    FREE = "free"


@dataclass(frozen=True, slots=True)
class Citation:
    """A pointer at exact characters of a source: ``raw[start:end] == quote``."""

    source: str
    title: str | None
    date: str | None
    start: int
    end: int
    quote: str


@dataclass(frozen=True, slots=True)
class Alternative:
    """Another reported figure for the same question, e.g. an older statement."""

    text: str
    as_of: str | None
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Answer:
    """The extractive answer; ``text is None`` means the articles do not say."""

    question: str
    text: str | None
    answer_type: AnswerType
    value: float | None
    unit: str | None
    as_of: str | None
    confidence: float
    evidence: str | None  # the clean sentence the answer was copied from
    citations: tuple[Citation, ...]
    alternatives: tuple[Alternative, ...] = ()
    explanation: tuple[str, ...] = ()
    # when declining: the passages closest to the question, so the user can read on
    closest: tuple[Citation, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)

    @classmethod
    def declined(
        cls,
        *,
        question: str,
        answer_type: AnswerType,
        confidence: float,
        explanation: tuple[str, ...],
        closest: tuple[Citation, ...] = (),
    ) -> Answer:
        """Return the answer that says the articles do not say (``text is None``)."""
        return cls(
            question=question,
            text=None,
            answer_type=answer_type,
            value=None,
            unit=None,
            as_of=None,
            confidence=confidence,
            evidence=None,
            citations=(),
            closest=closest,
            explanation=explanation,
        )
