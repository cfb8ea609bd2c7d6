"""Tests for qa.answer.evidence: how question terms are found in a chunk's text."""

from __future__ import annotations

import pytest

from qa.answer.evidence import _occurrences as occurrences
from qa.answer.evidence import find_spans
from qa.answer.lexicon import Lexicon, WordClass, load_lexicon
from qa.answer.question import Term, TermRole


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def test_find_spans_crosses_layout_spaces() -> None:
    assert find_spans("平谷区G DP实现206.7亿元", "gdp") == ()
    assert find_spans("平谷区g dp实现206.7亿元", "gdp") == ((3, 7),)


def test_a_synonym_of_the_question_phrase_counts_fully() -> None:
    term = Term("生产总值", 1.2, TermRole.CONTENT)
    text = "上半年，平谷区gdp实现206.7亿元"
    assert occurrences(text, term, "平谷区今年上半年的地区生产总值是多少？") == (((7, 10),), False)


def test_a_verb_sharing_a_morpheme_is_a_partial_match(lexicon: Lexicon) -> None:
    term = Term("高出", 0.8, TermRole.PREDICATE)
    text = "年均增长8.1%,高于煤炭工业2.5个百分点。"
    assert occurrences(text, term, "制造业比煤炭工业高出多少？", lexicon) == (((9, 11),), True)
    assert lexicon.word_class("高于") is WordClass.VERB


def test_a_listed_synonym_counts_fully(lexicon: Lexicon) -> None:
    term = Term("降到", 0.8, TermRole.PREDICATE)
    text = "万元工业增加值用水量降低至9.8立方米。"
    assert occurrences(text, term, "用水量降到了多少？", lexicon) == (((10, 13),), False)


def test_an_abbreviation_matches_its_full_form() -> None:
    term = Term("城轨", 1.0, TermRole.CONTENT)
    assert occurrences("全国城市轨道交通运营线路", term, "城轨里程多少？") == (((2, 5),), True)


def test_a_number_term_matches_only_whole_numbers() -> None:
    term = Term("100", 0.8, TermRole.NUMBER)
    assert occurrences("男子10000米和100米", term, "100米跑了多少？") == (((9, 12),), False)
