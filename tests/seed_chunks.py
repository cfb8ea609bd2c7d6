"""Chunks cut from the seed pages with exact raw offsets, for answerer tests."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from qa.records import Answer, Chunk, Hit, OffsetMap

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
DATES = {
    "000": "2024-11-04",
    "001": "2025-11-14",
    "002": "2023-08-02",
    "003": "2025-03-26",
    "004": "2024-11-18",
}
_LAYOUT = set(" \r\n\t\u3000")


def seed_chunk(prefix: str, first: str, last: str, *, title: str | None = None) -> Chunk:
    """Cut the clean text from ``first`` through ``last`` out of a seed, mapped to raw offsets."""
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    raw = path.read_text(encoding="utf-8")
    positions = [i for i, ch in enumerate(raw) if ch not in _LAYOUT]
    clean = "".join(raw[i] for i in positions)
    start = clean.index(first)
    end = clean.index(last, start) + len(last)
    kept = positions[start:end]
    raw_start, raw_end = kept[0], kept[-1] + 1
    return Chunk(
        id=hashlib.sha256(f"{path.name}:{raw_start}:{raw_end}".encode()).hexdigest()[:16],
        source=path.name,
        article_id=f"{path.name}#{start}",
        title=title,
        date=DATES[prefix],
        text=clean[start:end],
        start=raw_start,
        end=raw_end,
        quote=raw[raw_start:raw_end],
        offsets=OffsetMap.from_positions(kept),
    )


def hits(*chunks: Chunk) -> list[Hit]:
    return [Hit(chunk=c, score=1.0 / (i + 1), rank=i + 1) for i, c in enumerate(chunks)]


def raw_of(source: str) -> str:
    return (SEEDS / source).read_text(encoding="utf-8")


def assert_cited(answer: Answer) -> None:
    """The citation contract: raw[start:end] == quote, and the quote holds the answer."""
    assert answer.text is not None and answer.citations
    for citation in answer.citations:
        assert raw_of(citation.source)[citation.start : citation.end] == citation.quote
    squashed = re.sub(r"\s", "", answer.citations[0].quote)
    assert re.sub(r"\s", "", answer.text) in squashed
