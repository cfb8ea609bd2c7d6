"""Per-chunk evidence: sentences, brackets, time mentions and where question terms occur."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from qa.answer.lexicon import Lexicon
from qa.answer.question import QuestionAnalysis, Term, TermRole
from qa.answer.text import Sentence, Span, paren_spans, quote_spans, split_sentences
from qa.answer.timeframe import TimeMention, find_time_mentions
from qa.records import Hit

__all__ = ["ChunkEvidence", "build_evidence", "find_all", "fold", "term_weights"]

# Words that stand for the paper's own province or city: 山西 need not be spelled out.
_DEICTIC = re.compile(r"[我全本][省市区县州]|我国")
_MIN_PARTIAL = 2  # shortest piece of a long term that may stand in for it
_QUESTION_CHARS = set("多几哪什谁何怎吗呢是")
IDF_FLOOR = 0.35  # weight kept by a term found in every retrieved sentence
ABBREVIATION_GAP = 3  # characters an abbreviation (城轨) may skip between its characters
# Names news text uses for the same thing; a question may use any of them.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("地区生产总值", "国内生产总值", "生产总值", "gdp"),
    ("营业收入", "营收", "营业额"),
    ("销量", "销售量", "卖出", "销售"),
    ("成立", "设立", "组建", "创立", "创建", "创办", "建立"),
    ("举行", "举办", "召开"),
    ("创下", "创造", "刷新"),
    ("决出", "产生"),
    ("答复", "回复", "同意"),
    ("降到", "降至", "降低至", "下降到", "降低到"),
    ("增长", "增速", "增幅", "增加"),
    ("下降", "降幅", "降低", "减少"),
    ("持续", "为期", "历时"),  # 持续几天 is 为期11天
    # 最便宜的一档 is 最低票价: a price extreme is worded by its level.
    ("最便宜", "最低", "最少"),
    ("最贵", "最高"),
)
_NOT_ABBREVIATED = re.compile(r"[\s\W\d_a-z]")


def fold(text: str) -> str:
    """Return ``text`` NFKC-normalised and lowercased character by character, same length.

    Question terms come from a tokenizer that folds case and width (5G -> 5g); folding the
    chunk the same way keeps every offset valid.
    """
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch).lower()
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out)


def find_all(text: str, needle: str) -> list[int]:
    """Return every start position of ``needle`` in ``text``."""
    positions: list[int] = []
    start = text.find(needle)
    while start >= 0:
        positions.append(start)
        start = text.find(needle, start + 1)
    return positions


def find_spans(text: str, needle: str) -> tuple[tuple[int, int], ...]:
    """Return the spans of ``needle`` in ``text``, across stray layout spaces (G DP) if need be."""
    spans = tuple((p, p + len(needle)) for p in find_all(text, needle))
    if spans or len(needle) < 2:
        return spans
    pattern = r"\s?".join(re.escape(ch) for ch in needle)
    return tuple((m.start(), m.end()) for m in re.finditer(pattern, text))


@dataclass(frozen=True, slots=True)
class ChunkEvidence:
    """A retrieved chunk prepared for answering."""

    hit: Hit
    text: str
    sentences: tuple[Sentence, ...]
    parens: tuple[Span, ...]
    quotes: tuple[Span, ...]  # “…” names and slogans
    times: tuple[TimeMention, ...]
    occurrences: dict[str, tuple[tuple[int, int], ...]]  # term -> (start, end) spans
    partial: frozenset[str]  # terms found only through a long enough piece
    embedded: dict[str, frozenset[int]]  # starts where the term ends a longer word (进出口)
    title: str  # the article title, folded like the terms
    nearby: str  # text of other retrieved chunks of the same article, folded
    # Terms found there, in any of their wordings (城轨 ~ 城市轨道交通).
    nearby_terms: frozenset[str]
    deictic: bool  # the text says 我省/全省/本市…, standing in for a place name
    places: tuple[tuple[int, int], ...]  # spans of known place names in the text

    def sentence_at(self, position: int) -> Sentence:
        """Return the sentence holding ``position``."""
        for sentence in self.sentences:
            if sentence.span.start <= position < sentence.span.end:
                return sentence
        return self.sentences[-1]

    def in_parens(self, start: int, end: int) -> Span | None:
        """Return the bracketed span holding ``start:end``, if any."""
        for span in self.parens:
            if span.start < start and end <= span.end:
                return span
        return None


def _resegmented(text: str, term: str, question: str) -> tuple[tuple[int, int], ...]:
    """Find a two-character term that jieba cut across word boundaries in the question.

    赏花游共吸引 gives 游共, but the text reads 赏花游…共吸引: each half still sits with its
    neighbour from the question, so the term is there in another segmentation.
    """
    at = question.find(term)
    if at <= 0 or at + 2 > len(question):
        return ()
    left = question[at - 1 : at + 1]
    left_spans = tuple((p + 1, p + 2) for p in find_all(text, left))
    if not left_spans:
        return ()
    following = question[at + 2 : at + 3]
    if following and _is_cjk(following) and following not in _QUESTION_CHARS:
        if not find_all(text, question[at + 1 : at + 3]):
            return ()
    else:
        # 主塔高多少: 高 ends the term right before the question word; where it stands in
        # the text counts too (主跨680米，高297.51米).
        right_spans = tuple((p, p + 1) for p in find_all(text, term[1]))
        if not right_spans:
            return ()
        return tuple(sorted(left_spans + right_spans))
    return left_spans


def _synonym_spans(text: str, term: str, question: str) -> tuple[tuple[int, int], ...]:
    """Find another name for the question phrase that holds ``term`` (生产总值 -> GDP)."""
    for group in SYNONYMS:
        phrase = next((p for p in group if p in question and term in p), None)
        if phrase is None:
            phrase = next((p for p in group if term == p), None)
        if phrase is None:
            continue
        spans: list[tuple[int, int]] = []
        for other in group:
            if other != phrase and other.find(phrase) < 0:
                spans += find_spans(text, other)
        if spans:
            return tuple(spans)
    return ()


def _morpheme_spans(text: str, term: str, lexicon: Lexicon | None) -> tuple[tuple[int, int], ...]:
    """Find a verb of the text sharing a morpheme with a two-character verb of the question.

    降到 ~ 降低, 高出 ~ 高于, 成立 ~ 设立, 举行 ~ 举办: the shared character sits in the same
    place, and the dictionary must know the text's pair as a verb too.
    """
    if lexicon is None or len(term) != 2:
        return ()
    spans: list[tuple[int, int]] = []
    for position, ch in enumerate(term):
        for at in find_all(text, ch):
            start = at - position
            pair = text[start : start + 2]
            if start >= 0 and len(pair) == 2 and pair != term and lexicon.is_verb(pair):
                spans.append((start, start + 2))
    return tuple(sorted(set(spans)))


def _abbreviation_spans(text: str, term: str) -> tuple[tuple[int, int], ...]:
    """Find a full form of an abbreviation: 城轨 in 城市轨道交通, each character in order."""
    if not 2 <= len(term) <= 4 or _NOT_ABBREVIATED.search(term):
        return ()
    spans: list[tuple[int, int]] = []
    for start in find_all(text, term[0]):
        cursor = start + 1
        for ch in term[1:]:
            window = text[cursor : cursor + ABBREVIATION_GAP + 1]
            at = window.find(ch)
            if at < 0 or _NOT_ABBREVIATED.search(window[:at]):
                break
            cursor += at + 1
        else:
            if cursor - start > len(term):
                spans.append((start, cursor))
    return tuple(spans)


def _number_spans(text: str, number: str) -> tuple[tuple[int, int], ...]:
    """Find a number standing alone: 100 is not in 10000 or 1000."""
    return tuple(
        (p, p + len(number))
        for p in find_all(text, number)
        if not (p > 0 and text[p - 1].isdigit())
        and not (p + len(number) < len(text) and text[p + len(number)].isdigit())
    )


def _occurrences(
    text: str, term: Term, question: str, lexicon: Lexicon | None = None
) -> tuple[tuple[tuple[int, int], ...], bool]:
    if term.role is TermRole.NUMBER:
        return _number_spans(text, term.text), False
    # Another name for the same thing counts as fully as the question's own word.
    exact = tuple(
        sorted(set(find_spans(text, term.text) + _synonym_spans(text, term.text, question)))
    )
    if exact:
        return exact, False
    if term.role is TermRole.PREDICATE:
        spans = _morpheme_spans(text, term.text, lexicon)
        return spans, bool(spans)
    if term.role is TermRole.CONTENT:
        spans = _abbreviation_spans(text, term.text)
        if spans:
            return spans, True
    if len(term.text) == 2:
        spans = _resegmented(text, term.text, question)
        return spans, bool(spans)
    if len(term.text) < 3:
        return exact, False
    # jieba may glue the next character onto a question word (固废年利用量 gives 固废年):
    # accept the longest prefix covering two thirds of the term. Only a prefix: dropping the
    # first character changes the word (进出口 is not 出口).
    size = len(term.text)
    for length in range(size - 1, max(_MIN_PARTIAL, math.ceil(size * 2 / 3)) - 1, -1):
        piece = term.text[:length]
        spans = tuple((p, p + length) for p in find_all(text, piece))
        if spans:
            return spans, True
    return (), False


def _place_spans(text: str, names: frozenset[str]) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    position = 0
    while position < len(text):
        for length in (5, 4, 3, 2):
            if text[position : position + length] in names:
                spans.append((position, position + length))
                position += length
                break
        else:
            position += 1
    return tuple(spans)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _embedded_starts(
    folded: str,
    spans: tuple[tuple[int, int], ...],
    *,
    question: str,
    is_word: Callable[[str], bool],
) -> frozenset[int]:
    """Return starts of occurrences that a preceding character turns into another word.

    出口 inside 进出口 is not 出口; the tokenizer's dictionary tells which extensions are
    words. Extensions the question itself uses are fine.
    """
    starts: set[int] = set()
    for start, end in spans:
        if start == 0 or not _is_cjk(folded[start - 1]):
            continue
        extended = folded[start - 1 : end]
        if extended not in question and is_word(extended):
            starts.add(start)
    return frozenset(starts)


def build_evidence(
    hits: Sequence[Hit],
    analysis: QuestionAnalysis,
    *,
    tokenize: Callable[[str], list[str]],
    place_names: frozenset[str] = frozenset(),
    lexicon: Lexicon | None = None,
) -> list[ChunkEvidence]:
    """Prepare every hit's chunk: segment it and index where the question's terms occur."""
    words: dict[str, bool] = {}

    def is_word(text: str) -> bool:
        if text not in words:
            words[text] = text in tokenize(text)
        return words[text]

    question = fold(analysis.question)
    by_article: dict[str, list[Hit]] = {}
    for hit in hits:
        by_article.setdefault(hit.chunk.article_id, []).append(hit)
    evidence: list[ChunkEvidence] = []
    for hit in hits:
        chunk = hit.chunk
        text = chunk.text
        folded = fold(text)
        occurrences: dict[str, tuple[tuple[int, int], ...]] = {}
        partial: set[str] = set()
        embedded: dict[str, frozenset[int]] = {}
        for term in analysis.terms:
            spans, is_partial = _occurrences(folded, term, question, lexicon)
            occurrences[term.text] = spans
            if is_partial:
                partial.add(term.text)
            embedded[term.text] = _embedded_starts(
                folded, spans, question=question, is_word=is_word
            )
        siblings = [h.chunk.text for h in by_article[chunk.article_id] if h is not hit]
        nearby = fold("\n".join(siblings))
        evidence.append(
            ChunkEvidence(
                hit=hit,
                text=text,
                sentences=tuple(split_sentences(text)) or (),
                parens=tuple(paren_spans(text)),
                quotes=tuple(quote_spans(text)),
                times=tuple(find_time_mentions(text, article_date=chunk.date)),
                occurrences=occurrences,
                partial=frozenset(partial),
                embedded=embedded,
                title=fold(chunk.title or ""),
                nearby=nearby,
                nearby_terms=frozenset(),
                deictic=bool(_DEICTIC.search(text) or _DEICTIC.search(chunk.title or "")),
                places=_place_spans(folded, place_names),
            )
        )
    # A term a sibling chunk of the same article holds, in any wording (城轨 ~ 城市轨道交通).
    found: dict[str, set[str]] = {}
    for e in evidence:
        held = found.setdefault(e.hit.chunk.article_id, set())
        held.update(t for t, spans in e.occurrences.items() if spans)
    evidence = [
        replace(
            e,
            nearby_terms=frozenset(
                t
                for t in found[e.hit.chunk.article_id]
                if t in e.nearby
                or any(
                    o is not e
                    and o.hit.chunk.article_id == e.hit.chunk.article_id
                    and o.occurrences.get(t)
                    for o in evidence
                )
            ),
        )
        for e in evidence
    ]
    return [e for e in evidence if e.sentences]


def term_weights(analysis: QuestionAnalysis, evidence: Sequence[ChunkEvidence]) -> dict[str, float]:
    """Return each term's weight, lowered for terms found in many retrieved sentences."""
    sentences = [(e, s) for e in evidence for s in e.sentences]
    total = len(sentences)
    weights: dict[str, float] = {}
    for term in analysis.terms:
        df = 0
        for e, s in sentences:
            if any(s.span.start <= a < s.span.end for a, _ in e.occurrences.get(term.text, ())):
                df += 1
        if total > 1:
            idf = math.log((total + 1) / (df + 0.5)) / math.log(total + 1)
            factor = IDF_FLOOR + (1.0 - IDF_FLOOR) * max(0.0, min(1.0, idf))
        else:
            factor = 1.0
        weights[term.text] = term.weight * factor
    return weights
