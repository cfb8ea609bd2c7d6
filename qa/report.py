"""Evaluation report records and their renderings: JSON, plain text, Markdown and HTML.

The metrics themselves are computed in :mod:`qa.evaluate`; this module only holds the
results and shows them. A metric is ``None`` when nothing in the group can be scored for
it (no answerable row for retrieval, no answered row for citations, 0/0 for abstention).
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = [
    "METRIC_NAMES",
    "EvalReport",
    "Metrics",
    "MissKind",
    "RowResult",
    "metrics_to_json",
    "render_html",
    "render_markdown",
    "render_text",
    "report_to_json",
    "row_to_json",
]

# Top-level metric keys of the JSON report, in display order.
METRIC_NAMES: tuple[str, ...] = (
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
)

_HEADERS: dict[str, str] = {
    "em": "EM",
    "f1": "F1",
    "hit_at_1": "hit@1",
    "hit_at_5": "hit@5",
    "mrr": "MRR",
    "citation_accuracy": "cite",
    "abstain_precision": "abstP",
    "abstain_recall": "abstR",
    "p50_ms": "p50ms",
    "p95_ms": "p95ms",
}


class MissKind(StrEnum):
    """Why a row lost points, coarse enough to count across a run."""

    ERROR = "error"  # the service raised instead of answering
    FALSE_ANSWER = "answered_unanswerable"  # answered a question the articles cannot answer
    FALSE_ABSTAIN = "abstained"  # declined although the articles answer it
    RETRIEVAL = "retrieval"  # wrong answer and no gold chunk in the top k
    OLDER_FIGURE = "older_figure"  # gave a figure the pair lists as superseded
    WRONG_SPAN = "wrong_span"  # gold chunk retrieved but another span was chosen
    CITATION = "citation"  # right answer, citation does not hold up


@dataclass(frozen=True, slots=True)
class Metrics:
    """Aggregate scores over a group of rows; ``None`` when the group has nothing to score."""

    n: int
    em: float
    f1: float
    hit_at_1: float | None
    hit_at_5: float | None
    mrr: float | None
    citation_accuracy: float | None
    abstain_precision: float | None
    abstain_recall: float | None
    p50_ms: float
    p95_ms: float


@dataclass(frozen=True, slots=True)
class RowResult:
    """One evaluated question: what was expected, what came back, and how it scored."""

    id: str
    type: str
    question: str
    history: tuple[str, ...]
    expected: tuple[str, ...]  # empty when the question is unanswerable
    got: str | None  # None when the service declined (or raised)
    em: float
    f1: float
    abstained: bool
    hit_rank: int | None  # 1-based rank of the first gold chunk in search results
    retrieval_scored: bool  # False for unanswerable rows
    citation_ok: bool | None  # None when there was no answer to cite
    latency_ms: float
    miss: MissKind | None
    why: str | None  # a readable reason when the row lost points
    error: str | None = None


@dataclass(frozen=True, slots=True)
class EvalReport:
    """The outcome of one evaluation run."""

    overall: Metrics
    by_type: tuple[tuple[str, Metrics], ...]  # (pair type, metrics), sorted by type
    rows: tuple[RowResult, ...]

    @property
    def misses(self) -> tuple[RowResult, ...]:
        """Return the rows that lost points, in input order."""
        return tuple(r for r in self.rows if r.miss is not None)


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def metrics_to_json(metrics: Metrics) -> dict[str, Any]:
    """Return the JSON form of a metrics record (rates rounded to 4 places, ms to 1)."""
    data: dict[str, Any] = {}
    for name in METRIC_NAMES:
        value = getattr(metrics, name)
        data[name] = _round(value, 1 if name.endswith("_ms") else 4)
    data["n"] = metrics.n
    return data


def row_to_json(row: RowResult) -> dict[str, Any]:
    """Return the JSON form of one evaluated row."""
    return {
        "id": row.id,
        "type": row.type,
        "question": row.question,
        "history": list(row.history),
        "expected": list(row.expected),
        "got": row.got,
        "em": row.em,
        "f1": round(row.f1, 4),
        "abstained": row.abstained,
        "hit_rank": row.hit_rank,
        "retrieval_scored": row.retrieval_scored,
        "citation_ok": row.citation_ok,
        "latency_ms": round(row.latency_ms, 1),
        "miss": None if row.miss is None else row.miss.value,
        "why": row.why,
        "error": row.error,
    }


def report_to_json(report: EvalReport) -> dict[str, Any]:
    """Return the ``qa eval --json`` form: overall metrics at top level, then by_type and rows."""
    data = metrics_to_json(report.overall)
    data["by_type"] = {name: metrics_to_json(m) for name, m in report.by_type}
    data["misses_by_kind"] = dict(Counter(r.miss.value for r in report.misses if r.miss))
    data["rows"] = [row_to_json(r) for r in report.rows]
    return data


def _cell(name: str, value: float | None) -> str:
    if value is None:
        return "—"
    if name.endswith("_ms"):
        return f"{value:.1f}"
    return f"{value:.3f}"


def _table_rows(report: EvalReport) -> list[list[str]]:
    """Return header plus one line per type plus the overall line, as strings."""
    lines = [["type", "n", *(_HEADERS[name] for name in METRIC_NAMES)]]
    groups = [*report.by_type, ("ALL", report.overall)]
    for label, metrics in groups:
        cells = [_cell(name, getattr(metrics, name)) for name in METRIC_NAMES]
        lines.append([label, str(metrics.n), *cells])
    return lines


def _expected_text(row: RowResult) -> str:
    return " | ".join(row.expected) if row.expected else "(unanswerable)"


def _got_text(row: RowResult) -> str:
    if row.error is not None:
        return "(error)"
    return "(abstained)" if row.got is None else row.got


def _question_text(row: RowResult) -> str:
    if not row.history:
        return row.question
    return " → ".join([*row.history, row.question])


def render_text(report: EvalReport) -> str:
    """Render a plain-text summary table and the list of misses."""
    lines = _table_rows(report)
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    out: list[str] = []
    for k, line in enumerate(lines):
        out.append(
            "  ".join(
                cell.rjust(w) if i else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(line, widths, strict=True))
            )
        )
        if k == 0 or k == len(lines) - 2:
            out.append("  ".join("-" * w for w in widths))
    misses = report.misses
    out.append("")
    out.append(f"misses: {len(misses)} of {report.overall.n}")
    for row in misses:
        out.append(f"- [{row.id}] {_question_text(row)}")
        out.append(f"    expected: {_expected_text(row)}")
        out.append(f"    got:      {_got_text(row)}")
        out.append(f"    why:      {row.why}")
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    # Pipes end a Markdown table cell and line breaks end the row.
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_markdown(report: EvalReport) -> str:
    """Render the per-type table and the misses as Markdown."""
    lines = _table_rows(report)
    out = ["# QA evaluation", ""]
    out.append("| " + " | ".join(lines[0]) + " |")
    out.append("|" + "|".join(["---", *(["---:"] * (len(lines[0]) - 1))]) + "|")
    for line in lines[1:]:
        out.append("| " + " | ".join(_md(c) for c in line) + " |")
    misses = report.misses
    out += ["", f"## Misses ({len(misses)} of {report.overall.n})", ""]
    if misses:
        out.append("| id | question | expected | got | why |")
        out.append("|---|---|---|---|---|")
        for row in misses:
            cells = [
                row.id,
                _question_text(row),
                _expected_text(row),
                _got_text(row),
                row.why or "",
            ]
            out.append("| " + " | ".join(_md(c) for c in cells) + " |")
    return "\n".join(out) + "\n"


_CSS = """
body { font-family: system-ui, "Noto Sans CJK SC", sans-serif; margin: 2rem; }
table { border-collapse: collapse; margin-bottom: 2rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.all { font-weight: bold; }
"""


def render_html(report: EvalReport) -> str:
    """Render a standalone HTML page with the per-type table and the misses, all escaped."""
    esc = html.escape
    lines = _table_rows(report)
    out = [
        "<!doctype html>",
        '<html lang="zh"><head><meta charset="utf-8"><title>QA evaluation</title>',
        f"<style>{_CSS}</style></head><body>",
        "<h1>QA evaluation</h1>",
        "<table><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in lines[0]) + "</tr></thead>",
        "<tbody>",
    ]
    for k, line in enumerate(lines[1:], start=1):
        css = ' class="all"' if k == len(lines) - 1 else ""
        cells = [f"<td>{esc(line[0])}</td>", *(f'<td class="num">{esc(c)}</td>' for c in line[1:])]
        out.append(f"<tr{css}>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    misses = report.misses
    out.append(f"<h2>Misses ({len(misses)} of {report.overall.n})</h2>")
    if misses:
        out.append(
            "<table><thead><tr><th>id</th><th>question</th><th>expected</th>"
            "<th>got</th><th>why</th></tr></thead><tbody>"
        )
        for row in misses:
            cells = [
                row.id,
                _question_text(row),
                _expected_text(row),
                _got_text(row),
                row.why or "",
            ]
            out.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
        out.append("</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
