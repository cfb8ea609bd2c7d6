"""The answerer: question analysis -> candidates -> scores -> conflicts -> abstention -> Answer."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Collection, Sequence

from qa.answer.candidates import Candidate, CandidateKind, day_of, extract_candidates
from qa.answer.citations import cite, quote_span
from qa.answer.conflicts import answer_key, resolve_conflicts
from qa.answer.enumeration import respectively_bindings
from qa.answer.evidence import ChunkEvidence, build_evidence, term_weights
from qa.answer.lexicon import Lexicon, load_lexicon
from qa.answer.places import REGIONS
from qa.answer.question import QuestionAnalysis, analyze_question, candidate_kinds
from qa.answer.scoring import ScoredCandidate, score_candidate
from qa.ingest import dateline_end
from qa.records import Alternative, Answer, AnswerType, Hit

__all__ = ["MIN_CONFIDENCE", "Answerer"]

MIN_CONFIDENCE = 0.3  # below this the answerer declines
CONFIDENCE_MIDPOINT = 2.4  # score at which the score part of confidence is 0.5
CONFIDENCE_SLOPE = 1.5
MARGIN_FLOOR = 0.4  # a runner-up with the same score leaves this share of the confidence
MAX_ALTERNATIVES = 3
MIN_SENTENCE = 6  # characters; shorter lines are labels, not answers
# 哪一天提交: the question asks for a day, so 12月26日18时 answers with 12月26日.
DAY_QUESTIONS = frozenset({"哪天", "哪一天", "几号", "哪日", "哪一日"})


def _confidence(best: ScoredCandidate, runner_up: float | None) -> float:
    """Return a confidence in [0, 1] that grows with the score and the lead over other values."""
    base = 1.0 / (1.0 + math.exp(-CONFIDENCE_SLOPE * (best.score - CONFIDENCE_MIDPOINT)))
    if runner_up is None:
        return base
    margin = max(0.0, best.score - runner_up)
    return base * (MARGIN_FLOOR + (1.0 - MARGIN_FLOOR) * math.tanh(1.5 * margin + 0.2))


class Answerer:
    """Extract a short answer span, its time and its citations from retrieved chunks."""

    def __init__(
        self,
        *,
        tokenize: Callable[[str], list[str]],
        place_names: Collection[str] | None = None,
        lexicon: Lexicon | None = None,
    ) -> None:
        self._tokenize = tokenize
        self._lexicon = lexicon if lexicon is not None else load_lexicon(regions=REGIONS)
        self._places = self._lexicon.places if place_names is None else frozenset(place_names)

    @property
    def tokenize(self) -> Callable[[str], list[str]]:
        """Return the word tokenizer the rules use."""
        return self._tokenize

    @property
    def places(self) -> frozenset[str]:
        """Return the place names the rules know."""
        return self._places

    @property
    def lexicon(self) -> Lexicon:
        """Return the rules' lexicon."""
        return self._lexicon

    def analyze_question(self, question: str, *, history: Sequence[str] = ()) -> QuestionAnalysis:
        """Return the analysis of ``question``, following up on ``history`` (oldest first)."""
        previous: QuestionAnalysis | None = None
        for turn in history:
            previous = analyze_question(
                turn,
                tokenize=self._tokenize,
                place_names=self._places,
                lexicon=self._lexicon,
                previous=previous,
            )
        return analyze_question(
            question,
            tokenize=self._tokenize,
            place_names=self._places,
            lexicon=self._lexicon,
            previous=previous,
        )

    def answer(self, *, question: str, hits: Sequence[Hit], history: Sequence[str] = ()) -> Answer:
        """Answer ``question`` from ``hits``, or decline with ``text=None``."""
        started = time.perf_counter()
        analysis = self.analyze_question(question, history=history)
        evidence = build_evidence(
            hits,
            analysis,
            tokenize=self._tokenize,
            place_names=self._places,
            lexicon=self._lexicon,
        )
        scored = self.score_candidates(analysis, evidence)
        answer = self.decide(question, analysis, scored)
        elapsed = (time.perf_counter() - started) * 1000.0
        answer.timings_ms["answer"] = elapsed
        return answer

    def _candidates(
        self, ev: ChunkEvidence, kinds: frozenset[CandidateKind], *, day: bool = False
    ) -> list[tuple[Candidate, int]]:
        found: list[tuple[Candidate, int]] = []
        for index, sentence in enumerate(ev.sentences):
            if CandidateKind.SENTENCE in kinds:
                span = ev.text[sentence.span.start : sentence.span.end]
                lead = len(span) - len(span.lstrip())
                # the dateline (and any markup around it) is not part of the statement
                lead += dateline_end(span[lead:])
                text = span[lead:].strip()
                # A sentence that asks (为什么缅甸旅游业会遇冷呢？) answers nothing.
                asks = text.rstrip("”’」』)） ").endswith(("？", "?"))
                if len(text) >= MIN_SENTENCE and not asks:
                    start = sentence.span.start + lead
                    found.append(
                        (Candidate(CandidateKind.SENTENCE, start, start + len(text), text), index)
                    )
                continue
            for candidate in extract_candidates(
                ev.text, sentence.span, kinds=kinds, places=self._places
            ):
                found.append((day_of(candidate) if day else candidate, index))
        return found

    def score_candidates(
        self, analysis: QuestionAnalysis, evidence: Sequence[ChunkEvidence]
    ) -> list[ScoredCandidate]:
        """Return every typed candidate in ``evidence`` with its rule score, best first."""
        kinds = candidate_kinds(analysis.answer_type)
        weights = term_weights(analysis, evidence)
        squashed_question = analysis.question.replace(" ", "")
        scored: list[ScoredCandidate] = []
        for ev in evidence:
            by_sentence: dict[int, list[Candidate]] = {}
            day = analysis.wh in DAY_QUESTIONS
            for candidate, index in self._candidates(ev, kinds, day=day):
                by_sentence.setdefault(index, []).append(candidate)
            for index, candidates in by_sentence.items():
                sentence = ev.sentences[index]
                bindings = respectively_bindings(ev.text, sentence, candidates)
                for candidate in candidates:
                    if candidate.kind is not CandidateKind.SENTENCE and (
                        candidate.text.replace(" ", "") in squashed_question
                    ):
                        continue  # the question's own figures and names are not answers
                    scored.append(
                        score_candidate(
                            candidate,
                            ev=ev,
                            sentence=sentence,
                            analysis=analysis,
                            weights=weights,
                            binding=bindings.get((candidate.start, candidate.end)),
                            peers=candidates,
                        )
                    )
        scored.sort(key=lambda s: s.score, reverse=True)
        return scored

    def _decline(
        self, question: str, analysis: QuestionAnalysis, reason: str, confidence: float = 0.0
    ) -> Answer:
        return Answer.declined(
            question=question,
            answer_type=analysis.answer_type,
            confidence=min(confidence, MIN_CONFIDENCE * 0.5),
            explanation=(
                f"type {analysis.answer_type.value} ({analysis.wh or '-'})",
                f"declined: {reason}",
            ),
        )

    def decide(
        self, question: str, analysis: QuestionAnalysis, scored: Sequence[ScoredCandidate]
    ) -> Answer:
        """Return the answer the scored candidates give (best first), or a decline."""
        if not scored:
            return self._decline(
                question, analysis, f"no {analysis.answer_type.value} in the evidence"
            )
        complete = [s for s in scored if not s.missing]
        if not complete:
            top = scored[0]
            absent = "、".join(top.missing)
            return self._decline(question, analysis, f"the evidence never mentions {absent}")
        best = complete[0]
        if not best.near:
            return self._decline(question, analysis, "no candidate sits near the question's terms")
        chosen, alternatives = resolve_conflicts(best, complete, analysis)
        others = [
            s.score
            for s in complete
            if answer_key(s) != answer_key(chosen)
            and all(answer_key(s) != answer_key(a) for a in alternatives)
        ]
        confidence = _confidence(chosen, max(others) if others else None)
        if confidence < MIN_CONFIDENCE:
            return self._decline(
                question, analysis, f"confidence {confidence:.2f} too low", confidence
            )
        return self._build(question, analysis, chosen, alternatives, confidence, best)

    def _citation_for(self, scored: ScoredCandidate) -> tuple[int, int]:
        return quote_span(scored.evidence, scored.sentence, scored.candidate, scored.binding)

    def _build(
        self,
        question: str,
        analysis: QuestionAnalysis,
        chosen: ScoredCandidate,
        alternatives: list[ScoredCandidate],
        confidence: float,
        best: ScoredCandidate,
    ) -> Answer:
        ev = chosen.evidence
        start, end = self._citation_for(chosen)
        citation = cite(ev, start, end)
        quantity = chosen.candidate.quantity
        explanation = [
            f"type {analysis.answer_type.value} ({analysis.wh or '-'})",
            f"answer {chosen.candidate.text} from {ev.hit.chunk.source} (hit rank {ev.hit.rank})",
            *(f"{f.name} {f.value:+.2f}: {f.note}" for f in chosen.features),
            f"score {chosen.score:.2f}, confidence {confidence:.2f}",
            f"as_of {chosen.as_of or '-'}"
            + (f" from {chosen.as_of_text}" if chosen.as_of_text else " (article date)"),
        ]
        if chosen is not best:
            explanation.append(
                f"most recent of {len(alternatives) + 1} figures for the same thing"
                f" (top-scored was {best.candidate.text}, as_of {best.as_of or '-'})"
            )
        alts = []
        for alt in alternatives[:MAX_ALTERNATIVES]:
            a_start, a_end = self._citation_for(alt)
            alts.append(
                Alternative(
                    text=alt.candidate.text,
                    as_of=alt.as_of,
                    citations=(cite(alt.evidence, a_start, a_end),),
                )
            )
            explanation.append(
                f"alternative {alt.candidate.text}"
                f" (as_of {alt.as_of or '-'}, score {alt.score:.2f})"
            )
        sentence_text = ev.text[chosen.sentence.span.start : chosen.sentence.span.end].strip()
        as_of = chosen.as_of
        if analysis.answer_type in (AnswerType.DATE, AnswerType.TIME):
            as_of = ev.hit.chunk.date  # a date answers for itself; as_of is when it was reported
        return Answer(
            question=question,
            text=chosen.candidate.text,
            answer_type=analysis.answer_type,
            value=quantity.value if quantity else None,
            unit=quantity.unit if quantity else None,
            as_of=as_of,
            confidence=confidence,
            evidence=sentence_text,
            citations=(citation,),
            alternatives=tuple(alts),
            explanation=tuple(explanation),
        )
