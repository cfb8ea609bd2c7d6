"""Tests for qa.answer.enumeration: 分别 aligns each value with its own item."""

from __future__ import annotations

from qa.answer.candidates import CandidateKind, extract_candidates
from qa.answer.enumeration import respectively_bindings
from qa.answer.text import split_sentences

TEXT = (
    "太阳能电池、煤炭、纺织织物分别出口21.6亿元、7.8亿元、7.6亿元，分别增长223.4%、118.6%、76.8%。"
)


def test_values_bind_to_items_in_order() -> None:
    (sentence,) = split_sentences(TEXT)
    candidates = extract_candidates(TEXT, sentence.span, kinds=frozenset({CandidateKind.QUANTITY}))
    bindings = respectively_bindings(TEXT, sentence, candidates)
    owner = {
        c.text: TEXT[bindings[(c.start, c.end)].item.start : bindings[(c.start, c.end)].item.end]
        for c in candidates
    }
    assert owner == {
        "21.6亿元": "太阳能电池",
        "7.8亿元": "煤炭",
        "7.6亿元": "纺织织物",
        "223.4%": "太阳能电池",
        "118.6%": "煤炭",
        "76.8%": "纺织织物",
    }
    masked = bindings[(TEXT.index("223.4%"), TEXT.index("223.4%") + 6)].masked
    assert [TEXT[m.start : m.end] for m in masked] == ["煤炭", "纺织织物"]


def test_mismatched_counts_bind_nothing() -> None:
    text = "煤焦钢三大传统产业先进产能占比分别达到90.5%、100%、85%。"
    (sentence,) = split_sentences(text)
    candidates = extract_candidates(text, sentence.span, kinds=frozenset({CandidateKind.QUANTITY}))
    assert respectively_bindings(text, sentence, candidates) == {}
