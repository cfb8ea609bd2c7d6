"""The answer path: the reader proposes spans, the rules verify them, a threshold declines.

retrieve -> read the top chunks (scores comparable across chunks) -> snap each span to its
whole number, unit or date -> verify (a span the question's units or terms rule out is
dropped) -> as_of, conflicting figures, alternatives and citations -> decline when the best
score is under ``decline_below`` (unless the rules pick the same span), showing the closest
passages instead.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from qa.answer.answerer import Answerer
from qa.answer.candidates import Candidate, CandidateKind, extract_candidates
from qa.answer.citations import cite, cite_chunk, quote_span
from qa.answer.conflicts import resolve_conflicts
from qa.answer.evidence import ChunkEvidence, build_evidence
from qa.answer.question import QuestionAnalysis
from qa.answer.scoring import ScoredCandidate
from qa.answer.statement_time import statement_time
from qa.evaluate import normalize_answer
from qa.numbers import parse_quantity
from qa.reader.reader import Reader
from qa.records import Alternative, Answer, AnswerType, Citation, Hit, SpanProposal

__all__ = ["AGREE_TOP", "DECLINE_BELOW", "READ_HITS", "ReadingAnswerer", "follow_up_question"]

# Chunks the reader reads: 4 keeps warm `qa ask` near 150 ms p50 on two cores; reading 5 won
# one more of 60 final4 questions at 184 ms p50, 3 lost two (README, speed).
READ_HITS = 4
PROPOSALS = 12  # spans kept over all chunks before verification
# The decision, chosen on final4 and 400 held-out MRC questions (README: eval/sweep.py): the
# reader's best span answers when its margin over "no answer" reaches DECLINE_BELOW; when the
# rule-based answerer picks one of the reader's AGREE_TOP best spans, two independent methods
# agree and that span answers whatever its margin (it tied on EM with a -3 floor, and met the
# seed pages' decline-precision target where the floor did not).
DECLINE_BELOW = -2.0
AGREE_TOP = 3
CLOSEST_PASSAGES = 3  # passages shown when declining
MAX_ALTERNATIVES = 3
SCORE_SCALE = 2.0  # logit margin that maps to confidence 0.73 (sigmoid(margin / scale))
# Typed spans a reader's span is snapped to, so 11.5 becomes 11.5万个 and 7月 becomes 7月底.
_SNAP_KINDS = frozenset({CandidateKind.QUANTITY, CandidateKind.DATE, CandidateKind.TIME})


@dataclass(frozen=True, slots=True)
class Proposals:
    """What the answer path weighs: reader options (verified, snapped) and the rules' pick."""

    analysis: QuestionAnalysis
    options: Sequence[_Option]
    rule_scored: Sequence[ScoredCandidate]
    rules_answer: Answer  # the rule-based answerer's own answer over the same hits

    @property
    def rules_pick(self) -> str | None:
        """Return the rules' answer text, None when they decline."""
        return self.rules_answer.text


@dataclass(frozen=True, slots=True)
class _Option:
    proposal: SpanProposal
    evidence: ChunkEvidence
    candidate: Candidate
    rule: ScoredCandidate | None  # the rules' scoring of the same span, when they found it

    @property
    def score(self) -> float:
        return self.proposal.score

    @property
    def text(self) -> str:
        return self.candidate.text


def _agreeing(options: Sequence[_Option], pick: str | None, *, top: int) -> _Option | None:
    """Return the first of the reader's top options that is the rules' pick, if any."""
    if pick is None:
        return None
    wanted = normalize_answer(pick)
    for option in options[:top]:
        if normalize_answer(option.text) == wanted:
            return option
    return None


def follow_up_question(question: str, history: Sequence[str]) -> str:
    """Return a question the reader can read alone: a follow-up gets the last turn before it."""
    if not history:
        return question
    previous = history[-1].rstrip("？?。! ")
    return f"{previous}，{question}"


def _snap(ev: ChunkEvidence, start: int, end: int) -> Candidate:
    """Return the span widened to the whole number, unit or date it cuts, typed if it is one."""
    sentence = ev.sentence_at(start)
    typed = [
        c
        for c in extract_candidates(ev.text, sentence.span, kinds=_SNAP_KINDS)
        if c.start < end and start < c.end
    ]
    if typed:
        # the typed span that overlaps most; the reader's span grows to hold it whole
        best = max(typed, key=lambda c: (min(end, c.end) - max(start, c.start), c.end - c.start))
        inside = best.start >= start and best.end <= end
        if inside and len(typed) == 1:
            return best  # 累计建成11.5万个 -> 11.5万个: the figure is the answer
        if not inside:
            new_start, new_end = min(start, best.start), max(end, best.end)
            if (new_start, new_end) == (best.start, best.end):
                return best
            start, end = new_start, new_end
    text = ev.text[start:end]
    return Candidate(CandidateKind.SPAN, start, end, text, quantity=parse_quantity(text))


class ReadingAnswerer:
    """Answer from a reader's proposals, verified and dated by the rule-based analysis."""

    def __init__(
        self,
        *,
        reader: Reader,
        rules: Answerer,
        decline_below: float = DECLINE_BELOW,
        agree_top: int = AGREE_TOP,
        read_hits: int = READ_HITS,
        verify: bool = True,
    ) -> None:
        self._reader = reader
        self._rules = rules
        self._decline_below = decline_below
        self._agree_top = agree_top
        self._read_hits = read_hits
        self._verify = verify

    def proposals(
        self, *, question: str, hits: Sequence[Hit], history: Sequence[str] = ()
    ) -> Proposals:
        """Return the verified, snapped reader options (best first) and the rules' own answer."""
        analysis = self._rules.analyze_question(question, history=history)
        read = list(hits[: self._read_hits])
        proposals = self._reader.read(
            question=follow_up_question(question, history), hits=read, top_k=PROPOSALS
        )
        evidence = build_evidence(
            read,
            analysis,
            tokenize=self._rules.tokenize,
            place_names=self._rules.places,
            lexicon=self._rules.lexicon,
        )
        by_chunk = {ev.hit.chunk.id: ev for ev in evidence}
        rule_scored = self._rules.score_candidates(analysis, evidence)
        options = [
            option
            for option in (self._option(p, by_chunk, rule_scored) for p in proposals)
            if not self._verify or _verified(option, analysis)
        ]
        rules_answer = self._rules.decide(question, analysis, rule_scored)
        return Proposals(
            analysis=analysis, options=options, rule_scored=rule_scored, rules_answer=rules_answer
        )

    def answer(self, *, question: str, hits: Sequence[Hit], history: Sequence[str] = ()) -> Answer:
        """Answer ``question`` from ``hits``, or decline with ``text=None`` and close passages."""
        started = time.perf_counter()
        found = self.proposals(question=question, hits=hits, history=history)
        analysis, options = found.analysis, list(found.options)
        agreed = _agreeing(options, found.rules_pick, top=self._agree_top)
        if agreed is not None:
            options = [agreed, *(o for o in options if o is not agreed)]
        threshold = -math.inf if agreed is not None else self._decline_below
        if not options or options[0].score < threshold:
            best = options[0].score if options else None
            answer = self._decline(question, analysis, best, threshold, hits)
        else:
            answer = self._build(question, analysis, options, found.rule_scored, agreed=agreed)
            if agreed is not None:  # two methods agree: as sure as the surer of them
                confidence = max(answer.confidence, found.rules_answer.confidence)
                answer = replace(answer, confidence=confidence)
        answer.timings_ms["answer"] = (time.perf_counter() - started) * 1000.0
        return answer

    def _option(
        self,
        proposal: SpanProposal,
        by_chunk: dict[str, ChunkEvidence],
        rule_scored: Sequence[ScoredCandidate],
    ) -> _Option:
        ev = by_chunk[proposal.hit.chunk.id]
        candidate = _snap(ev, proposal.start, proposal.end)
        rule = next(
            (
                s
                for s in rule_scored
                if s.evidence is ev
                and s.candidate.start == candidate.start
                and s.candidate.end == candidate.end
            ),
            None,
        )
        return _Option(proposal=proposal, evidence=ev, candidate=candidate, rule=rule)

    def _decline(
        self,
        question: str,
        analysis: QuestionAnalysis,
        best: float | None,
        threshold: float,
        hits: Sequence[Hit],
    ) -> Answer:
        closest = tuple(cite_chunk(hit.chunk) for hit in hits[:CLOSEST_PASSAGES])
        reason = (
            "no span proposed"
            if best is None
            else f"best span scores {best:.2f}, under the threshold {threshold:.2f}"
        )
        return Answer.declined(
            question=question,
            answer_type=analysis.answer_type,
            confidence=_confidence(best) if best is not None else 0.0,
            closest=closest,
            explanation=(f"type {analysis.answer_type.value}", f"declined: {reason}"),
        )

    def _build(
        self,
        question: str,
        analysis: QuestionAnalysis,
        options: Sequence[_Option],
        rule_scored: Sequence[ScoredCandidate],
        *,
        agreed: _Option | None,
    ) -> Answer:
        top = options[0]
        explanation = [
            f"type {analysis.answer_type.value}",
            f"reader: {top.proposal.text} in {top.proposal.hit.chunk.source} "
            f"(hit rank {top.proposal.hit.rank}), score {top.score:.2f}",
        ]
        if top.candidate.text != top.proposal.text:
            explanation.append(f"snapped to {top.candidate.text}")
        if agreed is not None:
            explanation.append("the rule-based answerer picks the same span")
        alternatives: list[tuple[str, str | None, Citation]] = []
        chosen_candidate, ev = top.candidate, top.evidence
        sentence = ev.sentence_at(chosen_candidate.start)
        as_of, _ = statement_time(chosen_candidate, sentence, ev)
        binding = None
        if top.rule is not None:
            # the same figure reported elsewhere: the most recent statement answers
            complete = [s for s in rule_scored if not s.missing]
            chosen, others = resolve_conflicts(top.rule, complete or [top.rule], analysis)
            if chosen is not top.rule:
                explanation.append(
                    f"most recent of {len(others) + 1} reports: {chosen.candidate.text}"
                )
            chosen_candidate, ev, sentence = chosen.candidate, chosen.evidence, chosen.sentence
            as_of, binding = chosen.as_of, chosen.binding
            for other in others[:MAX_ALTERNATIVES]:
                o_start, o_end = quote_span(
                    other.evidence, other.sentence, other.candidate, other.binding
                )
                alternatives.append(
                    (other.candidate.text, other.as_of, cite(other.evidence, o_start, o_end))
                )
        start, end = quote_span(ev, sentence, chosen_candidate, binding)
        if analysis.answer_type in (AnswerType.DATE, AnswerType.TIME):
            as_of = ev.hit.chunk.date  # a date answers for itself; as_of is when it was reported
        quantity = chosen_candidate.quantity
        return Answer(
            question=question,
            text=chosen_candidate.text,
            answer_type=analysis.answer_type,
            value=quantity.value if quantity else None,
            unit=quantity.unit if quantity else None,
            as_of=as_of,
            confidence=_confidence(top.score),
            evidence=ev.text[sentence.span.start : sentence.span.end].strip(),
            citations=(cite(ev, start, end),),
            alternatives=tuple(
                Alternative(text=text, as_of=when, citations=(citation,))
                for text, when, citation in alternatives
            ),
            explanation=tuple(explanation),
        )


def _verified(option: _Option, analysis: QuestionAnalysis) -> bool:
    """Return False when the rules rule the span out: a unit the question excludes."""
    rule = option.rule
    if rule is None:
        return True
    return not any(f.name == "unit" and f.value <= UNIT_CLASH for f in rule.features)


UNIT_CLASH = -0.8  # the rules' penalties of -0.8 and below mark a unit of another dimension


def _confidence(score: float) -> float:
    """Map a reader margin to (0, 1)."""
    return 1.0 / (1.0 + math.exp(-score / SCORE_SCALE))
