"""Tests for qa.lexical: BM25 scores against a brute-force reference, persistence."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from qa.lexical import BM25_B, BM25_K1, BM25Index

CORPUS = [
    "太原 5g 基站 建设 提速 基站".split(),
    "晋中 政务 热线 12345 受理 诉求".split(),
    "朔州 招商 引资 项目 签约 83.5 亿元".split(),
    "太原 算力 中心 算力 规模 32 eflops".split(),
    "专精特新 小巨人 企业 132 户 太原".split(),
    [],
    "基站 基站 基站 基站 基站 基站 基站 基站 基站 基站 太原 太原 太原".split(),
]


def brute_force_bm25(
    documents: Sequence[Sequence[str]], query: Sequence[str], *, k1: float, b: float
) -> list[float]:
    """Score every document with the textbook formula, term by term."""
    n = len(documents)
    average = sum(len(d) for d in documents) / n
    scores = []
    for doc in documents:
        counts = Counter(doc)
        score = 0.0
        for term in query:
            df = sum(1 for d in documents if term in d)
            if df == 0 or counts[term] == 0:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            tf = counts[term]
            score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(doc) / average))
        scores.append(score)
    return scores


@pytest.fixture(scope="module")
def index() -> BM25Index:
    return BM25Index.build(documents=CORPUS)


@pytest.mark.parametrize(
    "query",
    [
        ["太原"],
        ["基站", "太原"],
        ["算力", "算力", "eflops"],  # a repeated query term counts twice
        ["83.5", "亿元", "unknown"],
        ["12345"],
    ],
)
def test_scores_match_brute_force(index: BM25Index, query: list[str]) -> None:
    expected = brute_force_bm25(CORPUS, query, k1=BM25_K1, b=BM25_B)
    np.testing.assert_allclose(index.scores(query=query), expected, rtol=1e-12)
    hits = index.search(query=query, k=len(CORPUS))
    positive = sorted(
        ((i, s) for i, s in enumerate(expected) if s > 0), key=lambda item: (-item[1], item[0])
    )
    assert [doc for doc, _ in hits] == [doc for doc, _ in positive]
    np.testing.assert_allclose([s for _, s in hits], [s for _, s in positive], rtol=1e-12)


def test_search_keeps_top_k_best_first(index: BM25Index) -> None:
    hits = index.search(query=["太原", "基站"], k=2)
    assert [doc for doc, _ in hits] == [6, 0]
    assert hits[0][1] > hits[1][1] > 0


def test_ties_go_to_the_smaller_index() -> None:
    documents = [["a", "x"], ["b", "y"], ["a", "z"], ["a", "w"]]
    tied = BM25Index.build(documents=documents)
    assert [doc for doc, _ in tied.search(query=["a"], k=2)] == [0, 2]
    assert [doc for doc, _ in tied.search(query=["a"], k=5)] == [0, 2, 3]


def test_empty_and_unknown_queries_find_nothing(index: BM25Index) -> None:
    assert index.search(query=[], k=5) == []
    assert index.search(query=["火星"], k=5) == []
    assert index.search(query=["太原"], k=0) == []


def test_empty_corpus() -> None:
    empty = BM25Index.build(documents=[])
    assert len(empty) == 0
    assert empty.search(query=["太原"], k=3) == []


def test_save_and_load_round_trip(index: BM25Index, tmp_path: Path) -> None:
    path = tmp_path / "bm25.npz"
    index.save(path)
    loaded = BM25Index.load(path)
    assert len(loaded) == len(index)
    assert loaded.vocabulary_size == index.vocabulary_size
    for query in (["太原"], ["基站", "太原", "算力"], ["eflops", "32"]):
        assert loaded.search(query=query, k=10) == index.search(query=query, k=10)


def test_saved_file_needs_no_pickle(index: BM25Index, tmp_path: Path) -> None:
    path = tmp_path / "bm25.npz"
    index.save(path)
    with np.load(path, allow_pickle=False) as stored:
        assert {"vocabulary", "data", "indices", "indptr", "shape"} <= set(stored.files)
        assert stored["vocabulary"].dtype.kind == "U"


def test_scores_match_bm25s_up_to_the_k1_plus_1_factor(index: BM25Index) -> None:
    bm25s = pytest.importorskip("bm25s")
    # bm25s "lucene" follows Lucene 8+, which drops the constant (k1 + 1) numerator.
    reference = bm25s.BM25(k1=BM25_K1, b=BM25_B, method="lucene")
    reference.index(CORPUS, show_progress=False)
    for query in (["太原"], ["基站", "太原"], ["算力", "eflops", "132"]):
        np.testing.assert_allclose(
            index.scores(query=query), (BM25_K1 + 1) * reference.get_scores(query), rtol=1e-5
        )
