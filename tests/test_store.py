"""Tests for qa.store: atomic generations, round trips with exact offsets, staleness."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from qa.dense import DenseIndex
from qa.errors import IndexError_, IndexMissingError, IndexStaleError
from qa.lexical import BM25Index
from qa.records import Article, Chunk, OffsetMap, SourceDoc
from qa.service import ArticleSpan
from qa.store import (
    FORMAT_VERSION,
    MANIFEST,
    Manifest,
    check_fresh,
    corpus_files,
    corpus_hash,
    load_index,
    write_index,
)

RAW_A = "山西日报\n\n本报太原讯 全省已建成5G基\n站8.6万个。\n\n今年6月为7.9万个。\n"
RAW_B = "晋中市12345热线\n受理诉求31274件。\n"
MODEL = "fake/model"
TOKENIZER_HASH = "tok-1"


def _chunk(source: str, raw: str, quote: str, chunk_id: str) -> Chunk:
    start = raw.index(quote)
    positions = [start + i for i, ch in enumerate(quote) if ch != "\n"]
    return Chunk(
        id=chunk_id,
        source=source,
        article_id=f"{source}#0",
        title="标题" if source == "a.txt" else None,
        date="2024-11-04",
        text=quote.replace("\n", ""),
        start=start,
        end=start + len(quote),
        quote=quote,
        offsets=OffsetMap.from_positions(positions),
    )


def _article(source: str, raw: str, body: str) -> Article:
    start = raw.index(body)
    positions = [start + i for i, ch in enumerate(body) if ch != "\n"]
    return Article(
        id=f"{source}#0",
        source=source,
        index=0,
        title="标题",
        date="2024-11-04",
        place="太原",
        reporter=None,
        text=body.replace("\n", ""),
        offsets=OffsetMap.from_positions(positions),
    )


@dataclass
class Corpus:
    seeds_dir: Path
    index_dir: Path
    sources: list[SourceDoc]
    articles: list[Article]
    chunks: list[Chunk]

    def write(self, *, dense: bool = True, model: str = MODEL) -> Manifest:
        vectors = np.eye(len(self.chunks), 4, dtype=np.float32)
        return write_index(
            index_dir=self.index_dir,
            seeds_dir=self.seeds_dir,
            files=corpus_files(seeds_dir=self.seeds_dir),
            sources=self.sources,
            articles=self.articles,
            chunks=self.chunks,
            lexical=BM25Index.build(documents=[list(c.text) for c in self.chunks]),
            dense=DenseIndex.build(vectors=vectors) if dense else None,
            model=model,
            dense_note=None if dense else "the embedding model is not available offline",
            tokenizer_hash=TOKENIZER_HASH,
        )


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_bytes(RAW_A.encode("utf-8"))
    (seeds / "b.txt").write_bytes(RAW_B.encode("utf-8"))
    (seeds / "notes.csv").write_text("not a corpus file", encoding="utf-8")
    chunks = [
        _chunk("a.txt", RAW_A, "全省已建成5G基\n站8.6万个。", "c0"),
        _chunk("a.txt", RAW_A, "今年6月为7.9万个。", "c1"),
        _chunk("b.txt", RAW_B, "晋中市12345热线\n受理诉求31274件。", "c2"),
    ]
    articles = [
        _article("a.txt", RAW_A, "本报太原讯 全省已建成5G基\n站8.6万个。\n\n今年6月为7.9万个。"),
        _article("b.txt", RAW_B, "晋中市12345热线\n受理诉求31274件。"),
    ]
    sources = [SourceDoc("a.txt", RAW_A), SourceDoc("b.txt", RAW_B)]
    return Corpus(seeds, tmp_path / "index", sources, articles, chunks)


def _generations(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-"))


def test_round_trip_keeps_chunks_and_exact_offsets(corpus: Corpus) -> None:
    corpus.write()
    stored = load_index(index_dir=corpus.index_dir)
    assert stored.chunks == tuple(corpus.chunks)
    first = stored.chunks[0]
    assert first.text == "全省已建成5G基站8.6万个。"
    start, end = first.raw_span(first.text.index("5G基站"), first.text.index("8.6") + 3)
    assert stored.sources["a.txt"][start:end] == "5G基\n站8.6"
    assert first.quote_of(start, end) == "5G基\n站8.6"
    assert stored.sources == {"a.txt": RAW_A, "b.txt": RAW_B}
    assert stored.lexical.search(query=list("热线"), k=3)[0][0] == 2
    assert stored.dense is not None and stored.dense.dim == 4 and len(stored.dense) == 3


def test_articles_and_documents(corpus: Corpus) -> None:
    corpus.write()
    stored = load_index(index_dir=corpus.index_dir)
    a_start = RAW_A.index("本报")
    assert [(a.id, a.source, a.start, a.end) for a in stored.articles] == [
        ("a.txt#0", "a.txt", a_start, RAW_A.rindex("。") + 1),
        ("b.txt#0", "b.txt", 0, len(RAW_B) - 1),
    ]
    document = stored.document("b.txt")
    assert document.raw == RAW_B
    assert document.articles == (ArticleSpan("b.txt#0", "标题", "2024-11-04", 0, len(RAW_B) - 1),)
    with pytest.raises(KeyError):
        stored.document("missing.txt")


def test_manifest_contents(corpus: Corpus) -> None:
    manifest = corpus.write()
    data = json.loads((corpus.index_dir / MANIFEST).read_text(encoding="utf-8"))
    assert data["format"] == FORMAT_VERSION
    assert data["generation"] == manifest.generation
    assert (corpus.index_dir / manifest.generation / "dense.faiss").is_file()
    assert data["seeds_dir"] == str(corpus.seeds_dir)
    assert data["seeds_hash"] == corpus_hash(
        files=[("b.txt", RAW_B.encode()), ("a.txt", RAW_A.encode())]
    )
    assert [f["name"] for f in data["files"]] == ["a.txt", "b.txt"]
    assert data["counts"] == {"sources": 2, "articles": 2, "chunks": 3}
    assert (data["model"], data["dense"], data["dim"], data["dense_note"]) == (MODEL, True, 4, None)
    assert data["tokenizer_hash"] == TOKENIZER_HASH
    assert data["built_at"].endswith("+00:00")
    assert load_index(index_dir=corpus.index_dir).manifest == manifest


def test_lexical_only_index_has_no_dense_file(corpus: Corpus) -> None:
    manifest = corpus.write(dense=False)
    assert (manifest.dense, manifest.dim) == (False, None)
    assert manifest.dense_note == "the embedding model is not available offline"
    assert not (corpus.index_dir / manifest.generation / "dense.faiss").exists()
    assert load_index(index_dir=corpus.index_dir).dense is None


def test_corpus_hash_depends_on_names_and_bytes() -> None:
    base = corpus_hash(files=[("a.txt", b"x"), ("b.txt", b"y")])
    assert base == corpus_hash(files=[("b.txt", b"y"), ("a.txt", b"x")])
    assert base != corpus_hash(files=[("a.txt", b"x"), ("b.txt", b"z")])
    assert base != corpus_hash(files=[("a.txt", b"x"), ("c.txt", b"y")])
    assert corpus_hash(files=[("ab", b"c")]) != corpus_hash(files=[("a", b"bc")])


def test_fresh_index_passes(corpus: Corpus) -> None:
    manifest = corpus.write()
    check_fresh(manifest=manifest, seeds_dir=corpus.seeds_dir, model=MODEL)
    (corpus.seeds_dir / "ignored.csv").write_text("still not corpus", encoding="utf-8")
    check_fresh(manifest=manifest, seeds_dir=corpus.seeds_dir, model=MODEL)


def test_changed_file_is_stale(corpus: Corpus) -> None:
    manifest = corpus.write()
    (corpus.seeds_dir / "b.txt").write_text(RAW_B + "更正\n", encoding="utf-8")
    with pytest.raises(IndexStaleError, match=r"changed: b\.txt"):
        check_fresh(manifest=manifest, seeds_dir=corpus.seeds_dir, model=MODEL)


def test_added_file_is_stale(corpus: Corpus) -> None:
    manifest = corpus.write()
    (corpus.seeds_dir / "c.md").write_text("新稿件", encoding="utf-8")
    with pytest.raises(IndexStaleError, match=r"added: c\.md"):
        check_fresh(manifest=manifest, seeds_dir=corpus.seeds_dir, model=MODEL)


def test_removed_file_is_stale(corpus: Corpus) -> None:
    manifest = corpus.write()
    (corpus.seeds_dir / "a.txt").unlink()
    with pytest.raises(IndexStaleError, match=r"removed: a\.txt"):
        check_fresh(manifest=manifest, seeds_dir=corpus.seeds_dir, model=MODEL)


def test_changed_model_is_stale_only_with_dense_vectors(corpus: Corpus) -> None:
    manifest = corpus.write()
    with pytest.raises(IndexStaleError, match="other/model"):
        check_fresh(manifest=manifest, seeds_dir=corpus.seeds_dir, model="other/model")
    lexical_only = corpus.write(dense=False)
    check_fresh(manifest=lexical_only, seeds_dir=corpus.seeds_dir, model="other/model")


def test_changed_tokenizer_is_stale(corpus: Corpus) -> None:
    manifest = corpus.write()
    check_fresh(
        manifest=manifest, seeds_dir=corpus.seeds_dir, model=MODEL, tokenizer_hash=TOKENIZER_HASH
    )
    with pytest.raises(IndexStaleError, match="tokenizer"):
        check_fresh(
            manifest=manifest, seeds_dir=corpus.seeds_dir, model=MODEL, tokenizer_hash="tok-2"
        )


def test_missing_index(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match=r"no index at .*; run `qa build`"):
        load_index(index_dir=tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(IndexMissingError):
        load_index(index_dir=tmp_path / "empty")


def test_corrupt_manifest(corpus: Corpus) -> None:
    corpus.write()
    (corpus.index_dir / MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexError_, match=r"manifest\.json is unreadable") as caught:
        load_index(index_dir=corpus.index_dir)
    assert not isinstance(caught.value, IndexMissingError)
    assert "qa build" in str(caught.value)


def test_corrupt_generation(corpus: Corpus) -> None:
    manifest = corpus.write()
    (corpus.index_dir / manifest.generation / "bm25.npz").write_bytes(b"garbage")
    with pytest.raises(IndexError_, match="rebuild"):
        load_index(index_dir=corpus.index_dir)


def test_chunk_that_no_longer_quotes_its_source_is_corrupt(corpus: Corpus) -> None:
    manifest = corpus.write()
    (corpus.index_dir / manifest.generation / "sources" / "b.txt").write_text("x", encoding="utf-8")
    with pytest.raises(IndexError_, match="does not match its source"):
        load_index(index_dir=corpus.index_dir)


def test_crash_while_writing_keeps_the_old_index(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = corpus.write()

    def crash(self: BM25Index, path: Path) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(BM25Index, "save", crash)
    corpus.chunks = corpus.chunks[:2]
    with pytest.raises(RuntimeError, match="disk on fire"):
        corpus.write()
    stored = load_index(index_dir=corpus.index_dir)
    assert stored.manifest == old
    assert len(stored.chunks) == 3
    assert _generations(corpus.index_dir) == [old.generation]


def test_crash_before_the_manifest_switch_keeps_the_old_index(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = corpus.write()

    def crash(tmp: Path, target: Path) -> None:
        raise OSError("killed before os.replace")

    monkeypatch.setattr("qa.store._publish", crash)
    with pytest.raises(OSError, match="killed"):
        corpus.write(dense=False)
    assert load_index(index_dir=corpus.index_dir).manifest == old


def test_leftovers_of_a_killed_build_are_ignored_then_cleaned(corpus: Corpus) -> None:
    old = corpus.write()
    dead = corpus.index_dir / "gen-00000000T000000000000Z-dead"
    dead.mkdir()
    (dead / "chunks.jsonl").write_text("{half a line", encoding="utf-8")
    (corpus.index_dir / f"{MANIFEST}.tmp").write_text("{half", encoding="utf-8")
    assert load_index(index_dir=corpus.index_dir).manifest == old
    new = corpus.write()
    assert _generations(corpus.index_dir) == [new.generation]
    assert load_index(index_dir=corpus.index_dir).manifest == new


def test_old_generations_are_removed(corpus: Corpus) -> None:
    first = corpus.write()
    second = corpus.write(dense=False)
    assert first.generation != second.generation
    assert _generations(corpus.index_dir) == [second.generation]
    assert not (corpus.index_dir / f"{MANIFEST}.tmp").exists()
    assert load_index(index_dir=corpus.index_dir).manifest == second


def test_pieces_that_do_not_fit_are_refused(corpus: Corpus) -> None:
    corpus.chunks = [*corpus.chunks[:2], _chunk("zzz.txt", RAW_B, "受理诉求", "c9")]
    with pytest.raises(ValueError, match="does not quote"):
        corpus.write()
    assert not corpus.index_dir.exists() or _generations(corpus.index_dir) == []
