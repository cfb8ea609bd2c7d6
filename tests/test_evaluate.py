"""Tests for qa.evaluate and qa.report: metrics on hand-made cases, the gate, the command."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from qa.errors import QAError
from qa.evaluate import (
    DEFAULT_TOLERANCE,
    EvalDataError,
    MissKind,
    OlderAnswer,
    QAPair,
    char_f1,
    check_against_baseline,
    check_citations,
    evaluate,
    exact_match,
    gold_hit_rank,
    load_pairs,
    normalize_answer,
    percentile,
    render_html,
    render_markdown,
    render_text,
    report_to_json,
    run_eval_command,
)
from qa.records import Alternative, Answer, AnswerType, Chunk, Citation, Hit, OffsetMap
from qa.service import Document, Health

REPO = Path(__file__).resolve().parent.parent

RAW = {
    "a.txt": "截至7月底,累计建成5G基站11.5\n万个,每万人拥有33个。",
    "b.txt": "朔州签约项目总投资额达到83.5亿元。开放时间9:00—17:00。",
}


# --------------------------------------------------------------------------- fakes


def make_chunk(*, source: str, text: str) -> Chunk:
    return Chunk(
        id=f"{source}:{text[:4]}",
        source=source,
        article_id=f"{source}#0",
        title=None,
        date=None,
        text=text,
        start=0,
        end=len(text),
        quote=text,
        offsets=OffsetMap.from_positions(list(range(len(text)))),
    )


def make_hits(*chunks: tuple[str, str]) -> list[Hit]:
    return [
        Hit(chunk=make_chunk(source=s, text=t), score=1.0 / rank, rank=rank)
        for rank, (s, t) in enumerate(chunks, start=1)
    ]


def cite(source: str, quote: str, *, shift: int = 0) -> Citation:
    start = RAW[source].index(quote) + shift
    return Citation(
        source=source, title=None, date=None, start=start, end=start + len(quote), quote=quote
    )


def make_answer(question: str, text: str | None, *citations: Citation) -> Answer:
    return Answer(
        question=question,
        text=text,
        answer_type=AnswerType.FREE,
        value=None,
        unit=None,
        as_of=None,
        confidence=0.9 if text else 0.0,
        evidence=None,
        citations=citations,
    )


@dataclass
class FakeService:
    """Canned answers and hits keyed by question; records what it was asked."""

    answers: dict[str, Answer]
    hits: dict[str, list[Hit]] = field(default_factory=dict)
    asked: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    searched: list[tuple[str, int]] = field(default_factory=list)

    def ask(self, question: str, *, history: Sequence[str] = ()) -> Answer:
        self.asked.append((question, tuple(history)))
        answer = self.answers[question]
        if answer.text == "RAISE":
            raise QAError("index broken")
        return answer

    def search(self, query: str, *, k: int) -> list[Hit]:
        self.searched.append((query, k))
        return self.hits.get(query, [])[:k]

    def document(self, source: str) -> Document:
        return Document(source=source, raw=RAW[source], articles=())

    def health(self) -> Health:
        raise NotImplementedError


def raw_source(source: str) -> str:
    return RAW[source]


def pair(
    question: str,
    answers: Sequence[str],
    *,
    source: str | None = "a.txt",
    type_: str = "number",
    history: Sequence[str] = (),
    id_: str | None = None,
) -> QAPair:
    return QAPair(
        id=id_ or question,
        question=question,
        answers=tuple(answers),
        source=source if answers else None,
        evidence="",
        type=type_ if answers else "unanswerable",
        history=tuple(history),
    )


# --------------------------------------------------------------------------- normalization / EM


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("１１．５万个", "11.5万个"),  # full-width digits and point fold to ASCII
        (" 11.5 万 个 ", "11.5万个"),
        ("9:00—17:00", "9001700"),
        ("9：00－17：00", "9001700"),
        ("“小巨人”企业。", "小巨人企业"),
        ("87.56％", "87.56%"),
        ("ABC.", "abc"),  # a sentence-final point is punctuation
        ("1,455.3亿元", "1455.3亿元"),
    ],
)
def test_normalize_answer(text: str, normalized: str) -> None:
    assert normalize_answer(text) == normalized


def test_normalize_keeps_decimal_point_between_digits() -> None:
    assert normalize_answer("11.5万") != normalize_answer("115万")


@pytest.mark.parametrize(
    ("prediction", "gold"),
    [
        ("11.5万个", "115000个"),  # multiplier applied
        ("115000个", "11.5万个"),
        ("83.5亿元", "83.5亿元"),
        ("8350000000元", "83.5亿元"),
        ("１１．５万个", "11.5万个"),  # full width
        ("9:00—17:00", "9:00-17:00"),  # em dash vs hyphen
        ("9:00～17:00", "9:00-17:00"),
        ("近180万人", "180万人"),  # approximation word
        ("潘海燕。", "潘海燕"),
    ],
)
def test_exact_match_true(prediction: str, gold: str) -> None:
    assert exact_match(prediction=prediction, golds=[gold])


@pytest.mark.parametrize(
    ("prediction", "gold"),
    [
        ("11.5万", "11.5万个"),  # a missing unit is not the same quantity
        ("115万个", "11.5万个"),
        ("83.5亿", "83.5亿元"),
        ("4月8日", "4月9日"),
        ("", "33个"),
    ],
)
def test_exact_match_false(prediction: str, gold: str) -> None:
    assert not exact_match(prediction=prediction, golds=[gold])


def test_exact_match_any_gold() -> None:
    assert exact_match(prediction="83.5亿", golds=["83.5亿元", "83.5亿"])


# --------------------------------------------------------------------------- F1


@pytest.mark.parametrize(
    ("prediction", "golds", "expected"),
    [
        # lcs 3 ("苏翊鸣"): P = 3/10, R = 3/3, F1 = 2*0.3*1/1.3 = 6/13
        ("北京冬奥会冠军苏翊鸣", ["苏翊鸣"], 6 / 13),
        # lcs 5 ("83.5亿"): P = 5/5, R = 5/6, F1 = 10/11
        ("83.5亿", ["83.5亿元"], 10 / 11),
        # longest common SUBSTRING is 晋源区 (3), not the subsequence 太原晋源区 (5):
        # P = 3/6, R = 3/5, F1 = 2*0.5*0.6/1.1 = 6/11
        ("太原市晋源区", ["太原晋源区"], 6 / 11),
        # best gold wins
        ("83.5亿", ["83.5亿元", "83.5亿"], 1.0),
        # punctuation and width ignored: 9001700 vs 9001700
        ("9:00—17:00", ["９:００-１７:００"], 1.0),
        ("苏翊鸣", ["王延峰"], 0.0),
        ("", ["王延峰"], 0.0),
    ],
)
def test_char_f1_by_hand(prediction: str, golds: list[str], expected: float) -> None:
    assert char_f1(prediction=prediction, golds=golds) == pytest.approx(expected)


# --------------------------------------------------------------------------- retrieval


def test_gold_hit_rank_needs_gold_source_and_answer() -> None:
    hits = make_hits(
        ("b.txt", "建成5G基站11.5万个"),  # answer but wrong source
        ("a.txt", "每万人拥有33个"),  # gold source, no answer
        ("a.txt", "累计建成5G基站11.5 万个,"),  # both, after normalization
    )
    assert gold_hit_rank(hits=hits, pair=pair("q", ["11.5万个"])) == 3


def test_gold_hit_rank_bare_number_must_stand_alone() -> None:
    hits = make_hits(("a.txt", "用水量降低至19.8立方米"), ("a.txt", "共有9个项目"))
    assert gold_hit_rank(hits=hits, pair=pair("q", ["9"])) == 2


def test_gold_hit_rank_without_source_accepts_any_source() -> None:
    hits = make_hits(("a.txt", "无关"), ("b.txt", "总投资额达到83.5亿元"))
    assert gold_hit_rank(hits=hits, pair=pair("q", ["83.5亿元"], source=None)) == 2


def test_hit_at_k_and_mrr() -> None:
    questions = {"q1": 1, "q2": 3, "q3": None}
    answers, hits, pairs = {}, {}, []
    for q, rank in questions.items():
        chunks = [("a.txt", "无关内容")] * 5
        if rank is not None:
            chunks[rank - 1] = ("a.txt", "每万人拥有33个")
        hits[q] = make_hits(*chunks)
        answers[q] = make_answer(q, "33个", cite("a.txt", "每万人拥有33个"))
        pairs.append(pair(q, ["33个"]))
    service = FakeService(answers=answers, hits=hits)
    report = evaluate(service=service, pairs=pairs, raw_source=raw_source)
    assert [r.hit_rank for r in report.rows] == [1, 3, None]
    assert report.overall.hit_at_1 == pytest.approx(1 / 3)
    assert report.overall.hit_at_5 == pytest.approx(2 / 3)
    assert report.overall.mrr == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert all(k == 5 for _, k in service.searched)


# --------------------------------------------------------------------------- citations


def test_citation_ok_across_a_line_break() -> None:
    answer = make_answer("q", "11.5万个", cite("a.txt", "累计建成5G基站11.5\n万个"))
    assert check_citations(answer=answer, raw_source=raw_source) == (True, None)


def test_citation_quote_must_equal_raw_slice() -> None:
    answer = make_answer("q", "33个", cite("a.txt", "每万人拥有33个", shift=1))
    ok, why = check_citations(answer=answer, raw_source=raw_source)
    assert not ok and why is not None and "quote differs" in why


def test_first_citation_must_contain_the_answer() -> None:
    answer = make_answer(
        "q", "33个", cite("a.txt", "累计建成5G基站"), cite("a.txt", "每万人拥有33个")
    )
    ok, why = check_citations(answer=answer, raw_source=raw_source)
    assert not ok and why == "first citation's quote does not contain the answer"


def test_citation_checks_alternatives_and_unknown_sources() -> None:
    bad = Citation(source="zzz.txt", title=None, date=None, start=0, end=1, quote="x")
    answer = make_answer("q", "33个", cite("a.txt", "每万人拥有33个"))
    with_alt = replace(
        answer, alternatives=(Alternative(text="34个", as_of=None, citations=(bad,)),)
    )
    ok, why = check_citations(answer=with_alt, raw_source=raw_source)
    assert not ok and why is not None and "unknown source" in why
    assert check_citations(answer=make_answer("q", "33个"), raw_source=raw_source) == (
        False,
        "answer has no citation",
    )


def test_citation_accuracy_counts_answered_rows_only() -> None:
    service = FakeService(
        answers={
            "good": make_answer("good", "33个", cite("a.txt", "每万人拥有33个")),
            "bad": make_answer("bad", "33个", cite("a.txt", "每万人拥有33个", shift=-1)),
            "none": make_answer("none", None),
        }
    )
    pairs = [pair("good", ["33个"]), pair("bad", ["33个"]), pair("none", ["33个"])]
    report = evaluate(service=service, pairs=pairs, raw_source=raw_source)
    assert [r.citation_ok for r in report.rows] == [True, False, None]
    assert report.overall.citation_accuracy == pytest.approx(0.5)
    assert report.rows[1].miss is MissKind.CITATION
    assert report.rows[1].em == 1.0  # a bad citation does not change the answer's score


# --------------------------------------------------------------------------- abstention and EM


def test_abstention_counts_and_unanswerable_scores() -> None:
    service = FakeService(
        answers={
            "u1": make_answer("u1", None),  # right abstention
            "u2": make_answer("u2", "84万个", cite("a.txt", "11.5\n万个")),  # answered: wrong
            "a1": make_answer("a1", None),  # wrong abstention
            "a2": make_answer("a2", "115000个", cite("a.txt", "11.5\n万个")),
            "a3": make_answer("a3", "12万个", cite("a.txt", "11.5\n万个")),
        }
    )
    pairs = [
        pair("u1", []),
        pair("u2", []),
        pair("a1", ["33个"]),
        pair("a2", ["11.5万个"]),
        pair("a3", ["11.5万个"]),
    ]
    report = evaluate(service=service, pairs=pairs, raw_source=raw_source)
    rows = {r.id: r for r in report.rows}
    assert (rows["u1"].em, rows["u1"].f1) == (1.0, 1.0)
    assert (rows["u2"].em, rows["u2"].f1) == (0.0, 0.0)
    assert rows["u2"].miss is MissKind.FALSE_ANSWER
    assert rows["a1"].miss is MissKind.FALSE_ABSTAIN and rows["a1"].f1 == 0.0
    assert (rows["a2"].em, rows["a2"].f1) == (1.0, 1.0)  # 11.5万个 == 115000个
    assert rows["a3"].em == 0.0 and 0 < rows["a3"].f1 < 1
    assert not rows["u1"].retrieval_scored and rows["a1"].retrieval_scored
    # abstained: u1, a1 -> precision 1/2; unanswerable: u1, u2 -> recall 1/2
    assert report.overall.abstain_precision == pytest.approx(0.5)
    assert report.overall.abstain_recall == pytest.approx(0.5)
    assert report.overall.em == pytest.approx(2 / 5)
    by_type = dict(report.by_type)
    assert by_type["unanswerable"].n == 2 and by_type["unanswerable"].hit_at_1 is None
    assert by_type["number"].abstain_recall is None  # no unanswerable row to recall


def test_older_figure_and_service_error_are_named() -> None:
    older_pair = QAPair(
        id="o",
        question="o",
        answers=("11.5万个",),
        source="a.txt",
        evidence="",
        type="number",
        older=(OlderAnswer(answer="84万个", source="b.txt", as_of="2023"),),
    )
    service = FakeService(
        answers={
            "o": make_answer("o", "84万个", cite("a.txt", "11.5\n万个")),
            "e": make_answer("e", "RAISE"),
        }
    )
    report = evaluate(service=service, pairs=[older_pair, pair("e", [])], raw_source=raw_source)
    assert report.rows[0].miss is MissKind.OLDER_FIGURE
    assert report.rows[0].why is not None and "2023" in report.rows[0].why
    errored = report.rows[1]
    assert errored.miss is MissKind.ERROR and not errored.abstained and errored.em == 0.0


def test_conversation_row_is_asked_with_history() -> None:
    turns = ("朔州签约了多少个项目？", "总投资额呢？")
    service = FakeService(
        answers={turns[1]: make_answer(turns[1], "83.5亿元", cite("b.txt", "83.5亿元"))},
        hits={" ".join(turns): make_hits(("b.txt", "总投资额达到83.5亿元"))},
    )
    conv = pair(
        turns[1], ["83.5亿元", "83.5亿"], source=None, type_="conversation", history=turns[:1]
    )
    report = evaluate(service=service, pairs=[conv], raw_source=raw_source)
    assert service.asked == [("总投资额呢？", ("朔州签约了多少个项目？",))]
    assert report.rows[0].em == 1.0 and report.rows[0].hit_rank == 1


def test_percentile_interpolates() -> None:
    assert percentile([10.0, 20.0, 30.0, 40.0], 50) == 25.0
    assert percentile([1.0] * 19 + [100.0], 95) == pytest.approx(5.95)
    assert percentile([], 95) == 0.0


# --------------------------------------------------------------------------- baseline gate


BASE = {
    "em": 0.80,
    "f1": 0.85,
    "hit_at_1": 0.70,
    "hit_at_5": 0.90,
    "mrr": 0.78,
    "citation_accuracy": 1.0,
    "abstain_precision": 0.9,
    "abstain_recall": 0.75,
    "p50_ms": 10.0,
    "p95_ms": 20.0,
    "n": 50,
}


def test_gate_fails_on_drop_beyond_tolerance() -> None:
    current = {**BASE, "em": 0.75, "mrr": 0.70}
    drops = check_against_baseline(current=current, baseline=BASE, tolerance=0.02)
    assert len(drops) == 2
    assert drops[0].startswith("em: 0.8000 -> 0.7500")
    assert drops[1].startswith("mrr: 0.7800 -> 0.7000")


def test_gate_passes_within_tolerance_and_ignores_latency() -> None:
    current = {**BASE, "em": 0.79, "f1": 0.83, "hit_at_1": 0.95, "p50_ms": 900.0, "p95_ms": 5000.0}
    assert check_against_baseline(current=current, baseline=BASE, tolerance=0.02) == []


def test_gate_reports_a_metric_that_became_unmeasurable() -> None:
    current = {**BASE, "abstain_precision": None}
    drops = check_against_baseline(current=current, baseline=BASE, tolerance=DEFAULT_TOLERANCE)
    assert drops == ["abstain_precision: was 0.9000, now not measurable"]


# --------------------------------------------------------------------------- loading


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_both_row_formats(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        json.dumps(
            {
                "id": "d1",
                "question": "山西有多少5G基站？",
                "answers": ["11.5万个"],
                "source": "a.txt",
                "evidence": "建成5G基站11.5万个",
                "type": "number",
                "as_of": "2025-07",
                "older": [{"answer": "84万个", "source": "b.txt", "as_of": "2023"}],
            },
            ensure_ascii=False,
        ),
        "",
        json.dumps(
            {
                "id": "c1",
                "turns": ["山西有多少5G基站？", "每万人拥有多少个？"],
                "answers": ["33个", "33"],
            },
            ensure_ascii=False,
        ),
        json.dumps(
            {
                "id": "u1",
                "question": "太原GDP？",
                "answers": [],
                "source": None,
                "evidence": "",
                "type": "unanswerable",
            },
            ensure_ascii=False,
        ),
    )
    qa, chat, unanswerable = load_pairs(path=path)
    assert qa.answers == ("11.5万个",) and qa.as_of == "2025-07" and qa.history == ()
    assert qa.older[0].answer == "84万个" and qa.older[0].as_of == "2023"
    assert chat.question == "每万人拥有多少个？" and chat.history == ("山西有多少5G基站？",)
    assert chat.type == "conversation" and chat.source is None and chat.answerable
    assert not unanswerable.answerable and unanswerable.type == "unanswerable"


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("{not json", r"pairs\.jsonl:2: not valid JSON"),
        ('{"id": "x", "answers": []}', r":2: missing 'question'"),
        ('{"id": "x", "question": "q"}', r":2: missing 'answers'"),
        ('{"id": "x", "question": "q", "answers": "33个"}', r":2: 'answers' must be a list"),
        ('{"id": "x", "turns": [], "answers": ["1"]}', r":2: 'turns' must hold"),
        (
            '{"id": "ok", "question": "q", "answers": []}',
            r":2: duplicate id 'ok' \(first on line 1",
        ),
        (
            '{"id": "x", "question": "q", "answers": ["1"], "type": "unanswerable"}',
            r":2: type 'unanswerable' but",
        ),
        ("[1, 2]", r":2: each line must be one JSON object"),
    ],
)
def test_load_names_the_bad_line(tmp_path: Path, bad_line: str, message: str) -> None:
    path = write(tmp_path, '{"id": "ok", "question": "q", "answers": []}', bad_line)
    with pytest.raises(EvalDataError, match=message):
        load_pairs(path=path)


def test_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(EvalDataError, match="no such file"):
        load_pairs(path=tmp_path / "nope.jsonl")


def test_eval_set_is_well_formed() -> None:
    """Every answerable pair's evidence is verbatim in its seed and holds an answer."""
    pairs = load_pairs(path=REPO / "eval" / "qa_pairs.jsonl")
    seeds = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "seeds").glob("*.txt")}
    own = [p for p in pairs if p.id.startswith("own-")]
    assert len(own) >= 30 and sum(not p.answerable for p in own) >= 8
    for p in pairs:
        if p.source is not None:
            assert p.source in seeds, p.id
        if not p.evidence:
            continue
        raw = seeds[p.source or ""]
        flat = raw.replace("\n", "")
        # The dev rows also drop the spaces that pad numbers in the layout.
        assert p.evidence in flat or p.evidence in re.sub(r"\s", "", raw), p.id
        assert any(normalize_answer(a) in normalize_answer(p.evidence) for a in p.answers), p.id


# --------------------------------------------------------------------------- rendering and command


def _small_run() -> tuple[FakeService, list[QAPair]]:
    service = FakeService(
        answers={
            "山西有多少5G基站？": make_answer(
                "山西有多少5G基站？", "11.5万个", cite("a.txt", "11.5\n万个")
            ),
            "<b>每万人</b>？": make_answer(
                "<b>每万人</b>？", "34个 | x", cite("a.txt", "每万人拥有33个")
            ),
            "太原GDP？": make_answer("太原GDP？", None),
        },
        hits={"山西有多少5G基站？": make_hits(("a.txt", "累计建成5G基站11.5万个"))},
    )
    pairs = [
        pair("山西有多少5G基站？", ["11.5万个"]),
        pair("<b>每万人</b>？", ["33个"]),
        pair("太原GDP？", []),
    ]
    return service, pairs


def test_report_json_has_metrics_at_top_level() -> None:
    service, pairs = _small_run()
    data = report_to_json(evaluate(service=service, pairs=pairs, raw_source=raw_source))
    for key in (
        "em",
        "f1",
        "hit_at_1",
        "hit_at_5",
        "mrr",
        "citation_accuracy",
        "abstain_precision",
        "abstain_recall",
        "p50_ms",
        "p95_ms",
        "n",
    ):
        assert key in data
    assert data["n"] == 3 and data["em"] == pytest.approx(2 / 3, abs=1e-4)
    assert set(data["by_type"]) == {"number", "unanswerable"}
    assert data["rows"][1]["got"] == "34个 | x" and data["rows"][1]["miss"] == "retrieval"
    json.dumps(data)  # serializable as is


def test_renderings_escape_and_list_misses() -> None:
    service, pairs = _small_run()
    report = evaluate(service=service, pairs=pairs, raw_source=raw_source)
    text = render_text(report)
    assert "misses: 1 of 3" in text and "expected: 33个" in text and "ALL" in text
    page = render_html(report)
    assert "&lt;b&gt;每万人&lt;/b&gt;" in page and "<b>每万人" not in page
    md = render_markdown(report)
    assert "34个 \\| x" in md and "| number |" in md


def test_run_eval_command_gate_and_outputs(tmp_path: Path) -> None:
    service, pairs = _small_run()
    path = write(
        tmp_path,
        *(
            json.dumps(
                {
                    "id": p.id,
                    "question": p.question,
                    "answers": list(p.answers),
                    "source": p.source,
                    "evidence": "",
                    "type": p.type,
                },
                ensure_ascii=False,
            )
            for p in pairs
        ),
    )
    baseline = tmp_path / "baseline.json"
    stdout = io.StringIO()
    code = run_eval_command(
        service=service,
        raw_source=raw_source,
        path=path,
        as_json=False,
        out=baseline.with_suffix(".json"),
        check=None,
        stdout=stdout,
    )
    assert code == 0 and baseline.exists()

    def gate(out: Path | None, *, as_json: bool = False) -> tuple[int, str]:
        """Run against ``baseline``, writing ``out``; return the exit code and the output."""
        printed = io.StringIO()
        code = run_eval_command(
            service=service,
            raw_source=raw_source,
            path=path,
            as_json=as_json,
            out=out,
            check=baseline,
            stdout=printed,
        )
        return code, printed.getvalue()

    # Same run against its own baseline passes; a better baseline fails and says why.
    code, printed = gate(tmp_path / "r.html")
    assert code == 0
    assert "regression gate passed" in printed
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!doctype html>")

    better = json.loads(baseline.read_text(encoding="utf-8"))
    better["em"] = 1.0
    baseline.write_text(json.dumps(better), encoding="utf-8")
    code, printed = gate(tmp_path / "r.md")
    assert code == 1
    assert "regression gate FAILED" in printed and "- em: 1.0000 -> 0.6667" in printed
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("# QA evaluation")

    code, printed = gate(None, as_json=True)
    assert code == 1
    result = json.loads(printed)
    assert result["gate"]["passed"] is False and result["gate"]["drops"][0].startswith("em:")


def test_run_eval_command_rejects_unknown_suffix_before_running(tmp_path: Path) -> None:
    service, _ = _small_run()
    with pytest.raises(EvalDataError, match="unknown report format"):
        run_eval_command(
            service=service,
            raw_source=raw_source,
            path=tmp_path / "x.jsonl",
            as_json=False,
            out=tmp_path / "r.pdf",
            check=None,
            stdout=io.StringIO(),
        )
    assert service.asked == []


def test_number_bounded_by_dropped_punctuation_counts_as_retrieved() -> None:
    from qa.evaluate import _contains_answer, _normalize_marking_gaps

    text, gaps = _normalize_marking_gaps("开放时间调整为9:00—17:00（16:30停止检票）")
    assert _contains_answer(text, normalize_answer("9:00-17:00"), gaps)
    text, gaps = _normalize_marking_gaps("用时19小时")
    assert not _contains_answer(text, "9", gaps)
