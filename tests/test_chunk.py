"""Chunking: sentence-aligned windows whose raw offsets quote the source exactly."""

from __future__ import annotations

import itertools
from pathlib import Path

from qa.chunk import chunk_article, split_sentences
from qa.ingest import read_corpus, split_articles

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_split_sentences_on_chinese_punctuation() -> None:
    text = "第一句。第二句！第三句？第四句；\n第五句"
    spans = split_sentences(text)
    assert spans == [(0, 4), (4, 8), (8, 12), (12, 16), (17, 20)]  # a bare break is no sentence
    assert [text[a:b].strip() for a, b in spans if text[a:b].strip()] == [
        "第一句。",
        "第二句！",
        "第三句？",
        "第四句；",
        "第五句",
    ]


def test_every_chunk_of_the_seeds_quotes_its_raw_file_exactly() -> None:
    for doc in read_corpus(seeds_dir=SEEDS).docs:
        for article in split_articles(doc):
            for chunk in chunk_article(article, raw=doc.raw):
                assert doc.raw[chunk.start : chunk.end] == chunk.quote
                assert chunk.quote[0] == chunk.text[0] and chunk.quote[-1] == chunk.text[-1]
                for i in range(len(chunk.text)):
                    raw = doc.raw[chunk.offsets.raw(i)]
                    assert raw == chunk.text[i] or (chunk.text[i] == "\n" and raw.isspace())


def test_chunks_are_bounded_and_overlap_by_a_sentence() -> None:
    doc = next(d for d in read_corpus(seeds_dir=SEEDS).docs if d.name.startswith("001"))
    article = split_articles(doc)[0]
    chunks = chunk_article(article, raw=doc.raw, max_chars=120)
    assert len(chunks) > 5
    longest_sentence = max(b - a for a, b in split_sentences(article.text))
    assert all(len(c.text) <= max(120, longest_sentence) for c in chunks)
    shared = 0
    for left, right in itertools.pairwise(chunks):
        assert left.start < right.start
        single = len([s for s in split_sentences(left.text) if left.text[s[0] : s[1]].strip()]) == 1
        # consecutive chunks share their boundary sentence unless one sentence filled the window
        assert right.start < left.end or single
        shared += right.start < left.end
    assert shared >= len(chunks) // 2


def test_chunk_metadata_comes_from_the_article() -> None:
    doc = next(d for d in read_corpus(seeds_dir=SEEDS).docs if d.name.startswith("000"))
    article = split_articles(doc)[0]
    chunk = chunk_article(article, raw=doc.raw)[0]
    assert (chunk.title, chunk.date, chunk.article_id) == (article.title, article.date, article.id)
