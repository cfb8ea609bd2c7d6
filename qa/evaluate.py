"""Score a ``QAService`` on QA pairs: Chinese-aware EM and F1, retrieval, citations, abstention.

Input is JSONL with two row shapes (see ``/work/shared/qa/README.md``)::

    {"id", "question", "answers": [...], "source", "evidence", "type", "as_of"?, "older"?, "note"?}
    {"id", "turns": [question, follow-up, ...], "answers": [...]}   # scored on the last turn

Metrics, over all rows and split by pair ``type``:

* ``em``: the answer equals a gold answer after :func:`normalize_answer`, or both are the
  same quantity (``11.5万个`` == ``115000个``, via :func:`qa.numbers.quantities_equal`).
  An unanswerable row scores 1 when the service abstains (``Answer.text is None``), else 0.
* ``f1``: CMRC 2018 style, over characters of the normalized strings: the longest common
  substring gives precision and recall; best gold wins; 1.0 whenever ``em`` is 1.
* ``hit_at_1``, ``hit_at_5``, ``mrr``: from ``service.search(question, k=5)``; a hit is a chunk
  of the gold source whose normalized text contains a normalized gold answer. Answerable
  rows only.
* ``citation_accuracy``: share of answered rows whose citations all satisfy
  ``raw[start:end] == quote`` and whose first quote contains the answer (whitespace removed).
* ``abstain_precision`` / ``abstain_recall``: abstention as a classifier of unanswerable rows.
* ``p50_ms`` / ``p95_ms``: wall time around ``service.ask``.
"""

from __future__ import annotations

import json
import math
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from qa.errors import QAError
from qa.numbers import quantities_equal
from qa.records import Answer, Hit
from qa.report import (
    METRIC_NAMES,
    EvalReport,
    Metrics,
    MissKind,
    RowResult,
    render_html,
    render_markdown,
    render_text,
    report_to_json,
)
from qa.service import QAService

__all__ = [
    "DEFAULT_TOLERANCE",
    "GATED_METRICS",
    "RETRIEVAL_K",
    "UNANSWERABLE",
    "EvalDataError",
    "EvalReport",
    "Metrics",
    "MissKind",
    "OlderAnswer",
    "QAPair",
    "RowResult",
    "char_f1",
    "check_against_baseline",
    "check_citations",
    "evaluate",
    "exact_match",
    "gold_hit_rank",
    "load_pairs",
    "normalize_answer",
    "percentile",
    "render_html",
    "render_markdown",
    "render_text",
    "report_to_json",
    "run_eval_command",
    "summarize",
]

RETRIEVAL_K = 5  # hit@5 is the widest cut the issue asks for
UNANSWERABLE = "unanswerable"  # the pair type of questions the articles cannot answer
CONVERSATION = "conversation"  # type given to conversation rows that do not state one

# Absolute drop (on a 0..1 scale) a quality metric may show before the gate fails. Two
# points absorbs one flipped question on a ~50-row set (1/50 = 0.02) without hiding a trend.
DEFAULT_TOLERANCE = 0.02

# Latency is reported but not gated: it depends on the machine the gate runs on.
GATED_METRICS: tuple[str, ...] = tuple(m for m in METRIC_NAMES if not m.endswith("_ms"))


class EvalDataError(QAError):
    """A QA pairs file, baseline or output path cannot be used."""


@dataclass(frozen=True, slots=True)
class OlderAnswer:
    """A superseded figure for the same question, reported earlier elsewhere."""

    answer: str
    source: str | None
    as_of: str | None


@dataclass(frozen=True, slots=True)
class QAPair:
    """One evaluation question with its acceptable answers; ``answers == ()`` if unanswerable."""

    id: str
    question: str  # for a conversation, its last turn
    answers: tuple[str, ...]
    source: str | None
    evidence: str
    type: str
    history: tuple[str, ...] = ()  # earlier turns of a conversation, oldest first
    as_of: str | None = None
    older: tuple[OlderAnswer, ...] = ()
    note: str | None = None

    @property
    def answerable(self) -> bool:
        """Return True when the articles answer the question."""
        return bool(self.answers)


# --------------------------------------------------------------------------- loading


def _fail(path: Path, lineno: int, message: str) -> EvalDataError:
    return EvalDataError(f"{path}:{lineno}: {message}")


def _opt_str(row: dict[str, Any], key: str, path: Path, lineno: int) -> str | None:
    value = row.get(key)
    if value is not None and not isinstance(value, str):
        raise _fail(path, lineno, f"'{key}' must be a string or null, got {type(value).__name__}")
    return value


def _str_list(row: dict[str, Any], key: str, path: Path, lineno: int) -> tuple[str, ...]:
    value = row.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, lineno, f"'{key}' must be a list of non-empty strings")
    return tuple(value)


def _older(row: dict[str, Any], path: Path, lineno: int) -> tuple[OlderAnswer, ...]:
    value = row.get("older") or []
    if not isinstance(value, list):
        raise _fail(path, lineno, "'older' must be a list of {answer, source, as_of} objects")
    older: list[OlderAnswer] = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("answer"), str):
            raise _fail(path, lineno, "each 'older' item needs a string 'answer'")
        older.append(
            OlderAnswer(
                answer=item["answer"],
                source=_opt_str(item, "source", path, lineno),
                as_of=_opt_str(item, "as_of", path, lineno),
            )
        )
    return tuple(older)


def _parse_row(row: Any, path: Path, lineno: int) -> QAPair:
    if not isinstance(row, dict):
        raise _fail(path, lineno, "each line must be one JSON object")
    if not isinstance(row.get("id"), str) or not row["id"].strip():
        raise _fail(path, lineno, "missing 'id' (a non-empty string)")
    if "turns" in row:
        turns = _str_list(row, "turns", path, lineno)
        if not turns:
            raise _fail(path, lineno, "'turns' must hold at least one question")
        question, history = turns[-1], turns[:-1]
    elif isinstance(row.get("question"), str) and row["question"].strip():
        question, history = row["question"], ()
    else:
        raise _fail(path, lineno, "missing 'question' (or 'turns' for a conversation row)")
    if "answers" not in row:
        raise _fail(path, lineno, "missing 'answers' (use [] for an unanswerable question)")
    answers = tuple(a.strip() for a in _str_list(row, "answers", path, lineno))
    default_type = UNANSWERABLE if not answers else (CONVERSATION if history else "free")
    pair_type = _opt_str(row, "type", path, lineno) or default_type
    if pair_type == UNANSWERABLE and answers:
        raise _fail(path, lineno, "type 'unanswerable' but 'answers' is not empty")
    if not answers and pair_type != UNANSWERABLE:
        raise _fail(path, lineno, f"type '{pair_type}' but 'answers' is empty")
    return QAPair(
        id=row["id"],
        question=question,
        answers=answers,
        source=_opt_str(row, "source", path, lineno),
        evidence=_opt_str(row, "evidence", path, lineno) or "",
        type=pair_type,
        history=history,
        as_of=_opt_str(row, "as_of", path, lineno),
        older=_older(row, path, lineno),
        note=_opt_str(row, "note", path, lineno),
    )


def load_pairs(*, path: Path) -> list[QAPair]:
    """Read QA pairs and conversation rows from a JSONL file, naming the line of any error."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EvalDataError(f"{path}: no such file; pass a JSONL file of QA pairs") from None
    except UnicodeDecodeError as exc:
        raise EvalDataError(f"{path}: not UTF-8 ({exc.reason}); save the file as UTF-8") from None
    pairs: list[QAPair] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _fail(path, lineno, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
        pair = _parse_row(row, path, lineno)
        if pair.id in seen:
            raise _fail(path, lineno, f"duplicate id {pair.id!r} (first on line {seen[pair.id]})")
        seen[pair.id] = lineno
        pairs.append(pair)
    if not pairs:
        raise EvalDataError(f"{path}: no QA pairs found; write one JSON object per line")
    return pairs


# --------------------------------------------------------------------------- answer metrics

# CMRC 2018 drops these even though some are symbols, not punctuation, to Unicode.
_EXTRA_DROPPED = frozenset("+=^`~|<>$")
# Kept although Unicode calls them punctuation: they change what a number means.
_KEPT_PUNCTUATION = frozenset("%‰")


def normalize_answer(text: str) -> str:
    """Return ``text`` compared as CMRC does: full-width folded, no spaces, dashes or punctuation.

    A decimal point between digits is kept, because ``11.5万`` and ``115万`` differ.
    """
    return _normalize_marking_gaps(text)[0]


def _normalize_marking_gaps(text: str) -> tuple[str, list[bool]]:
    """Normalize like :func:`normalize_answer`; also say where punctuation was dropped.

    ``gaps[i]`` is True when something was dropped right before output character ``i``
    (``gaps[len(out)]`` covers the end), so number boundaries survive normalization:
    in ``17:00（16:30`` the ``00`` and ``16`` are separate numbers.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    chars = [ch for ch in folded if not ch.isspace()]
    out: list[str] = []
    gaps: list[bool] = []
    dropped = False
    for i, ch in enumerate(chars):
        between_digits = (
            0 < i < len(chars) - 1 and chars[i - 1].isdigit() and chars[i + 1].isdigit()
        )
        if (ch == "." and between_digits) or ch in _KEPT_PUNCTUATION:
            keep = True
        else:
            # every dash is punctuation (Pd): 9:00—17:00 and 9:00-17:00 meet
            keep = not (ch in _EXTRA_DROPPED or unicodedata.category(ch).startswith("P"))
        if keep:
            out.append(ch)
            gaps.append(dropped)
            dropped = False
        else:
            dropped = True
    gaps.append(dropped)
    return "".join(out), gaps


def exact_match(*, prediction: str, golds: Iterable[str]) -> bool:
    """Return True when ``prediction`` equals a gold answer as text or as a quantity."""
    norm = normalize_answer(prediction)
    for gold in golds:
        if norm and norm == normalize_answer(gold):
            return True
        if quantities_equal(prediction, gold):
            return True
    return False


def _longest_common_substring(a: str, b: str) -> int:
    best = 0
    previous = [0] * (len(b) + 1)
    for ca in a:
        current = [0] * (len(b) + 1)
        for j, cb in enumerate(b, start=1):
            if ca == cb:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def char_f1(*, prediction: str, golds: Iterable[str]) -> float:
    """Return the best CMRC-style character F1 of ``prediction`` against ``golds``.

    Unlike the CMRC script, which keeps runs of Latin letters and digits as single tokens,
    every character counts: ``83.5亿`` against ``83.5亿元`` earns partial credit.
    """
    pred = normalize_answer(prediction)
    best = 0.0
    for gold in golds:
        ref = normalize_answer(gold)
        if not pred or not ref:
            continue
        common = _longest_common_substring(pred, ref)
        if common == 0:
            continue
        precision, recall = common / len(pred), common / len(ref)
        best = max(best, 2 * precision * recall / (precision + recall))
    return best


# --------------------------------------------------------------------------- retrieval


def _contains_answer(text: str, answer: str, gaps: Sequence[bool] | None = None) -> bool:
    """Return True when normalized ``answer`` occurs in normalized ``text`` as a whole number.

    ``9`` must not count inside ``19`` or ``9.8``: a bare number matched anywhere would
    make short answers look retrieved by chunks that only share a digit. ``gaps`` (from
    :func:`_normalize_marking_gaps`) marks dropped punctuation, which also bounds a number.
    """
    if not answer:
        return False
    start = text.find(answer)
    while start != -1:
        end = start + len(answer)
        before_ok = not (
            answer[0].isdigit()
            and start > 0
            and (text[start - 1].isdigit() or text[start - 1] == ".")
            and not (gaps and gaps[start])
        )
        after_ok = not (
            answer[-1].isdigit()
            and end < len(text)
            and (text[end].isdigit() or text[end] == ".")
            and not (gaps and gaps[end])
        )
        if before_ok and after_ok:
            return True
        start = text.find(answer, start + 1)
    return False


def gold_hit_rank(*, hits: Sequence[Hit], pair: QAPair) -> int | None:
    """Return the 1-based position of the first hit holding a gold answer, else None.

    A pair without a ``source`` (conversation rows) accepts a chunk of any source.
    """
    golds = [normalize_answer(a) for a in pair.answers]
    for position, hit in enumerate(hits, start=1):
        if pair.source is not None and hit.chunk.source != pair.source:
            continue
        text, gaps = _normalize_marking_gaps(hit.chunk.text)
        if any(_contains_answer(text, gold, gaps) for gold in golds):
            return position
    return None


# --------------------------------------------------------------------------- citations


def check_citations(*, answer: Answer, raw_source: Callable[[str], str]) -> tuple[bool, str | None]:
    """Return whether the answer's citations hold up, and if not, why.

    Every citation (alternatives' too) must satisfy ``raw[start:end] == quote``, and the
    first citation's quote must contain the answer once whitespace is removed.
    """
    if answer.text is None:
        return False, "no answer to cite"
    if not answer.citations:
        return False, "answer has no citation"
    citations = [*answer.citations, *(c for alt in answer.alternatives for c in alt.citations)]
    for citation in citations:
        try:
            raw = raw_source(citation.source)
        except KeyError:
            return False, f"citation names unknown source {citation.source!r}"
        where = f"{citation.source}[{citation.start}:{citation.end}]"
        if not 0 <= citation.start < citation.end <= len(raw):
            return False, f"citation {where} is out of range"
        if raw[citation.start : citation.end] != citation.quote:
            return False, f"quote differs from {where}"
    squashed_quote = re.sub(r"\s+", "", answer.citations[0].quote)
    if re.sub(r"\s+", "", answer.text) not in squashed_quote:
        return False, "first citation's quote does not contain the answer"
    return True, None


# --------------------------------------------------------------------------- running


def percentile(values: Sequence[float], q: float) -> float:
    """Return the ``q``-th percentile (0..100) with linear interpolation; 0.0 if empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summarize(rows: Sequence[RowResult]) -> Metrics:
    """Aggregate row results into metrics; rates without a denominator are None."""
    retrieval = [r for r in rows if r.retrieval_scored]
    cited = [r for r in rows if r.citation_ok is not None]
    abstained = [r for r in rows if r.abstained]
    unanswerable = [r for r in rows if not r.expected]
    true_abstentions = sum(1 for r in abstained if not r.expected)
    latencies = [r.latency_ms for r in rows]
    return Metrics(
        n=len(rows),
        em=_mean([r.em for r in rows]) or 0.0,
        f1=_mean([r.f1 for r in rows]) or 0.0,
        hit_at_1=_mean([1.0 if r.hit_rank == 1 else 0.0 for r in retrieval]),
        hit_at_5=_mean(
            [
                1.0 if r.hit_rank is not None and r.hit_rank <= RETRIEVAL_K else 0.0
                for r in retrieval
            ]
        ),
        mrr=_mean([1.0 / r.hit_rank if r.hit_rank else 0.0 for r in retrieval]),
        citation_accuracy=_mean([1.0 if r.citation_ok else 0.0 for r in cited]),
        abstain_precision=true_abstentions / len(abstained) if abstained else None,
        abstain_recall=true_abstentions / len(unanswerable) if unanswerable else None,
        p50_ms=percentile(latencies, 50),
        p95_ms=percentile(latencies, 95),
    )


def _search_query(pair: QAPair) -> str:
    # A follow-up such as "总投资额呢？" names nothing; the earlier turns carry the topic.
    return " ".join([*pair.history, pair.question])


def _older_match(pair: QAPair, got: str) -> OlderAnswer | None:
    for older in pair.older:
        if exact_match(prediction=got, golds=[older.answer]):
            return older
    return None


def _diagnose(
    *, pair: QAPair, got: str | None, em: float, rank: int | None, citation_why: str | None
) -> tuple[MissKind | None, str | None]:
    """Name the first reason a row lost points, in the order a developer would fix them."""
    if not pair.answerable:
        if got is None:
            return None, None
        return MissKind.FALSE_ANSWER, f"answered {got!r} but the articles do not say"
    where = (
        f"gold chunk at rank {rank}"
        if rank is not None
        else f"no gold chunk in the top {RETRIEVAL_K}"
    )
    if got is None:
        return MissKind.FALSE_ABSTAIN, f"abstained; {where}"
    if em == 0.0:
        older = _older_match(pair, got)
        if older is not None:
            return MissKind.OLDER_FIGURE, (
                f"gave the older figure from {older.source} (as of {older.as_of}); {where}"
            )
        if rank is None:
            return MissKind.RETRIEVAL, f"wrong answer; {where}"
        return MissKind.WRONG_SPAN, f"wrong span; {where}"
    if citation_why is not None:
        return MissKind.CITATION, f"citation: {citation_why}"
    return None, None


def _evaluate_one(
    *, service: QAService, pair: QAPair, raw_source: Callable[[str], str]
) -> RowResult:
    started = time.perf_counter()
    error: str | None = None
    answer: Answer | None = None
    try:
        answer = service.ask(pair.question, history=pair.history)
    except QAError as exc:
        error = f"{type(exc).__name__}: {exc}"
    latency_ms = (time.perf_counter() - started) * 1000

    rank: int | None = None
    if pair.answerable:
        try:
            hits = service.search(_search_query(pair), k=RETRIEVAL_K)
        except QAError:
            hits = []  # the ask above already shows the error; retrieval just scores a miss
        rank = gold_hit_rank(hits=hits, pair=pair)

    if answer is None:  # the service raised: not an abstention, and worth nothing
        return RowResult(
            id=pair.id,
            type=pair.type,
            question=pair.question,
            history=pair.history,
            expected=pair.answers,
            got=None,
            em=0.0,
            f1=0.0,
            abstained=False,
            hit_rank=rank,
            retrieval_scored=pair.answerable,
            citation_ok=None,
            latency_ms=latency_ms,
            miss=MissKind.ERROR,
            why=f"service error: {error}",
            error=error,
        )

    got: str | None = answer.text
    if not pair.answerable:
        em = f1 = 1.0 if got is None else 0.0
    elif got is None:
        em = f1 = 0.0
    else:
        em = 1.0 if exact_match(prediction=got, golds=pair.answers) else 0.0
        f1 = max(em, char_f1(prediction=got, golds=pair.answers))

    citation_ok: bool | None = None
    citation_why: str | None = None
    if got is not None:
        citation_ok, citation_why = check_citations(answer=answer, raw_source=raw_source)

    miss, why = _diagnose(pair=pair, got=got, em=em, rank=rank, citation_why=citation_why)
    return RowResult(
        id=pair.id,
        type=pair.type,
        question=pair.question,
        history=pair.history,
        expected=pair.answers,
        got=got,
        em=em,
        f1=f1,
        abstained=got is None,
        hit_rank=rank,
        retrieval_scored=pair.answerable,
        citation_ok=citation_ok,
        latency_ms=latency_ms,
        miss=miss,
        why=why,
    )


def evaluate(
    *, service: QAService, pairs: Sequence[QAPair], raw_source: Callable[[str], str]
) -> EvalReport:
    """Ask every pair, score it, and aggregate overall and per pair type."""
    cache: dict[str, str] = {}

    def cached_raw(source: str) -> str:
        if source not in cache:
            cache[source] = raw_source(source)
        return cache[source]

    rows = tuple(_evaluate_one(service=service, pair=p, raw_source=cached_raw) for p in pairs)
    types = sorted({r.type for r in rows})
    by_type = tuple((t, summarize([r for r in rows if r.type == t])) for t in types)
    return EvalReport(overall=summarize(rows), by_type=by_type, rows=rows)


# --------------------------------------------------------------------------- gate and command


def check_against_baseline(
    *, current: dict[str, Any], baseline: dict[str, Any], tolerance: float
) -> list[str]:
    """Return a readable line per quality metric more than ``tolerance`` below the baseline."""
    drops: list[str] = []
    for name in GATED_METRICS:
        before, now = baseline.get(name), current.get(name)
        if before is None:
            continue  # the baseline could not measure it, so there is nothing to keep
        if now is None:
            drops.append(f"{name}: was {before:.4f}, now not measurable")
        elif now < before - tolerance - 1e-12:  # the epsilon keeps an exact-tolerance drop passing
            drops.append(
                f"{name}: {before:.4f} -> {now:.4f} "
                f"(-{before - now:.4f}, tolerance {tolerance:.4f})"
            )
    return drops


_RENDERERS: dict[str, Callable[[EvalReport], str]] = {
    ".html": render_html,
    ".htm": render_html,
    ".md": render_markdown,
    ".markdown": render_markdown,
    ".txt": render_text,
    ".json": lambda report: json.dumps(report_to_json(report), ensure_ascii=False, indent=2) + "\n",
}


def _load_baseline(check: Path) -> dict[str, Any]:
    try:
        data = json.loads(check.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvalDataError(
            f"{check}: no such baseline; create one with `qa eval PATH --out {check}`"
        ) from None
    except json.JSONDecodeError as exc:
        raise EvalDataError(f"{check}: baseline is not JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise EvalDataError(f"{check}: baseline must be the JSON object `qa eval --json` prints")
    return data


def run_eval_command(
    *,
    service: QAService,
    raw_source: Callable[[str], str],
    path: Path,
    as_json: bool,
    out: Path | None,
    check: Path | None,
    stdout: TextIO,
) -> int:
    """Run ``qa eval PATH [--json] [--out FILE] [--check BASELINE]``; return the exit code.

    Exit code 0 when the run finishes and the gate (if any) passes, 1 when a gated metric
    fell more than :data:`DEFAULT_TOLERANCE` below the baseline. With ``--json`` the gate
    result is the ``gate`` key of the printed object, so stdout stays one JSON document.
    """
    # Fail on bad arguments before spending minutes asking questions.
    if out is not None and out.suffix.lower() not in _RENDERERS:
        known = ", ".join(sorted(_RENDERERS))
        raise EvalDataError(f"{out}: unknown report format; end the name with one of {known}")
    baseline = _load_baseline(check) if check is not None else None
    pairs = load_pairs(path=path)

    report = evaluate(service=service, pairs=pairs, raw_source=raw_source)
    data = report_to_json(report)
    drops: list[str] = []
    if baseline is not None:
        drops = check_against_baseline(current=data, baseline=baseline, tolerance=DEFAULT_TOLERANCE)

    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(_RENDERERS[out.suffix.lower()](report), encoding="utf-8")

    if as_json:
        if baseline is not None:
            data["gate"] = {"passed": not drops, "tolerance": DEFAULT_TOLERANCE, "drops": drops}
        stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        stdout.write(render_text(report))
        if out is not None:
            stdout.write(f"\nreport written to {out}\n")
        if baseline is not None:
            if drops:
                stdout.write(f"\nregression gate FAILED against {check}:\n")
                stdout.writelines(f"  - {line}\n" for line in drops)
            else:
                stdout.write(
                    f"\nregression gate passed against {check} (tolerance {DEFAULT_TOLERANCE})\n"
                )
    return 1 if drops else 0
