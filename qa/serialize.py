"""JSON forms of records, shared by the CLI, the API and the evaluation."""

from __future__ import annotations

import re
from typing import Any

from qa.records import Alternative, Answer, Citation, Hit

__all__ = ["answer_to_json", "citation_to_json", "display_quote", "hit_to_json"]

_SPACE_NEAR_CJK = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
_SPACES = re.compile(r"\s+")


def display_quote(text: str) -> str:
    """Return a raw quote on one line for people: layout breaks next to Chinese text vanish."""
    return _SPACES.sub(" ", _SPACE_NEAR_CJK.sub("", text)).strip()


def hit_to_json(hit: Hit) -> dict[str, Any]:
    """Return the public JSON form of a search hit."""
    chunk = hit.chunk
    return {
        "source": chunk.source,
        "start": chunk.start,
        "end": chunk.end,
        "quote": chunk.quote,
        "text": chunk.text,
        "title": chunk.title,
        "date": chunk.date,
        "score": round(hit.score, 6),
        "rank": hit.rank,
        "lexical_rank": hit.lexical_rank,
        "dense_rank": hit.dense_rank,
        "chunk_id": chunk.id,
    }


def citation_to_json(citation: Citation) -> dict[str, Any]:
    """Return the public JSON form of a citation."""
    return {
        "source": citation.source,
        "title": citation.title,
        "date": citation.date,
        "start": citation.start,
        "end": citation.end,
        "quote": citation.quote,
    }


def _alternative_to_json(alternative: Alternative) -> dict[str, Any]:
    return {
        "answer": alternative.text,
        "as_of": alternative.as_of,
        "citations": [citation_to_json(c) for c in alternative.citations],
    }


def answer_to_json(answer: Answer, *, explain: bool = False) -> dict[str, Any]:
    """Return the public JSON form of an answer (the ``qa ask --json`` contract)."""
    data: dict[str, Any] = {
        "question": answer.question,
        "answer": answer.text,
        "answer_type": answer.answer_type.value,
        "value": answer.value,
        "unit": answer.unit,
        "as_of": answer.as_of,
        "confidence": round(answer.confidence, 4),
        "evidence": answer.evidence,
        "citations": [citation_to_json(c) for c in answer.citations],
        "alternatives": [_alternative_to_json(a) for a in answer.alternatives],
        "closest": [citation_to_json(c) for c in answer.closest],
        "timings_ms": {k: round(v, 3) for k, v in answer.timings_ms.items()},
    }
    if explain:
        data["explanation"] = list(answer.explanation)
    return data
