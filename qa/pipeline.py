"""Assemble the stages: build an index from a corpus folder, and serve questions from one.

This is where heavy objects (tokenizer, embedding model, indexes) are built, once.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from tqdm import tqdm

from qa.answer import Answerer
from qa.answer.reading import ReadingAnswerer
from qa.chunk import chunk_article
from qa.config import FusionMethod, Settings
from qa.dense import Embedder, load_embedder
from qa.errors import BadQuestionError, ModelUnavailableError, SeedError
from qa.ingest import read_corpus, split_articles
from qa.records import Answer, Article, Chunk, Hit
from qa.retrieve import Retriever, build_dense, build_lexical
from qa.service import Document, Health, validate_question
from qa.store import StoredIndex, check_fresh, load_index, write_index
from qa.tokenize import ChineseTokenizer

__all__ = ["BuildReport", "Pipeline", "build_index"]

log = logging.getLogger(__name__)

SEARCH_MAX_K = 100
READER_OFF = frozenset({"", "none", "off", "rules"})


class QuestionAnswerer(Protocol):
    """Answers a question from retrieved hits (the reader path, or the rules alone)."""

    def answer(
        self, *, question: str, hits: Sequence[Hit], history: Sequence[str] = ()
    ) -> Answer: ...


def build_answerer(*, reader: str, tokenizer: ChineseTokenizer) -> QuestionAnswerer:
    """Return the answerer the settings ask for: the reader path, or the rules alone."""
    rules = Answerer(tokenize=tokenizer.tokens)
    if reader.strip().lower() in READER_OFF:
        return rules
    from qa.reader.reader import load_reader  # imports torch

    path = None if reader == "shipped" else Path(reader)
    return ReadingAnswerer(reader=load_reader(weights_path=path), rules=rules)


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What ``qa build`` made."""

    index_dir: Path
    files: int
    skipped: tuple[tuple[str, str], ...]
    articles: int
    chunks: int
    dense: bool
    dense_note: str | None
    model: str
    seconds: float


def _try_embedder(model: str) -> tuple[Embedder | None, str | None]:
    """Load the embedding model, or say in plain words why dense retrieval is off."""
    try:
        return load_embedder(model=model), None
    except ModelUnavailableError as error:
        return None, str(error)


def build_index(*, seeds_dir: Path, index_dir: Path, model: str, progress: bool) -> BuildReport:
    """Read a corpus folder and write a complete hybrid index, atomically."""
    started = time.perf_counter()
    corpus = read_corpus(seeds_dir=seeds_dir)
    if not corpus.docs:
        raise SeedError(f"no readable .txt or .md files in {seeds_dir}; pass --seeds DIR")
    articles: list[Article] = []
    chunks: list[Chunk] = []
    for doc in tqdm(corpus.docs, desc="articles", unit="file", disable=not progress):
        for article in split_articles(doc):
            articles.append(article)
            chunks.extend(chunk_article(article, raw=doc.raw))
    tokenizer = ChineseTokenizer()
    lexical = build_lexical(chunks=chunks, tokenizer=tokenizer)
    embedder, dense_note = _try_embedder(model)
    dense = (
        build_dense(chunks=chunks, embedder=embedder, show_progress=progress)
        if embedder is not None
        else None
    )
    write_index(
        index_dir=index_dir,
        seeds_dir=seeds_dir,
        files=corpus.files,
        sources=corpus.docs,
        articles=articles,
        chunks=chunks,
        lexical=lexical,
        dense=dense,
        model=model,
        dense_note=dense_note,
        tokenizer_hash=tokenizer.fingerprint,
    )
    return BuildReport(
        index_dir=index_dir,
        files=len(corpus.docs),
        skipped=corpus.skipped,
        articles=len(articles),
        chunks=len(chunks),
        dense=dense is not None,
        dense_note=dense_note,
        model=model,
        seconds=time.perf_counter() - started,
    )


class Pipeline:
    """The real QAService: a loaded index, a retriever and an answerer."""

    def __init__(
        self,
        *,
        stored: StoredIndex,
        retriever: Retriever,
        answerer: QuestionAnswerer,
        settings: Settings,
        dense_note: str | None,
    ) -> None:
        self._stored = stored
        self._retriever = retriever
        self._answerer = answerer
        self._settings = settings
        self._dense_note = dense_note

    @classmethod
    def load(
        cls,
        *,
        settings: Settings,
        seeds_dir: Path | None = None,
        embedder_loader: Callable[[str], Embedder] | None = None,
        answerer: QuestionAnswerer | None = None,
    ) -> Pipeline:
        """Load the index, refuse a stale one, load the embedding model if the index has vectors."""
        stored = load_index(index_dir=settings.index_dir)
        manifest = stored.manifest
        tokenizer = ChineseTokenizer()
        check_dir = seeds_dir or Path(manifest.seeds_dir)
        if check_dir.is_dir():
            check_fresh(
                manifest=manifest,
                seeds_dir=check_dir,
                model=settings.model,
                tokenizer_hash=tokenizer.fingerprint,
            )
        else:
            log.warning("corpus folder %s is gone; cannot check the index is fresh", check_dir)
        embedder: Embedder | None = None
        dense_note = manifest.dense_note
        if stored.dense is not None:
            try:
                embedder = (embedder_loader or (lambda m: load_embedder(model=m)))(manifest.model)
            except ModelUnavailableError as error:
                dense_note = str(error)
        if embedder is None:
            log.warning(
                "dense retrieval is off, answering from lexical retrieval alone: %s",
                dense_note or "no dense vectors in the index",
            )
        retriever = Retriever(
            chunks=stored.chunks,
            tokenizer=tokenizer,
            lexical=stored.lexical,
            dense=stored.dense if embedder is not None else None,
            embedder=embedder,
            fusion=settings.fusion if embedder is not None else FusionMethod.LEXICAL,
        )
        if answerer is None:
            answerer = build_answerer(reader=settings.reader, tokenizer=tokenizer)
        return cls(
            stored=stored,
            retriever=retriever,
            answerer=answerer,
            settings=settings,
            dense_note=dense_note,
        )

    def search(self, query: str, *, k: int) -> list[Hit]:
        """Return the top ``k`` chunks for ``query``, the one holding the answer first."""
        query = validate_question(query, max_chars=self._settings.max_question_chars)
        if not 1 <= k <= SEARCH_MAX_K:
            raise BadQuestionError(f"k must be between 1 and {SEARCH_MAX_K}, got {k}")
        hits = self._retriever.search(query, k=max(k, self._settings.top_k))
        # reader re-ranking (as in DrQA): the passage the answerer quotes goes first
        answer = self._answerer.answer(question=query, hits=hits)
        return _promote_cited(hits, answer)[:k]

    def retrieve(self, question: str, *, history: Sequence[str] = ()) -> list[Hit]:
        """Return the hits the answerer reads for ``question`` (after the last user turns)."""
        hits = self._retriever.search(question, k=self._settings.top_k)
        if history:
            # a follow-up ("总投资额呢？") leans on the previous question for its subject
            context = self._retriever.search(f"{history[-1]} {question}", k=self._settings.top_k)
            hits = _merge_hits(context, hits, k=self._settings.top_k)
        return hits

    def ask(self, question: str, *, history: Sequence[str] = ()) -> Answer:
        """Answer ``question``; earlier user turns in ``history`` give follow-ups their context."""
        question = validate_question(question, max_chars=self._settings.max_question_chars)
        started = time.perf_counter()
        hits = self.retrieve(question, history=history)
        retrieved = time.perf_counter()
        answer = self._answerer.answer(question=question, hits=hits, history=tuple(history))
        answered = time.perf_counter()
        answer.timings_ms.update(
            retrieve=(retrieved - started) * 1000, answer=(answered - retrieved) * 1000
        )
        return answer

    def document(self, source: str) -> Document:
        """Return a source's raw text and article spans; KeyError when unknown."""
        return self._stored.document(source)

    def health(self) -> Health:
        """Describe the loaded index."""
        manifest = self._stored.manifest
        return Health(
            index_dir=str(self._stored.index_dir),
            built_at=manifest.built_at,
            sources=manifest.sources,
            articles=manifest.articles,
            chunks=manifest.chunks,
            dense=self._retriever.dense_enabled,
            model=manifest.model,
            dense_note=None if self._retriever.dense_enabled else self._dense_note,
        )


def _renumber(hits: Iterable[Hit]) -> list[Hit]:
    """Return ``hits`` with ranks 1, 2, … in their new order."""
    return [replace(hit, rank=rank) for rank, hit in enumerate(hits, start=1)]


def _promote_cited(hits: list[Hit], answer: Answer) -> list[Hit]:
    """Move the hit that holds the answer's first citation to the top."""
    if answer.text is None or not answer.citations:
        return hits
    cited = answer.citations[0]
    holder = next(
        (
            h
            for h in hits
            if h.chunk.source == cited.source
            and h.chunk.start <= cited.start
            and cited.end <= h.chunk.end
        ),
        None,
    )
    if holder is None or holder.rank == 1:
        return hits
    return _renumber([holder, *(h for h in hits if h is not holder)])


def _merge_hits(first: list[Hit], second: list[Hit], *, k: int) -> list[Hit]:
    """Interleave two rankings without repeats, keeping the top ``k``."""
    merged: dict[str, Hit] = {}
    for hit in itertools.chain.from_iterable(itertools.zip_longest(first, second)):
        if hit is not None and hit.chunk.id not in merged:
            merged[hit.chunk.id] = hit
    return _renumber(list(merged.values())[:k])
