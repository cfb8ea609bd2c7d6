"""Question + passage -> fixed-length token windows, and span decoding back to characters.

This is the reader's only span logic: training builds windows here, inference decodes here.
Torch-free, so it can be tested and reused without loading a model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qa.e5 import E5Tokenizer, Encoding

__all__ = [
    "MAX_ANSWER_TOKENS",
    "MAX_QUESTION_TOKENS",
    "STRIDE",
    "WINDOW_TOKENS",
    "ScoredSpan",
    "Window",
    "best_spans",
    "make_windows",
]

WINDOW_TOKENS = 256  # covers a typical news chunk or Wikipedia paragraph in one or two windows
STRIDE = 128  # half-window overlap, so every answer sits well inside some window
MAX_QUESTION_TOKENS = 48  # longer questions are cut; questions in the data are far shorter
MAX_ANSWER_TOKENS = 30  # answers are short spans (median 4-7 characters in the training data)


@dataclass(frozen=True, slots=True)
class Window:
    """One model input: ``<s> question </s> passage-part </s>``.

    ``char_starts``/``char_ends`` give, for each position, the passage characters it covers,
    or -1 for the question and special tokens. Position 0 (``<s>``) is the no-answer slot.
    """

    ids: tuple[int, ...]
    char_starts: tuple[int, ...]
    char_ends: tuple[int, ...]
    passage_first: int  # first position holding a passage token

    def answer_positions(self, *, start: int, end: int) -> tuple[int, int] | None:
        """Return the token positions of the passage span ``[start, end)``, if fully inside."""
        first = last = None
        for pos in range(self.passage_first, len(self.ids) - 1):
            if first is None and self.char_ends[pos] > start:
                first = pos
            if self.char_starts[pos] < end:
                last = pos
        if first is None or last is None or last < first:
            return None
        if self.char_starts[first] > start or self.char_ends[last] < end:
            return None  # the span is cut by the window's edge
        return first, last


@dataclass(frozen=True, slots=True)
class ScoredSpan:
    """A span of the passage with its score relative to the window's no-answer score."""

    start: int  # passage character offsets
    end: int
    score: float  # start + end logit minus the no-answer (``<s>``) logits: > 0 favours answering


def make_windows(
    *,
    tokenizer: E5Tokenizer,
    question: str,
    passage: str,
    question_encoding: Encoding | None = None,
    passage_encoding: Encoding | None = None,
    window_tokens: int = WINDOW_TOKENS,
    stride: int = STRIDE,
) -> list[Window]:
    """Cut ``passage`` into overlapping windows, each led by the question.

    Pass the encodings when they are at hand, so a question read against many passages (or a
    passage read for many questions) is tokenized once.
    """
    q = (question_encoding or tokenizer.encode(question)).ids[:MAX_QUESTION_TOKENS]
    p = passage_encoding or tokenizer.encode(passage)
    head = [tokenizer.bos, *q, tokenizer.eos]
    room = window_tokens - len(head) - 1
    windows: list[Window] = []
    begin = 0
    total = len(p.ids)
    while True:
        stop = min(begin + room, total)
        ids = (*head, *p.ids[begin:stop], tokenizer.eos)
        none = (-1,) * len(head)
        windows.append(
            Window(
                ids=ids,
                char_starts=(*none, *p.starts[begin:stop], -1),
                char_ends=(*none, *p.ends[begin:stop], -1),
                passage_first=len(head),
            )
        )
        if stop >= total:
            return windows
        begin += min(stride, room)


def best_spans(
    *,
    window: Window,
    start_logits: np.ndarray,
    end_logits: np.ndarray,
    top_k: int,
    max_answer_tokens: int = MAX_ANSWER_TOKENS,
) -> list[ScoredSpan]:
    """Return the ``top_k`` best passage spans of one window, best first."""
    first = window.passage_first
    last = len(window.ids) - 1  # the closing </s>
    null = float(start_logits[0] + end_logits[0])
    starts = start_logits[first:last]
    ends = end_logits[first:last]
    n = len(starts)
    if n == 0:
        return []
    # score[i, j] = start i + end j for j in [i, i + max_answer_tokens)
    grid = starts[:, None] + ends[None, :]
    offsets = np.arange(n)
    valid = (offsets[None, :] >= offsets[:, None]) & (
        offsets[None, :] - offsets[:, None] < max_answer_tokens
    )
    grid = np.where(valid, grid, -np.inf)
    flat = np.argsort(grid, axis=None)[::-1]
    spans: list[ScoredSpan] = []
    seen: set[tuple[int, int]] = set()
    for index in flat[: top_k * 4]:
        i, j = divmod(int(index), n)
        if not np.isfinite(grid[i, j]):
            break
        start = window.char_starts[first + i]
        end = window.char_ends[first + j]
        if end <= start or (start, end) in seen:
            continue
        seen.add((start, end))
        spans.append(ScoredSpan(start=start, end=end, score=float(grid[i, j]) - null))
        if len(spans) == top_k:
            break
    return spans
