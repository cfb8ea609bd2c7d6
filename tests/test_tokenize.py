"""Tests for qa.tokenize: search-mode tokens, numbers kept whole, stopwords dropped."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from qa.tokenize import STOPWORDS, ChineseTokenizer


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("布局建设5G基站", "5g"),
        ("国产T1000级碳纤维", "t1000"),
        ("算力规模达到32EFlops", "eflops"),
        ("增长11.5%", "11.5"),
        ("2024年规上工业增加值", "2024"),
        ("总投资1,455.3亿元", "1455.3"),
        ("增长１１．５％", "11.5"),  # full-width forms
    ],
)
def test_numbers_and_latin_stay_whole(
    zh_tokenizer: ChineseTokenizer, text: str, token: str
) -> None:
    assert token in zh_tokenizer.tokens(text)


def test_decimal_is_one_token(zh_tokenizer: ChineseTokenizer) -> None:
    assert zh_tokenizer.tokens("11.5") == ["11.5"]
    assert zh_tokenizer.tokens("1.87亿吨") == ["1.87", "亿吨"]


def test_mixed_run_also_yields_its_parts(zh_tokenizer: ChineseTokenizer) -> None:
    assert zh_tokenizer.tokens("32EFlops") == ["32eflops", "32", "eflops"]
    assert zh_tokenizer.tokens("5G") == ["5g"]


def test_search_mode_adds_dictionary_subwords(zh_tokenizer: ChineseTokenizer) -> None:
    tokens = zh_tokenizer.tokens("国家级专精特新小巨人企业")
    assert {"国家", "国家级", "专精特新", "小巨人", "巨人", "企业"} <= set(tokens)


def test_user_dictionary_terms_are_whole_tokens(zh_tokenizer: ChineseTokenizer) -> None:
    tokens = zh_tokenizer.tokens("布局建设5G基站、算力中心，打造新质生产力，太原市迎泽区")
    for term in ("5g基站", "基站", "算力中心", "新质生产力", "迎泽区", "太原"):
        assert term in tokens


def test_punctuation_whitespace_and_stopwords_are_dropped(zh_tokenizer: ChineseTokenizer) -> None:
    tokens = zh_tokenizer.tokens("请问：全省 有多少 家“链主”企业？")
    assert tokens == ["全省", "家", "链主", "企业"]
    assert not set(tokens) & STOPWORDS


def test_question_words_are_dropped(zh_tokenizer: ChineseTokenizer) -> None:
    assert zh_tokenizer.tokens("哪些城市是什么？为什么如何怎样谁吗呢") == ["城市"]


def test_query_and_document_share_tokens(zh_tokenizer: ChineseTokenizer) -> None:
    document = zh_tokenizer.tokens("截至目前，我省共培育37户“链主”企业，算力规模达到32EFlops。")
    query = zh_tokenizer.tokens("我省培育了多少户链主企业？")
    assert {"我省", "培育", "链主", "企业"} <= set(query) <= set(document) | {"户"}
    assert "eflops" in zh_tokenizer.tokens("EFlops是多少") and "eflops" in document


def test_empty_text_has_no_tokens(zh_tokenizer: ChineseTokenizer) -> None:
    assert zh_tokenizer.tokens("") == []
    assert zh_tokenizer.tokens(" ，。！\n") == []


def test_fingerprint_follows_the_dictionary(zh_tokenizer: ChineseTokenizer, tmp_path: Path) -> None:
    userdict = tmp_path / "userdict.txt"
    userdict.write_text("晋创谷\n", encoding="utf-8")
    other = ChineseTokenizer(userdict=userdict)
    assert other.fingerprint != zh_tokenizer.fingerprint
    assert ChineseTokenizer(userdict=userdict).fingerprint == other.fingerprint


def test_jieba_logger_is_quiet_and_gets_no_new_handlers(zh_tokenizer: ChineseTokenizer) -> None:
    logger = logging.getLogger("jieba")
    before = list(logger.handlers)
    ChineseTokenizer()
    assert logger.handlers == before
    assert logger.level >= logging.WARNING
