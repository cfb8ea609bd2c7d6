"""Windows and span decoding: the reader's only span logic, checked without a model."""

from __future__ import annotations

import numpy as np
import pytest

from qa.e5 import E5Tokenizer, load_e5
from qa.reader.windows import Window, best_spans, make_windows

PASSAGE = "截至7月底，山西累计建成5G基站11.5万个，每万人拥有33个。" * 3


@pytest.fixture(scope="module")
def tokenizer() -> E5Tokenizer:
    return E5Tokenizer(weights=load_e5())


def test_windows_cover_the_passage_with_overlap(tokenizer: E5Tokenizer) -> None:
    windows = make_windows(
        tokenizer=tokenizer,
        question="山西有多少5G基站？",
        passage=PASSAGE * 4,
        window_tokens=64,
        stride=32,
    )
    assert len(windows) > 2
    for window in windows:
        assert len(window.ids) <= 64
        assert window.ids[0] == tokenizer.bos and window.ids[-1] == tokenizer.eos
        assert window.char_starts[: window.passage_first] == (-1,) * window.passage_first
    seen = {s for w in windows for s in w.char_starts[w.passage_first : -1]}
    all_starts = set(tokenizer.encode(PASSAGE * 4).starts)
    assert seen == all_starts  # no passage token is skipped
    # consecutive windows overlap, so an answer cut by one edge is whole in the next
    assert windows[1].char_starts[windows[1].passage_first] < windows[0].char_ends[-2]


def test_answer_positions_find_the_tokens_of_a_span(tokenizer: E5Tokenizer) -> None:
    window = make_windows(tokenizer=tokenizer, question="多少基站", passage=PASSAGE)[0]
    start = PASSAGE.index("11.5万个")
    positions = window.answer_positions(start=start, end=start + len("11.5万个"))
    assert positions is not None
    first, last = positions
    assert window.char_starts[first] == start
    assert window.char_ends[last] == start + len("11.5万个")


def test_a_span_cut_by_the_window_edge_has_no_positions(tokenizer: E5Tokenizer) -> None:
    windows = make_windows(
        tokenizer=tokenizer, question="问", passage=PASSAGE * 4, window_tokens=40, stride=20
    )
    window = windows[0]
    last_end = window.char_ends[-2]
    assert window.answer_positions(start=last_end - 1, end=last_end + 3) is None


def _window() -> Window:
    # <s> q </s> then passage tokens covering chars [0,2) [2,4) [4,6) and </s>
    return Window(
        ids=(0, 7, 2, 10, 11, 12, 2),
        char_starts=(-1, -1, -1, 0, 2, 4, -1),
        char_ends=(-1, -1, -1, 2, 4, 6, -1),
        passage_first=3,
    )


def test_best_span_is_decoded_to_character_offsets() -> None:
    start = np.array([1.0, -9, -9, 0.0, 5.0, 0.0, -9])
    end = np.array([1.0, -9, -9, 0.0, 0.0, 4.0, -9])
    spans = best_spans(window=_window(), start_logits=start, end_logits=end, top_k=2)
    assert (spans[0].start, spans[0].end) == (2, 6)
    assert spans[0].score == pytest.approx(5.0 + 4.0 - 2.0)  # minus the <s> no-answer logits
    assert spans[1].score < spans[0].score


def test_spans_never_end_before_they_start_or_run_too_long() -> None:
    start = np.array([0.0, -9, -9, 0.0, 0.0, 9.0, -9])
    end = np.array([0.0, -9, -9, 9.0, 0.0, 0.0, -9])
    spans = best_spans(
        window=_window(), start_logits=start, end_logits=end, top_k=10, max_answer_tokens=2
    )
    assert all(s.end > s.start and s.end - s.start <= 4 for s in spans)
    assert (4, 2) not in {(s.start, s.end) for s in spans}
