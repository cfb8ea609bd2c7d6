"""Hybrid retrieval: BM25 and dense rankings joined by reciprocal rank fusion."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from qa.config import FusionMethod
from qa.dense import DenseIndex, Embedder
from qa.lexical import BM25Index
from qa.records import Chunk, Hit
from qa.tokenize import TextTokenizer

__all__ = [
    "DENSE",
    "LEXICAL",
    "MIN_CANDIDATES",
    "RRF_K",
    "Retriever",
    "build_dense",
    "build_lexical",
    "fuse",
    "indexed_text",
]

RRF_K = 60  # Cormack et al., 2009
MIN_CANDIDATES = 50  # depth of each ranking before fusion, at least
LEXICAL = "lexical"  # ranking names used by fuse() and Retriever
DENSE = "dense"


def fuse(
    *, rankings: Mapping[str, Sequence[int]], method: FusionMethod, k: int
) -> list[tuple[int, float]]:
    """Return the top ``k`` ``(doc, score)`` of the named rankings (best first) under ``method``.

    Each ranking lists doc indices best first. RRF scores a doc by the sum of
    ``1 / (RRF_K + rank)`` over the rankings that hold it (rank 1-based); LEXICAL and
    DENSE use the same score on their one ranking. Ties go to the smaller doc index.
    """
    if method is FusionMethod.RRF:
        names = sorted(rankings)
    else:
        name = LEXICAL if method is FusionMethod.LEXICAL else DENSE
        if name not in rankings:
            raise ValueError(f"fusion {method.value!r} needs a {name!r} ranking")
        names = [name]
    if k <= 0:
        return []
    scores: dict[int, float] = {}
    for name in names:
        for rank, doc in enumerate(_first_occurrences(rankings[name]), start=1):
            scores[doc] = scores.get(doc, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]


def _first_occurrences(ranking: Sequence[int]) -> list[int]:
    """Return ``ranking`` without repeats, each doc at its best rank."""
    return list(dict.fromkeys(ranking))


def indexed_text(*, chunk: Chunk) -> str:
    """Return the text a chunk is indexed under: its title, then its text."""
    return chunk.text if not chunk.title else f"{chunk.title}\n{chunk.text}"


def build_lexical(*, chunks: Sequence[Chunk], tokenizer: TextTokenizer) -> BM25Index:
    """Build the BM25 index of ``chunks`` with the tokenizer that will read the queries."""
    return BM25Index.build(documents=[tokenizer.tokens(indexed_text(chunk=c)) for c in chunks])


def build_dense(
    *,
    chunks: Sequence[Chunk],
    embedder: Embedder,
    batch_size: int = 32,
    show_progress: bool = False,
) -> DenseIndex:
    """Embed ``chunks`` and build their dense index."""
    texts = [indexed_text(chunk=c) for c in chunks]
    vectors = embedder.encode(texts, batch_size=batch_size, show_progress=show_progress)
    return DenseIndex.build(vectors=vectors.reshape(len(texts), embedder.dim))


class Retriever:
    """Find the chunks for a query, lexically and (when available) densely."""

    def __init__(
        self,
        *,
        chunks: Sequence[Chunk],
        tokenizer: TextTokenizer,
        lexical: BM25Index,
        dense: DenseIndex | None,
        embedder: Embedder | None,
        fusion: FusionMethod,
    ) -> None:
        if len(lexical) != len(chunks):
            raise ValueError(f"BM25 index holds {len(lexical)} documents for {len(chunks)} chunks")
        if dense is not None and len(dense) != len(chunks):
            raise ValueError(f"dense index holds {len(dense)} vectors for {len(chunks)} chunks")
        if dense is not None and embedder is not None and dense.dim != embedder.dim:
            raise ValueError(
                f"embedder {embedder.name!r} gives {embedder.dim}-d vectors, "
                f"the dense index holds {dense.dim}-d"
            )
        self._chunks = tuple(chunks)
        self._tokenizer = tokenizer
        self._lexical = lexical
        self._dense = dense if embedder is not None else None
        self._embedder = embedder if dense is not None else None
        # Without dense vectors every method falls back to the lexical ranking.
        self.fusion = fusion if self._dense is not None else FusionMethod.LEXICAL

    @property
    def dense_enabled(self) -> bool:
        """Return whether queries use the dense ranking."""
        return self.fusion is not FusionMethod.LEXICAL

    def search(self, query: str, *, k: int) -> list[Hit]:
        """Return the top ``k`` chunks for ``query``, best first."""
        if k <= 0 or not query.strip():
            return []
        depth = min(max(MIN_CANDIDATES, 4 * k), len(self._chunks))
        rankings: dict[str, list[int]] = {}
        if self.fusion is not FusionMethod.DENSE:
            tokens = self._tokenizer.tokens(query)
            rankings[LEXICAL] = [doc for doc, _ in self._lexical.search(query=tokens, k=depth)]
        if self._dense is not None and self._embedder is not None and self.dense_enabled:
            vector = self._embedder.encode_queries([query])[0]
            rankings[DENSE] = [doc for doc, _ in self._dense.search(query=vector, k=depth)]
        positions = {
            name: {doc: rank for rank, doc in enumerate(docs, start=1)}
            for name, docs in rankings.items()
        }
        fused = fuse(rankings=rankings, method=self.fusion, k=k)
        return [
            Hit(
                chunk=self._chunks[doc],
                score=score,
                rank=rank,
                lexical_rank=positions.get(LEXICAL, {}).get(doc),
                dense_rank=positions.get(DENSE, {}).get(doc),
            )
            for rank, (doc, score) in enumerate(fused, start=1)
        ]
