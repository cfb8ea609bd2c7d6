"""The reader answer path with a scripted reader: snapping, verification, citations, declines."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from seed_chunks import assert_cited, hits, seed_chunk

from qa.answer import Answerer
from qa.answer.reading import ReadingAnswerer, follow_up_question
from qa.records import Hit, SpanProposal
from qa.tokenize import ChineseTokenizer

FIVE_G = seed_chunk("001", "截至7月底,累计建成5G基站", "居中部六省首位。")
FIVE_G_2023 = seed_chunk("002", "三、数智赋能数实融合稳步推进", "累计建成5G基站84万个。")


class ScriptedReader:
    """A Reader that proposes the given (substring, score) pairs in the first hit holding each."""

    def __init__(self, spans: Sequence[tuple[str, float]]) -> None:
        self.spans = spans
        self.questions: list[str] = []

    def read(self, *, question: str, hits: Sequence[Hit], top_k: int) -> list[SpanProposal]:
        self.questions.append(question)
        out = []
        for text, score in self.spans:
            hit = next(h for h in hits if text in h.chunk.text)
            start = hit.chunk.text.index(text)
            out.append(
                SpanProposal(hit=hit, start=start, end=start + len(text), text=text, score=score)
            )
        return sorted(out, key=lambda p: p.score, reverse=True)[:top_k]


@pytest.fixture(scope="module")
def rules(zh_tokenizer: ChineseTokenizer) -> Answerer:
    return Answerer(tokenize=zh_tokenizer.tokens)


def _answerer(rules: Answerer, spans: Sequence[tuple[str, float]]) -> ReadingAnswerer:
    return ReadingAnswerer(reader=ScriptedReader(spans), rules=rules, decline_below=0.0)


def test_a_cut_number_is_snapped_to_its_unit_and_cited_exactly(rules: Answerer) -> None:
    answer = _answerer(rules, [("11.5", 4.0)]).answer(
        question="山西有多少5G基站？", hits=hits(FIVE_G)
    )
    assert answer.text == "11.5万个"
    assert answer.value == 115000 and answer.unit == "个"
    assert answer.as_of == "2025-07"  # 截至7月底 in an article of 2025-11-14
    assert_cited(answer)


def test_the_most_recent_report_wins_and_the_older_is_an_alternative(rules: Answerer) -> None:
    answer = _answerer(rules, [("84万个", 3.0), ("11.5万个", 2.5)]).answer(
        question="山西有多少5G基站？", hits=hits(FIVE_G_2023, FIVE_G)
    )
    assert answer.text == "11.5万个"
    assert [a.text for a in answer.alternatives] == ["84万个"]
    assert_cited(answer)


def test_under_the_threshold_it_declines_and_shows_the_closest_passages(rules: Answerer) -> None:
    answer = _answerer(rules, [("11.5万个", -1.0)]).answer(
        question="山西有多少6G基站？", hits=hits(FIVE_G, FIVE_G_2023)
    )
    assert answer.text is None and answer.citations == ()
    assert [c.source for c in answer.closest] == [FIVE_G.source, FIVE_G_2023.source]
    assert answer.closest[0].start == FIVE_G.start and answer.closest[0].end == FIVE_G.end


def test_a_unit_the_question_rules_out_is_dropped(rules: Answerer) -> None:
    # 多少家 asks a count of firms: a percentage proposed first gives way to the count
    chunk = seed_chunk("001", "2021年至2024年,全省规上工业增加值", "年均增长343家。")
    answer = _answerer(rules, [("6.2%", 5.0), ("8231家", 2.0)]).answer(
        question="2024年山西规上工业企业有多少家？", hits=hits(chunk)
    )
    assert answer.text == "8231家"
    assert_cited(answer)


def test_follow_ups_are_read_as_full_questions(rules: Answerer) -> None:
    reader = ScriptedReader([("33个", 3.0)])
    answerer = ReadingAnswerer(reader=reader, rules=rules)
    answer = answerer.answer(
        question="每万人拥有多少个？", hits=hits(FIVE_G), history=("山西有多少5G基站？",)
    )
    assert answer.text == "33个"
    assert reader.questions == ["山西有多少5G基站，每万人拥有多少个？"]
    assert follow_up_question("总投资额呢？", ()) == "总投资额呢？"
