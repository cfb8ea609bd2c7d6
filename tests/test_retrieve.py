"""Tests for qa.retrieve: reciprocal rank fusion and the lexical / hybrid retriever."""

from __future__ import annotations

import copy
from collections.abc import Sequence

import numpy as np
import pytest

from qa.config import FusionMethod
from qa.dense import DenseIndex
from qa.records import Chunk, OffsetMap
from qa.retrieve import RRF_K, Retriever, build_dense, build_lexical, fuse, indexed_text
from qa.tokenize import ChineseTokenizer

# ------------------------------------------------------------ fusion


def test_rrf_on_hand_made_rankings() -> None:
    rankings = {"lexical": [3, 1, 2], "dense": [1, 4, 3]}
    fused = fuse(rankings=rankings, method=FusionMethod.RRF, k=10)
    expected = [
        (1, 1 / (RRF_K + 2) + 1 / (RRF_K + 1)),
        (3, 1 / (RRF_K + 1) + 1 / (RRF_K + 3)),
        (4, 1 / (RRF_K + 2)),
        (2, 1 / (RRF_K + 3)),
    ]
    assert [doc for doc, _ in fused] == [doc for doc, _ in expected]
    np.testing.assert_allclose([s for _, s in fused], [s for _, s in expected], rtol=1e-15)


def test_rrf_ties_go_to_the_smaller_doc_and_k_cuts() -> None:
    rankings = {"lexical": [7, 5], "dense": [5, 7]}
    assert fuse(rankings=rankings, method=FusionMethod.RRF, k=1) == [
        (5, 1 / (RRF_K + 1) + 1 / (RRF_K + 2))
    ]
    assert [d for d, _ in fuse(rankings={"a": [9], "b": [2]}, method=FusionMethod.RRF, k=5)] == [
        2,
        9,
    ]


def test_single_ranking_methods_ignore_the_other_ranking() -> None:
    rankings = {"lexical": [3, 1], "dense": [1, 4]}
    assert fuse(rankings=rankings, method=FusionMethod.LEXICAL, k=5) == [
        (3, 1 / (RRF_K + 1)),
        (1, 1 / (RRF_K + 2)),
    ]
    assert fuse(rankings=rankings, method=FusionMethod.DENSE, k=5) == [
        (1, 1 / (RRF_K + 1)),
        (4, 1 / (RRF_K + 2)),
    ]
    with pytest.raises(ValueError, match="dense"):
        fuse(rankings={"lexical": [1]}, method=FusionMethod.DENSE, k=5)


def test_fuse_never_mutates_its_inputs() -> None:
    lexical = [3, 1, 2, 1]
    dense = (1, 4, 3)
    rankings = {"lexical": lexical, "dense": dense}
    before = copy.deepcopy(rankings)
    fuse(rankings=rankings, method=FusionMethod.RRF, k=2)
    assert rankings == before and rankings["lexical"] is lexical


def test_fuse_counts_a_repeated_doc_once_at_its_best_rank() -> None:
    assert fuse(rankings={"lexical": [2, 2, 5]}, method=FusionMethod.RRF, k=5) == [
        (2, 1 / (RRF_K + 1)),
        (5, 1 / (RRF_K + 2)),
    ]


def test_fuse_with_no_rankings_or_k_zero_is_empty() -> None:
    assert fuse(rankings={}, method=FusionMethod.RRF, k=5) == []
    assert fuse(rankings={"lexical": [1]}, method=FusionMethod.RRF, k=0) == []


# ------------------------------------------------------------ retriever

SOURCE = "page.txt"
TEXTS = [
    ("我省5G网络建设提速", "截至10月底，全省已建成5G基站8.6万个。"),
    (None, "晋中市12345政务服务便民热线受理市民诉求31274件。"),
    ("朔州招商", "朔州市11个招商引资项目成功签约，总投资额达到83.5亿元。"),
    (None, "全省算力规模达到32EFlops，算力中心加快建设。"),
]


def _chunks() -> list[Chunk]:
    chunks = []
    position = 0
    for i, (title, text) in enumerate(TEXTS):
        chunks.append(
            Chunk(
                id=f"c{i}",
                source=SOURCE,
                article_id=f"{SOURCE}#{i}",
                title=title,
                date="2024-11-04",
                text=text,
                start=position,
                end=position + len(text),
                quote=text,
                offsets=OffsetMap.from_positions(list(range(position, position + len(text)))),
            )
        )
        position += len(text) + 1
    return chunks


class KeywordEmbedder:
    """A tiny fake Embedder: one axis per keyword, normalised counts."""

    name = "fake-keywords"
    keywords = ("基站", "热线", "招商", "算力", "网络")
    dim = len(keywords)

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        self.calls.append(list(texts))
        rows = np.array(
            [[text.count(word) + 1e-3 for word in self.keywords] for text in texts],
            dtype=np.float32,
        ).reshape(len(texts), self.dim)
        unit: np.ndarray = rows / np.linalg.norm(rows, axis=1, keepdims=True)
        return unit

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode(texts)


class SpyTokenizer:
    """Wrap a tokenizer and record every text it sees."""

    def __init__(self, inner: ChineseTokenizer) -> None:
        self.inner = inner
        self.seen: list[str] = []

    def tokens(self, text: str) -> list[str]:
        self.seen.append(text)
        return self.inner.tokens(text)


def test_indexed_text_is_title_then_text() -> None:
    chunks = _chunks()
    assert (
        indexed_text(chunk=chunks[0]) == "我省5G网络建设提速\n截至10月底，全省已建成5G基站8.6万个。"
    )
    assert indexed_text(chunk=chunks[1]) == chunks[1].text


def test_lexical_only_retrieval(zh_tokenizer: ChineseTokenizer) -> None:
    chunks = _chunks()
    spy = SpyTokenizer(zh_tokenizer)
    retriever = Retriever(
        chunks=chunks,
        tokenizer=spy,
        lexical=build_lexical(chunks=chunks, tokenizer=spy),
        dense=None,
        embedder=None,
        fusion=FusionMethod.RRF,
    )
    assert not retriever.dense_enabled
    hits = retriever.search("朔州签约了多少个招商引资项目？", k=3)
    assert hits[0].chunk.id == "c2"
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert hits[0].lexical_rank == 1 and hits[0].dense_rank is None
    assert hits[0].score == pytest.approx(1 / (RRF_K + 1))
    # The same tokenizer read the documents (title + text) and the query.
    assert spy.seen[: len(chunks)] == [indexed_text(chunk=c) for c in chunks]
    assert spy.seen[-1] == "朔州签约了多少个招商引资项目？"


def test_title_is_searchable(zh_tokenizer: ChineseTokenizer) -> None:
    chunks = _chunks()
    retriever = Retriever(
        chunks=chunks,
        tokenizer=zh_tokenizer,
        lexical=build_lexical(chunks=chunks, tokenizer=zh_tokenizer),
        dense=None,
        embedder=None,
        fusion=FusionMethod.LEXICAL,
    )
    assert [h.chunk.id for h in retriever.search("网络提速", k=5)] == ["c0"]


def test_nothing_found_and_blank_query(zh_tokenizer: ChineseTokenizer) -> None:
    chunks = _chunks()
    retriever = Retriever(
        chunks=chunks,
        tokenizer=zh_tokenizer,
        lexical=build_lexical(chunks=chunks, tokenizer=zh_tokenizer),
        dense=None,
        embedder=None,
        fusion=FusionMethod.RRF,
    )
    assert retriever.search("火星", k=3) == []
    assert retriever.search("   ", k=3) == []
    assert retriever.search("算力", k=0) == []


def _hybrid(
    tokenizer: ChineseTokenizer, *, fusion: FusionMethod
) -> tuple[Retriever, KeywordEmbedder]:
    """Return a retriever over both indexes of ``_chunks()`` and its embedder."""
    chunks = _chunks()
    embedder = KeywordEmbedder()
    retriever = Retriever(
        chunks=chunks,
        tokenizer=tokenizer,
        lexical=build_lexical(chunks=chunks, tokenizer=tokenizer),
        dense=build_dense(chunks=chunks, embedder=embedder),
        embedder=embedder,
        fusion=fusion,
    )
    return retriever, embedder


def test_hybrid_retrieval_fuses_both_rankings(zh_tokenizer: ChineseTokenizer) -> None:
    retriever, embedder = _hybrid(zh_tokenizer, fusion=FusionMethod.RRF)
    assert retriever.dense_enabled
    hits = retriever.search("算力中心", k=4)
    assert hits[0].chunk.id == "c3"
    assert hits[0].lexical_rank == 1 and hits[0].dense_rank == 1
    assert hits[0].score == pytest.approx(2 / (RRF_K + 1))
    # Dense ranks every chunk; lexical only the ones sharing a token.
    assert all(h.dense_rank is not None for h in hits)
    assert len(hits) == 4
    assert embedder.calls[-1] == ["算力中心"]


def test_dense_fusion_uses_only_the_dense_ranking(zh_tokenizer: ChineseTokenizer) -> None:
    retriever, _ = _hybrid(zh_tokenizer, fusion=FusionMethod.DENSE)
    hits = retriever.search("热线", k=2)
    assert hits[0].chunk.id == "c1"
    assert all(h.lexical_rank is None for h in hits)


def test_dense_fusion_without_an_embedder_falls_back_to_lexical(
    zh_tokenizer: ChineseTokenizer,
) -> None:
    chunks = _chunks()
    retriever = Retriever(
        chunks=chunks,
        tokenizer=zh_tokenizer,
        lexical=build_lexical(chunks=chunks, tokenizer=zh_tokenizer),
        dense=DenseIndex.build(vectors=KeywordEmbedder().encode(["x"] * len(chunks))),
        embedder=None,
        fusion=FusionMethod.DENSE,
    )
    assert retriever.fusion is FusionMethod.LEXICAL
    assert retriever.search("热线", k=2)[0].chunk.id == "c1"


def test_mismatched_pieces_are_refused(zh_tokenizer: ChineseTokenizer) -> None:
    chunks = _chunks()
    with pytest.raises(ValueError, match="BM25"):
        Retriever(
            chunks=chunks[:2],
            tokenizer=zh_tokenizer,
            lexical=build_lexical(chunks=chunks, tokenizer=zh_tokenizer),
            dense=None,
            embedder=None,
            fusion=FusionMethod.RRF,
        )
