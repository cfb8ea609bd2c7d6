"""The Reader protocol and the trained span reader behind it.

``NeuralReader.read`` turns a question and retrieved hits into span proposals whose scores
are comparable across chunks: each is the span's start+end logit minus the no-answer logit
of its own window, so a score above 0 means the model prefers this span to "not here".
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from qa.records import Hit, SpanProposal

__all__ = ["NeuralReader", "Reader", "load_reader"]

READ_BATCH = 16  # windows per forward pass: bounds memory on long hit lists


class Reader(Protocol):
    """Proposes answer spans in retrieved chunks."""

    def read(self, *, question: str, hits: Sequence[Hit], top_k: int) -> list[SpanProposal]:
        """Return up to ``top_k`` spans over all hits, best first."""
        ...


class NeuralReader:
    """The e5 span reader, run with torch on the CPU."""

    def __init__(
        self, *, weights_path: Path | None = None, threads: int | None = None, int8: bool = False
    ) -> None:
        """Load the reader; ``int8`` runs its linear layers with dynamic int8 quantization."""
        import torch

        from qa.e5 import E5Tokenizer, load_e5
        from qa.reader.model import SHIPPED_WEIGHTS, load_reader_model

        if threads is not None:
            torch.set_num_threads(threads)
        e5 = load_e5()
        self._tokenizer = E5Tokenizer(weights=e5)
        model = load_reader_model(path=weights_path or SHIPPED_WEIGHTS, weights=e5)
        if int8:
            model = torch.ao.quantization.quantize_dynamic(  # type: ignore[no-untyped-call]
                model, {torch.nn.Linear}, dtype=torch.qint8
            )
        self._model = model
        self._torch = torch

    def read(self, *, question: str, hits: Sequence[Hit], top_k: int) -> list[SpanProposal]:
        """Return up to ``top_k`` spans over all hits, best first."""
        from qa.reader.model import batch_tensors
        from qa.reader.windows import best_spans, make_windows

        jobs = []
        question_encoding = self._tokenizer.encode(question)
        for hit_index, hit in enumerate(hits):
            for window in make_windows(
                tokenizer=self._tokenizer,
                question=question,
                question_encoding=question_encoding,
                passage=hit.chunk.text,
            ):
                jobs.append((hit_index, window))
        proposals: list[SpanProposal] = []
        torch = self._torch
        for first in range(0, len(jobs), READ_BATCH):
            part = jobs[first : first + READ_BATCH]
            ids, mask, allowed = batch_tensors([window for _, window in part])
            with torch.inference_mode():
                start_logits, end_logits = self._model(ids, mask, allowed)
            for row, (hit_index, window) in enumerate(part):
                n = len(window.ids)
                spans = best_spans(
                    window=window,
                    start_logits=start_logits[row, :n].numpy(),
                    end_logits=end_logits[row, :n].numpy(),
                    top_k=top_k,
                )
                chunk = hits[hit_index].chunk
                proposals.extend(
                    SpanProposal(
                        hit=hits[hit_index],
                        start=span.start,
                        end=span.end,
                        text=chunk.text[span.start : span.end],
                        score=span.score,
                    )
                    for span in spans
                )
        return _best_first(proposals, top_k=top_k)


def _best_first(proposals: list[SpanProposal], *, top_k: int) -> list[SpanProposal]:
    """Keep each (chunk, span) once at its best score, best first."""
    best: dict[tuple[str, int, int], SpanProposal] = {}
    for proposal in proposals:
        key = (proposal.hit.chunk.id, proposal.start, proposal.end)
        if key not in best or proposal.score > best[key].score:
            best[key] = proposal
    return sorted(best.values(), key=lambda p: p.score, reverse=True)[:top_k]


def load_reader(*, weights_path: Path | None = None, int8: bool = False) -> Reader:
    """Load the shipped reader (torch is imported here, not before)."""
    return NeuralReader(weights_path=weights_path, int8=int8)
