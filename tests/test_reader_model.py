"""The span reader's mechanics: training lowers the loss, weights round-trip with a hash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import torch

from qa.e5 import E5Tokenizer, E5Weights, load_e5
from qa.encoder import E5Encoder
from qa.errors import ModelUnavailableError
from qa.reader.data import LabelledWindow, MrcExample, _label
from qa.reader.model import (
    SHIPPED_WEIGHTS,
    SpanReaderModel,
    batch_tensors,
    load_reader_model,
    save_reader_weights,
)
from qa.reader.train import train_step
from qa.reader.windows import make_windows

pytestmark = pytest.mark.slow

CONTEXT = (
    "截至7月底，山西累计建成5G基站11.5万个，每万人拥有33个。全省算力中心机架规模达51.4万标准机架。"
)


@pytest.fixture(scope="module")
def weights() -> E5Weights:
    return load_e5()


def _windows(weights: E5Weights) -> list[LabelledWindow]:
    tokenizer = E5Tokenizer(weights=weights)
    out = []
    for question, answer in [("山西有多少5G基站？", "11.5万个"), ("每万人拥有多少基站？", "33个")]:
        start = CONTEXT.index(answer)
        example = MrcExample(
            id=question,
            question=question,
            context=CONTEXT,
            answer_start=start,
            answer_end=start + len(answer),
            group="test:0",
            answers=(answer,),
        )
        window = make_windows(tokenizer=tokenizer, question=question, passage=CONTEXT)[0]
        out.append(_label(window, example))
    return out


def test_labels_point_at_the_answer_tokens(weights: E5Weights) -> None:
    for item in _windows(weights):
        assert item.start > 0 and item.end >= item.start
        text = CONTEXT[item.window.char_starts[item.start] : item.window.char_ends[item.end]]
        assert text in ("11.5万个", "33个")


def test_training_lowers_the_loss_on_a_tiny_set(weights: E5Weights) -> None:
    torch.manual_seed(0)
    model = SpanReaderModel(encoder=E5Encoder(weights=weights), trained_from=10)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-3)
    batch = _windows(weights)
    losses = [train_step(model=model, optimizer=optimizer, batch=batch) for _ in range(6)]
    assert losses[-1] < losses[0] * 0.7


def test_only_the_upper_layers_and_head_train(weights: E5Weights) -> None:
    model = SpanReaderModel(encoder=E5Encoder(weights=weights), trained_from=6)
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    assert "head.weight" in trainable and "encoder.layers.6.q.weight" in trainable
    assert "encoder.layers.5.q.weight" not in trainable
    assert set(model.trained_state()) >= trainable


def test_weights_round_trip_and_reading_is_deterministic(
    weights: E5Weights, tmp_path: Path
) -> None:
    model = SpanReaderModel(encoder=E5Encoder(weights=weights), trained_from=11).eval()
    path = tmp_path / "reader.npz"
    save_reader_weights(model, path=path, meta={"steps": 0})
    loaded = load_reader_model(path=path, weights=weights)
    ids, mask, allowed = batch_tensors([w.window for w in _windows(weights)])
    with torch.no_grad():
        first = loaded(ids, mask, allowed)
        second = loaded(ids, mask, allowed)
        original = model(ids, mask, allowed)
    assert torch.equal(first[0], second[0])
    finite = torch.isfinite(original[0])
    assert torch.allclose(first[0][finite], original[0][finite], atol=0.05)  # fp16 storage
    assert torch.isinf(first[0][0, 1])  # question tokens can never start an answer


def test_damaged_or_missing_weights_are_a_clear_error(tmp_path: Path, weights: E5Weights) -> None:
    with pytest.raises(ModelUnavailableError, match="missing"):
        load_reader_model(path=tmp_path / "absent.npz", weights=weights)
    copy = tmp_path / "reader.npz"
    shutil.copy(SHIPPED_WEIGHTS, copy)
    shutil.copy(SHIPPED_WEIGHTS.with_suffix(".json"), copy.with_suffix(".json"))
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    with pytest.raises(ModelUnavailableError, match="damaged"):
        load_reader_model(path=copy, weights=weights)


def test_training_resumes_from_its_checkpoint(tmp_path: Path) -> None:
    import json

    from qa.reader.train import TrainConfig, train_reader

    qas = [
        {"id": f"q{i}", "question": q, "answers": [{"text": a, "answer_start": CONTEXT.index(a)}]}
        for i, (q, a) in enumerate([("山西有多少5G基站？", "11.5万个"), ("每万人多少个？", "33个")])
    ]
    data = tmp_path / "tiny.json"
    articles = [{"title": "t", "paragraphs": [{"context": CONTEXT, "qas": qas}]}]
    data.write_text(json.dumps({"data": articles}, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "run"

    def config(steps: int) -> TrainConfig:
        return TrainConfig(
            data=(),
            extra_data=(data,),
            out=out,
            steps=steps,
            batch_size=2,
            warmup_steps=1,
            checkpoint_every=1,
            log_every=1,
        )

    train_reader(config(2))
    weights = train_reader(config(3))
    log = [json.loads(line) for line in (out / "train.log.jsonl").read_text().splitlines()]
    starts = [r["step"] for r in log if r["event"] == "start"]
    assert starts == [0, 2]  # the second run picked up where the first stopped
    assert [r["step"] for r in log if r["event"] == "checkpoint"] == [1, 2, 3]
    assert load_reader_model(path=weights).trained_from == 6
