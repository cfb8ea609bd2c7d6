"""Articles -> chunks: runs of whole sentences with bounded length and a modest overlap."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from qa.records import Article, Chunk

__all__ = ["MAX_CHUNK_CHARS", "OVERLAP_SENTENCES", "chunk_article", "split_sentences"]

MAX_CHUNK_CHARS = 160  # short enough that the top hit is the answering passage
OVERLAP_SENTENCES = 1  # a fact split across a boundary still sits whole in one chunk
SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』）)]*|\n")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of sentences, split on 。！？； and paragraph breaks."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        end = match.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _windows(spans: list[tuple[int, int]], *, max_chars: int) -> Iterator[tuple[int, int]]:
    """Group sentence spans into windows of at most ``max_chars``; a long sentence stands alone."""
    i = 0
    while i < len(spans):
        j = i + 1
        while j < len(spans) and spans[j][1] - spans[i][0] <= max_chars:
            j += 1
        yield spans[i][0], spans[j - 1][1]
        if j >= len(spans):
            return
        i = max(i + 1, j - OVERLAP_SENTENCES)


def chunk_article(article: Article, *, raw: str, max_chars: int = MAX_CHUNK_CHARS) -> list[Chunk]:
    """Cut an article into sentence-aligned chunks; ``raw`` is the article's source file text."""
    chunks: list[Chunk] = []
    for start, end in _windows(split_sentences(article.text), max_chars=max_chars):
        # trim paragraph breaks at the edges so the quote starts and ends on text
        while start < end and article.text[start].isspace():
            start += 1
        while end > start and article.text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        raw_start, raw_end = article.offsets.raw_span(start, end)
        digest = hashlib.sha1(f"{article.source}:{raw_start}:{raw_end}".encode()).hexdigest()[:16]
        chunks.append(
            Chunk(
                id=digest,
                source=article.source,
                article_id=article.id,
                title=article.title,
                date=article.date,
                text=article.text[start:end],
                start=raw_start,
                end=raw_end,
                quote=raw[raw_start:raw_end],
                offsets=article.offsets.slice(start, end),
            )
        )
    return chunks
