"""Write and read the index directory atomically, with a manifest for staleness checks.

Layout::

    <index_dir>/manifest.json          names the current generation
    <index_dir>/gen-<time>-<random>/   one complete build
        chunks.jsonl  articles.json  sources/<name>  bm25.npz  [dense.faiss]

A build writes a whole new generation and fsyncs it, then replaces ``manifest.json`` with
``os.replace``; only then are older generations deleted. A build that dies at any point
before the replace leaves the previous index untouched and served.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from qa.dense import DenseIndex
from qa.errors import IndexError_, IndexMissingError, IndexStaleError, SeedError
from qa.ingest import CORPUS_SUFFIXES
from qa.lexical import BM25Index
from qa.records import Article, Chunk, OffsetMap, SourceDoc
from qa.service import ArticleSpan, Document

__all__ = [
    "FORMAT_VERSION",
    "MANIFEST",
    "CorpusFile",
    "IndexedArticle",
    "Manifest",
    "StoredIndex",
    "check_fresh",
    "corpus_files",
    "corpus_hash",
    "load_index",
    "read_manifest",
    "write_index",
]

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_GENERATION_PREFIX = "gen-"
_CHUNKS = "chunks.jsonl"
_ARTICLES = "articles.json"
_SOURCES = "sources"
_BM25 = "bm25.npz"
_DENSE = "dense.faiss"


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """One corpus file as the build saw it."""

    name: str
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """What ``manifest.json`` records about the current generation."""

    format: int
    generation: str  # directory name under the index dir
    built_at: str  # ISO 8601, UTC
    seeds_dir: str
    seeds_hash: str  # corpus_hash() of the files below
    files: tuple[CorpusFile, ...]
    sources: int
    articles: int
    chunks: int
    model: str  # the configured embedding model
    dense: bool
    dim: int | None
    dense_note: str | None  # why dense retrieval is off, in plain words
    tokenizer_hash: str


@dataclass(frozen=True, slots=True)
class IndexedArticle:
    """Where one article sits in its raw source file."""

    id: str
    source: str
    title: str | None
    date: str | None
    start: int
    end: int

    @classmethod
    def from_article(cls, article: Article) -> IndexedArticle:
        """Return the raw span of ``article``'s clean text."""
        if article.offsets.length == 0:
            raise ValueError(f"article {article.id} has no text")
        start, end = article.offsets.raw_span(0, article.offsets.length)
        return cls(article.id, article.source, article.title, article.date, start, end)

    def span(self) -> ArticleSpan:
        """Return the service's view of this article."""
        return ArticleSpan(self.id, self.title, self.date, self.start, self.end)


@dataclass(frozen=True, slots=True)
class StoredIndex:
    """Everything one generation holds, loaded and checked."""

    index_dir: Path
    manifest: Manifest
    chunks: tuple[Chunk, ...]
    articles: tuple[IndexedArticle, ...]
    sources: Mapping[str, str]  # file name -> raw text, exactly as offsets index it
    lexical: BM25Index
    dense: DenseIndex | None

    def document(self, source: str) -> Document:
        """Return a source's raw text and its article spans; KeyError when unknown."""
        raw = self.sources[source]
        spans = tuple(a.span() for a in self.articles if a.source == source)
        return Document(source=source, raw=raw, articles=spans)


def corpus_hash(*, files: Sequence[tuple[str, bytes]]) -> str:
    """Return a sha256 over the sorted ``(file name, bytes)`` pairs."""
    digest = hashlib.sha256()
    for name, data in sorted(files, key=lambda pair: pair[0]):
        encoded = name.encode("utf-8")
        # Length prefixes keep ("ab", "c") and ("a", "bc") apart.
        digest.update(len(encoded).to_bytes(8, "big"))
        digest.update(encoded)
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def corpus_files(*, seeds_dir: Path) -> list[tuple[str, bytes]]:
    """Return ``(name, bytes)`` of every corpus file in ``seeds_dir``, by name."""
    if not seeds_dir.is_dir():
        raise SeedError(f"corpus folder {seeds_dir} does not exist; set QA_SEEDS_DIR or --seeds")
    return [
        (path.name, path.read_bytes())
        for path in sorted(seeds_dir.iterdir())
        if path.is_file() and path.suffix.lower() in CORPUS_SUFFIXES
    ]


# ---------------------------------------------------------------- writing


def write_index(
    *,
    index_dir: Path,
    seeds_dir: Path,
    files: Sequence[tuple[str, bytes]],
    sources: Sequence[SourceDoc],
    articles: Sequence[Article],
    chunks: Sequence[Chunk],
    lexical: BM25Index,
    dense: DenseIndex | None,
    model: str,
    dense_note: str | None,
    tokenizer_hash: str,
) -> Manifest:
    """Write a new generation, switch ``manifest.json`` to it, then delete older generations.

    ``files`` are all corpus files the build looked at (including any it skipped), so a
    later change to any of them makes the index stale; ``sources`` are the ones indexed.
    """
    _check_pieces(sources=sources, chunks=chunks, lexical=lexical, dense=dense)
    index_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    generation = f"{_GENERATION_PREFIX}{now:%Y%m%dT%H%M%S%f}Z-{secrets.token_hex(4)}"
    manifest = Manifest(
        format=FORMAT_VERSION,
        generation=generation,
        built_at=now.isoformat(timespec="seconds"),
        seeds_dir=str(seeds_dir),
        seeds_hash=corpus_hash(files=files),
        files=tuple(
            CorpusFile(name, hashlib.sha256(data).hexdigest())
            for name, data in sorted(files, key=lambda pair: pair[0])
        ),
        sources=len(sources),
        articles=len(articles),
        chunks=len(chunks),
        model=model,
        dense=dense is not None,
        dim=None if dense is None else dense.dim,
        dense_note=dense_note,
        tokenizer_hash=tokenizer_hash,
    )
    gen_dir = index_dir / generation
    try:
        gen_dir.mkdir()
        _write_generation(
            gen_dir=gen_dir,
            sources=sources,
            articles=articles,
            chunks=chunks,
            lexical=lexical,
            dense=dense,
        )
        tmp = index_dir / f"{MANIFEST}.tmp"
        _write_bytes(tmp, _dump_json(_manifest_to_json(manifest)))
        _publish(tmp, index_dir / MANIFEST)
    except BaseException:
        shutil.rmtree(gen_dir, ignore_errors=True)
        raise
    _fsync_dir(index_dir)
    _remove_older_generations(index_dir=index_dir, current=generation)
    return manifest


def _check_pieces(
    *,
    sources: Sequence[SourceDoc],
    chunks: Sequence[Chunk],
    lexical: BM25Index,
    dense: DenseIndex | None,
) -> None:
    """Refuse to write pieces that do not fit together."""
    if len(lexical) != len(chunks):
        raise ValueError(f"BM25 index holds {len(lexical)} documents for {len(chunks)} chunks")
    if dense is not None and len(dense) != len(chunks):
        raise ValueError(f"dense index holds {len(dense)} vectors for {len(chunks)} chunks")
    raws = {}
    for doc in sources:
        if doc.name in raws or Path(doc.name).name != doc.name or doc.name in {"", ".", ".."}:
            raise ValueError(f"source name {doc.name!r} is repeated or not a plain file name")
        raws[doc.name] = doc.raw
    for chunk in chunks:
        raw = raws.get(chunk.source)
        if raw is None or raw[chunk.start : chunk.end] != chunk.quote:
            raise ValueError(f"chunk {chunk.id} does not quote its source {chunk.source!r}")


def _write_generation(
    *,
    gen_dir: Path,
    sources: Sequence[SourceDoc],
    articles: Sequence[Article],
    chunks: Sequence[Chunk],
    lexical: BM25Index,
    dense: DenseIndex | None,
) -> None:
    """Write and fsync every file of one generation."""
    sources_dir = gen_dir / _SOURCES
    sources_dir.mkdir()
    for doc in sources:
        # The raw text exactly as ingest read it: offsets index this string.
        _write_bytes(sources_dir / doc.name, doc.raw.encode("utf-8"))
    _fsync_dir(sources_dir)
    lines = [json.dumps(_chunk_to_json(c), ensure_ascii=False) + "\n" for c in chunks]
    _write_bytes(gen_dir / _CHUNKS, "".join(lines).encode("utf-8"))
    spans = [_article_to_json(IndexedArticle.from_article(a)) for a in articles]
    _write_bytes(gen_dir / _ARTICLES, _dump_json(spans))
    lexical.save(gen_dir / _BM25)
    _fsync_file(gen_dir / _BM25)
    if dense is not None:
        dense.save(gen_dir / _DENSE)
        _fsync_file(gen_dir / _DENSE)
    _fsync_dir(gen_dir)


def _publish(tmp: Path, target: Path) -> None:
    """Atomically make ``tmp`` the new ``target``."""
    os.replace(tmp, target)


def _remove_older_generations(*, index_dir: Path, current: str) -> None:
    """Delete generations older than ``current``, including ones left by crashed builds."""
    for path in index_dir.iterdir():
        name = path.name
        if path.is_dir() and name.startswith(_GENERATION_PREFIX) and name < current:
            shutil.rmtree(path, ignore_errors=True)


def _write_bytes(path: Path, data: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _dump_json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# ---------------------------------------------------------------- reading


def load_index(*, index_dir: Path) -> StoredIndex:
    """Load the generation ``manifest.json`` names, checking that its pieces fit together."""
    manifest = read_manifest(index_dir=index_dir)
    try:
        return _load_generation(index_dir=index_dir, manifest=manifest)
    except IndexError_:
        # A concurrent build may have switched generations and deleted ours: try the new one.
        latest = read_manifest(index_dir=index_dir)
        if latest.generation == manifest.generation:
            raise
        return _load_generation(index_dir=index_dir, manifest=latest)


def read_manifest(*, index_dir: Path) -> Manifest:
    """Read ``manifest.json`` of ``index_dir``."""
    path = index_dir / MANIFEST
    if not path.is_file():
        raise IndexMissingError(f"no index at {index_dir}; run `qa build`")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        manifest = _manifest_from_json(data)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise _corrupt(index_dir, f"{MANIFEST} is unreadable ({error})") from error
    if manifest.format != FORMAT_VERSION:
        raise _corrupt(index_dir, f"format {manifest.format} is not the supported {FORMAT_VERSION}")
    return manifest


def _load_generation(*, index_dir: Path, manifest: Manifest) -> StoredIndex:
    gen_dir = index_dir / manifest.generation
    if not gen_dir.is_dir():
        raise _corrupt(index_dir, f"generation {manifest.generation} is missing")
    try:
        sources = {
            path.name: path.read_bytes().decode("utf-8")
            for path in sorted((gen_dir / _SOURCES).iterdir())
        }
        with (gen_dir / _CHUNKS).open("rb") as handle:
            chunks = tuple(_chunk_from_json(json.loads(line)) for line in handle if line.strip())
        articles = tuple(
            _article_from_json(a) for a in json.loads((gen_dir / _ARTICLES).read_bytes())
        )
        lexical = BM25Index.load(gen_dir / _BM25)
        dense = DenseIndex.load(gen_dir / _DENSE) if manifest.dense else None
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
        raise _corrupt(index_dir, f"generation {manifest.generation}: {error}") from error
    problem = _mismatch(
        manifest=manifest, sources=sources, chunks=chunks, lexical=lexical, dense=dense
    )
    if problem:
        raise _corrupt(index_dir, f"generation {manifest.generation}: {problem}")
    return StoredIndex(
        index_dir=index_dir,
        manifest=manifest,
        chunks=chunks,
        articles=articles,
        sources=MappingProxyType(sources),
        lexical=lexical,
        dense=dense,
    )


def _mismatch(
    *,
    manifest: Manifest,
    sources: Mapping[str, str],
    chunks: Sequence[Chunk],
    lexical: BM25Index,
    dense: DenseIndex | None,
) -> str | None:
    """Return what does not fit in a loaded generation, or None."""
    if len(chunks) != manifest.chunks:
        return f"{len(chunks)} chunks, manifest says {manifest.chunks}"
    if len(sources) != manifest.sources:
        return f"{len(sources)} sources, manifest says {manifest.sources}"
    if len(lexical) != len(chunks):
        return f"BM25 index holds {len(lexical)} documents for {len(chunks)} chunks"
    if dense is not None and (len(dense) != len(chunks) or dense.dim != manifest.dim):
        return f"dense index is {len(dense)} x {dense.dim}, expected {len(chunks)} x {manifest.dim}"
    for chunk in chunks:
        raw = sources.get(chunk.source)
        if raw is None or raw[chunk.start : chunk.end] != chunk.quote:
            return f"chunk {chunk.id} does not match its source {chunk.source!r}"
    return None


def _corrupt(index_dir: Path, what: str) -> IndexError_:
    return IndexError_(f"index at {index_dir} cannot be used: {what}; rebuild it with `qa build`")


# ---------------------------------------------------------------- staleness


def check_fresh(
    *,
    manifest: Manifest,
    seeds_dir: Path,
    model: str,
    tokenizer_hash: str | None = None,
) -> None:
    """Raise IndexStaleError when the corpus, the model or the tokenizer changed since the build."""
    on_disk = {
        name: hashlib.sha256(data).hexdigest() for name, data in corpus_files(seeds_dir=seeds_dir)
    }
    indexed = {f.name: f.sha256 for f in manifest.files}
    added = sorted(on_disk.keys() - indexed.keys())
    removed = sorted(indexed.keys() - on_disk.keys())
    changed = sorted(n for n in on_disk.keys() & indexed.keys() if on_disk[n] != indexed[n])
    if added or removed or changed:
        parts = [
            f"{label}: {', '.join(names)}"
            for label, names in (("added", added), ("removed", removed), ("changed", changed))
            if names
        ]
        raise IndexStaleError(
            f"the corpus in {seeds_dir} changed since the index was built "
            f"({'; '.join(parts)}); run `qa build`"
        )
    if manifest.dense and model != manifest.model:
        raise IndexStaleError(
            f"the index was built with embedding model {manifest.model!r} but the configured "
            f"model is {model!r}; run `qa build`, or set QA_EMBEDDING_MODEL={manifest.model}"
        )
    if tokenizer_hash is not None and tokenizer_hash != manifest.tokenizer_hash:
        raise IndexStaleError(
            "the tokenizer dictionary changed since the index was built; run `qa build`"
        )


# ---------------------------------------------------------------- JSON forms


def _manifest_to_json(manifest: Manifest) -> dict[str, Any]:
    return {
        "format": manifest.format,
        "generation": manifest.generation,
        "built_at": manifest.built_at,
        "seeds_dir": manifest.seeds_dir,
        "seeds_hash": manifest.seeds_hash,
        "files": [{"name": f.name, "sha256": f.sha256} for f in manifest.files],
        "counts": {
            "sources": manifest.sources,
            "articles": manifest.articles,
            "chunks": manifest.chunks,
        },
        "model": manifest.model,
        "dense": manifest.dense,
        "dim": manifest.dim,
        "dense_note": manifest.dense_note,
        "tokenizer_hash": manifest.tokenizer_hash,
    }


def _manifest_from_json(data: dict[str, Any]) -> Manifest:
    counts = data["counts"]
    return Manifest(
        format=int(data["format"]),
        generation=_plain_name(str(data["generation"])),
        built_at=str(data["built_at"]),
        seeds_dir=str(data["seeds_dir"]),
        seeds_hash=str(data["seeds_hash"]),
        files=tuple(CorpusFile(str(f["name"]), str(f["sha256"])) for f in data["files"]),
        sources=int(counts["sources"]),
        articles=int(counts["articles"]),
        chunks=int(counts["chunks"]),
        model=str(data["model"]),
        dense=bool(data["dense"]),
        dim=None if data["dim"] is None else int(data["dim"]),
        dense_note=None if data["dense_note"] is None else str(data["dense_note"]),
        tokenizer_hash=str(data["tokenizer_hash"]),
    )


def _plain_name(name: str) -> str:
    if not name.startswith(_GENERATION_PREFIX) or Path(name).name != name:
        raise ValueError(f"bad generation name {name!r}")
    return name


def _chunk_to_json(chunk: Chunk) -> dict[str, Any]:
    return {
        "id": chunk.id,
        "source": chunk.source,
        "article_id": chunk.article_id,
        "title": chunk.title,
        "date": chunk.date,
        "text": chunk.text,
        "start": chunk.start,
        "end": chunk.end,
        "quote": chunk.quote,
        "offsets": chunk.offsets.to_json(),
    }


def _chunk_from_json(data: dict[str, Any]) -> Chunk:
    return Chunk(
        id=data["id"],
        source=data["source"],
        article_id=data["article_id"],
        title=data["title"],
        date=data["date"],
        text=data["text"],
        start=int(data["start"]),
        end=int(data["end"]),
        quote=data["quote"],
        offsets=OffsetMap.from_json(data["offsets"]),
    )


def _article_to_json(article: IndexedArticle) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "title": article.title,
        "date": article.date,
        "start": article.start,
        "end": article.end,
    }


def _article_from_json(data: dict[str, Any]) -> IndexedArticle:
    return IndexedArticle(
        id=data["id"],
        source=data["source"],
        title=data["title"],
        date=data["date"],
        start=int(data["start"]),
        end=int(data["end"]),
    )
