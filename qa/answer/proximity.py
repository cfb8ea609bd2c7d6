"""How strongly each question term attaches to a candidate, read from the text's structure.

A term in the candidate's own clause counts fully; in a neighbouring clause, a continued
sentence, the title or elsewhere in the chunk, less. The structure decides which clause a
figure belongs to: 分别 lists, 、 lists of figures, bare clauses (…，达5.16万亿元) and
sentences that continue the one before (其中…, a statement after a semicolon).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from qa.answer.candidates import Candidate, CandidateKind
from qa.answer.enumeration import Binding
from qa.answer.evidence import ChunkEvidence
from qa.answer.text import Sentence, Span

__all__ = [
    "LEADING_KINDS",
    "Strengths",
    "adjacent_terms",
    "extra_chars",
    "list_piece",
    "statement_chain",
    "term_strengths",
]

OWN_CLAUSE = 1.0  # term strength in the candidate's own clause (or its 分别 item)
NEAR_FULL = 10  # characters between term and candidate before the strength decays
OTHER_CLAUSE = 0.55  # strength in the clause next to the candidate's
CLAUSE_DECAY = 0.8  # per further clause
AFTER_FACTOR = 0.7  # terms in later clauses describe something else more often
IN_PARENS = 0.5  # a term inside brackets is an aside
ELSEWHERE = 0.2  # elsewhere in the chunk
TITLE = 0.4  # in the article title: the whole article is about it
NEARBY = 0.15  # in another retrieved chunk of the same article
PARTIAL = 0.7  # found only through a piece of the term
DEPUTY = 0.3  # 副厅长 does not answer 厅长
EMBEDDED = 0.5  # 出口 inside 进出口
CONTINUATION = 0.6  # in the sentence that a 其中/此外 sentence continues
SIBLING = 0.4  # in the statement before a semicolon
BARE_NEIGHBOR = 0.85  # in the clause a bare clause leans on
BARE_LEADING = 0.7  # in the clause after a bare date (4月5日至16日，持票观众…): weaker
BARE_SLACK = 4  # characters besides the candidate that still leave a clause bare (今年, 同比增长)
OTHER_PIECE = 0.5  # another item of a 、 list of figures in the same clause
ADJACENT_GAP = 2  # characters (仅为, 达, 的) allowed between a term and a touching figure

# Times open a sentence and what they date follows them: 21时18分，…点火仪式开始。
LEADING_KINDS = frozenset({CandidateKind.DATE, CandidateKind.TIME})
_CLAUSE_MARK = re.compile(r"[，,。；;：:！？!?]")
_CUT_OFF = re.compile(r"(?:截至|截止|截止到)\s?$")
_CONTINUES = re.compile(r"^\s*(?:其中|其|此外|同时|另外|这|该|此|上述|包括)")
# Words that frame a figure without naming what it measures: a target, a period, a verb.
_FRAMING = re.compile(r"力争|争取|预计|计划|目标|有望|全年|今年|当年|年内|实现|达到|突破|超过")
_FUNCTION_CHARS = set("的了在和与及为是达到至共已将由从对向把被所其中也都就还又并而")


@dataclass(frozen=True, slots=True)
class Strengths:
    """Each term's strength for a candidate: overall, and within its own sentence."""

    overall: dict[str, float]
    local: dict[str, float]


def _strength(
    term: str,
    *,
    ev: ChunkEvidence,
    candidate: Candidate,
    sentence: Sentence,
    clause_index: int,
    binding: Binding | None,
    piece: Span | None,
    previous: Sentence | None,
    carried: float,
    figure_clauses: frozenset[int],
    bare_neighbor: int | None,
    question: str,
    frames: bool = False,
    shared_until: int = -1,
) -> tuple[float, float]:
    """Return the term's strength for the candidate overall and within its sentence."""
    best = 0.0
    local = 0.0
    text = ev.text
    whole_sentence = candidate.kind is CandidateKind.SENTENCE
    for start, end in ev.occurrences.get(term, ()):
        if not whole_sentence and start < candidate.end and candidate.start < end:
            continue
        if binding is not None and any(m.start <= start < m.end for m in binding.masked):
            continue
        if whole_sentence:
            m = OWN_CLAUSE if sentence.span.contains(start, end) else ELSEWHERE
        elif binding is not None and binding.item.start <= start < binding.item.end:
            m = OWN_CLAUSE
        elif sentence.span.contains(start, end):
            index = sentence.clause_index(start)
            if (
                index == clause_index
                and piece is not None
                and not piece.contains(start, end)
                and end > shared_until
            ):
                m = OTHER_PIECE
            elif index == clause_index:
                gap = candidate.start - end if end <= candidate.start else start - candidate.end
                m = max(0.7, OWN_CLAUSE - 0.01 * max(0, gap - NEAR_FULL))
            elif index == bare_neighbor:
                m = BARE_LEADING if candidate.kind in LEADING_KINDS else BARE_NEIGHBOR
            elif frames and index > clause_index:
                m = BARE_NEIGHBOR  # 截至8月6日8时，…，全省受灾人口288.87万人

            else:
                m = OTHER_CLAUSE * CLAUSE_DECAY ** (abs(index - clause_index) - 1)
                # A later clause with a figure of its own describes that figure; one
                # without (…达11.1%，创下40年来新高) still describes this one.
                if (
                    index > clause_index
                    and candidate.kind not in LEADING_KINDS
                    and index in figure_clauses
                ):
                    m *= AFTER_FACTOR
            paren = ev.in_parens(start, end)
            if paren is not None and not paren.contains(candidate.start, candidate.end):
                m *= IN_PARENS
        elif previous is not None and previous.span.contains(start, end):
            m = carried
        else:
            m = ELSEWHERE
        if start > 0 and text[start - 1] == "副" and f"副{term}" not in question:
            m *= DEPUTY
        elif start in ev.embedded.get(term, ()):
            m *= EMBEDDED
        best = max(best, m)
        if sentence.span.contains(start, end) or (
            previous is not None and previous.span.contains(start, end)
        ):
            local = max(local, m)
    if term in ev.partial:
        best *= PARTIAL
        local *= PARTIAL
    if term in ev.title:
        best = max(best, TITLE)
    if best == 0.0 and term in ev.nearby_terms:
        best = NEARBY
    return best, local


def list_piece(
    text: str, clause: Span, candidate: Candidate, peers: list[Candidate]
) -> Span | None:
    """Return the 、-item holding the candidate when its clause lists several figures.

    累计创建国家级绿色工厂115个、绿色工业园区7个: 7个 belongs to 绿色工业园区 only.
    """
    cuts = [i for i in range(clause.start, clause.end) if text[i] == "、"]
    if not cuts:
        return None
    bounds = [clause.start, *(c + 1 for c in cuts), clause.end + 1]
    pieces = [Span(a, b - 1) for a, b in itertools.pairwise(bounds)]
    holding = [p for p in pieces if p.contains(candidate.start, candidate.end)]
    if not holding:
        return None
    with_figures = {
        i
        for i, p in enumerate(pieces)
        for peer in peers
        if peer.kind is candidate.kind and p.contains(peer.start, peer.end)
    }
    return holding[0] if len(with_figures) >= 2 else None


def adjacent_terms(ev: ChunkEvidence, candidate: Candidate, binding: Binding | None) -> list[str]:
    """Return terms that touch the candidate: 5G基站11.5万个, 9个文旅品牌项目, 票价仅为48元."""
    found: list[str] = []
    for term, spans in ev.occurrences.items():
        for start, end in spans:
            before = 0 <= candidate.start - end <= ADJACENT_GAP and not _CLAUSE_MARK.search(
                ev.text[end : candidate.start]
            )
            after = 0 <= start - candidate.end <= ADJACENT_GAP and not _CLAUSE_MARK.search(
                ev.text[candidate.end : start]
            )
            bound = binding is not None and binding.item.start <= start < binding.item.end
            if before or after or bound:
                found.append(term)
                break
    return found


def extra_chars(
    ev: ChunkEvidence, clause: Span, candidate: Candidate, binding: Binding | None
) -> int:
    """Count characters before the candidate in its clause that no question term covers.

    A generic question (山西出口多少) fits 出口894.9亿元 better than 电工器材出口21.8亿元.
    """
    covered: set[int] = set()
    for spans in ev.occurrences.values():
        for start, end in spans:
            covered.update(range(start, end))
    masked: set[int] = set()
    if binding is not None:
        for span in binding.masked:
            masked.update(range(span.start, span.end))
    count = 0.0
    for i in range(clause.start, candidate.start):
        ch = ev.text[i]
        if "\u4e00" <= ch <= "\u9fff" and i not in covered and i not in masked:
            if ch not in _FUNCTION_CHARS:
                # An aside in brackets narrows the statement too, if less.
                count += 0.5 if ev.in_parens(i, i + 1) is not None else 1.0
    return round(count)


def _bare(text: str, clause: Span, figures: list[Candidate]) -> bool:
    """Return True when a clause holds little besides its figures (主跨680米, 达5.16万亿元)."""
    rest = text[clause.start : clause.end]
    for figure in figures:
        if clause.contains(figure.start, figure.end):
            rest = rest.replace(figure.text, "", 1)
    rest = _FRAMING.sub("", rest)  # 全年力争达到320亿元 is as bare as 达320亿元
    return len(re.sub(r"[\s，,。；;：:、]", "", rest)) <= BARE_SLACK


def _bare_neighbor(
    ev: ChunkEvidence,
    sentence: Sentence,
    clause_index: int,
    candidate: Candidate,
    peers: list[Candidate],
) -> int | None:
    """Return the clause a bare clause (…，达5.16万亿元 / 今年7月28日，…) leans on.

    A clause that holds little besides the candidate takes its subject from the clause
    before it (past other bare clauses: 主塔位于大桥云南岸，主跨680米，高297.51米), or for
    a date or time from the clause after it.
    """
    figures = [p for p in peers if p.kind is candidate.kind]
    if not _bare(ev.text, sentence.clauses[clause_index], figures):
        return None
    step = 1 if candidate.kind in LEADING_KINDS else -1
    neighbor = clause_index + step
    while 0 <= neighbor < len(sentence.clauses) and step < 0:
        if not _bare(ev.text, sentence.clauses[neighbor], figures):
            break
        neighbor += step
    return neighbor if 0 <= neighbor < len(sentence.clauses) else None


def _continued(ev: ChunkEvidence, sentence: Sentence) -> tuple[Sentence | None, float]:
    """Return the sentence this one continues, and how strongly its terms carry over.

    A 其中/此外 sentence elaborates the one before it; a statement after a semicolon shares
    its subject (公司主营收入3.7亿元…；归母净利润1017.7万元…).
    """
    index = ev.sentences.index(sentence)
    if index == 0 or ev.sentences[index - 1].paragraph != sentence.paragraph:
        return None, 0.0
    previous = ev.sentences[index - 1]
    if _CONTINUES.match(ev.text[sentence.span.start : sentence.span.end]):
        return previous, CONTINUATION
    if ev.text[previous.span.start : previous.span.end].rstrip().endswith(("；", ";")):
        return previous, SIBLING
    return None, 0.0


def statement_chain(ev: ChunkEvidence, sentence: Sentence) -> list[Sentence]:
    """Return the sentence and the sentences it continues, nearest first.

    …；进口560.4亿元 continues 其中，出口894.9亿元…；, which continues the total before it.
    """
    chain = [sentence]
    previous, _ = _continued(ev, sentence)
    while previous is not None and previous not in chain:
        chain.append(previous)
        previous, _ = _continued(ev, previous)
    return chain


def term_strengths(
    candidate: Candidate,
    *,
    ev: ChunkEvidence,
    sentence: Sentence,
    terms: list[str],
    question: str,
    binding: Binding | None,
    peers: list[Candidate],
) -> Strengths:
    """Return how strongly each term attaches to ``candidate``."""
    clause_index = sentence.clause_index(candidate.start)
    clause = sentence.clauses[clause_index]
    piece = None if binding is not None else list_piece(ev.text, clause, candidate, peers)
    previous, carried = _continued(ev, sentence)
    bare_neighbor = _bare_neighbor(ev, sentence, clause_index, candidate, peers)
    # 截至8月6日8时，… : a cut-off date opening a sentence dates every clause after it.
    frames = candidate.kind in LEADING_KINDS and bool(
        _CUT_OFF.search(ev.text[max(clause.start, candidate.start - 4) : candidate.start])
    )
    # 群众体育项目共设22个大项、248个小项: what precedes the first figure is every item's subject.
    shared_until = min(
        (p.start for p in peers if p.kind is candidate.kind and clause.contains(p.start, p.end)),
        default=-1,
    )
    figure_clauses = frozenset(
        sentence.clause_index(p.start)
        for p in peers
        if p.kind is candidate.kind
        and sentence.span.contains(p.start, p.end)
        and p is not candidate
    )
    pairs = {
        term: _strength(
            term,
            ev=ev,
            candidate=candidate,
            sentence=sentence,
            clause_index=clause_index,
            binding=binding,
            piece=piece,
            previous=previous,
            carried=carried,
            figure_clauses=figure_clauses,
            bare_neighbor=bare_neighbor,
            question=question,
            frames=frames,
            shared_until=shared_until,
        )
        for term in terms
    }
    return Strengths(
        overall={t: v[0] for t, v in pairs.items()}, local={t: v[1] for t, v in pairs.items()}
    )
