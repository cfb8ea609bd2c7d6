"""Turn a clean span of a chunk into a citation of exact raw characters."""

from __future__ import annotations

from qa.answer.candidates import Candidate
from qa.answer.enumeration import Binding
from qa.answer.evidence import ChunkEvidence
from qa.answer.text import Sentence
from qa.records import Chunk, Citation

__all__ = ["MAX_QUOTE", "cite", "cite_chunk", "quote_span"]

MAX_QUOTE = 160  # clean characters; longer sentences are cut to the clauses around the answer


def quote_span(
    ev: ChunkEvidence, sentence: Sentence, candidate: Candidate, binding: Binding | None
) -> tuple[int, int]:
    """Return the clean span to quote: the sentence, or its clauses around the answer."""
    start, end = sentence.span.start, sentence.span.end
    if end - start > MAX_QUOTE:
        index = sentence.clause_index(candidate.start)
        first = max(0, index - 1)
        last = min(len(sentence.clauses) - 1, index + 1)
        start = sentence.clauses[first].start
        end = sentence.clauses[last].end
        if binding is not None:
            start = min(start, binding.item.start)
    start, end = min(start, candidate.start), max(end, candidate.end)
    text = ev.text
    while start < candidate.start and text[start].isspace():
        start += 1
    while end > candidate.end and text[end - 1].isspace():
        end -= 1
    return start, end


def cite(ev: ChunkEvidence, start: int, end: int) -> Citation:
    """Return the citation of the chunk-clean span ``start:end``: ``raw[start:end] == quote``."""
    chunk = ev.hit.chunk
    return _raw_citation(chunk, *chunk.raw_span(start, end))


def cite_chunk(chunk: Chunk) -> Citation:
    """Return the citation of a whole chunk (a passage shown when declining)."""
    return _raw_citation(chunk, chunk.start, chunk.end)


def _raw_citation(chunk: Chunk, raw_start: int, raw_end: int) -> Citation:
    return Citation(
        source=chunk.source,
        title=chunk.title,
        date=chunk.date,
        start=raw_start,
        end=raw_end,
        quote=chunk.quote_of(raw_start, raw_end),
    )
