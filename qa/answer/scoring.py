"""Score a candidate against the question: term proximity, type, unit, time, scope and rank.

Each contribution is kept as a named :class:`Feature`, so an answer can say why it won.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.answer.candidates import Candidate, CandidateKind, organization_spans
from qa.answer.enumeration import Binding
from qa.answer.evidence import ChunkEvidence, find_all, fold
from qa.answer.places import REGIONS
from qa.answer.proximity import (
    adjacent_terms,
    extra_chars,
    list_piece,
    statement_chain,
    term_strengths,
)
from qa.answer.question import QuestionAnalysis, TermRole, UnitClass, unit_class
from qa.answer.statement_time import statement_time, time_support
from qa.answer.text import Sentence, Span

__all__ = ["Feature", "ScoredCandidate", "score_candidate"]

COVERAGE_SCALE = 4.0  # a candidate whose clause holds every question term gets +4
LOCAL = 0.3  # a term at least this strong inside the sentence puts the candidate near the focus
TIME_WEIGHT = 1.3  # a statement about the asked time against one about another: 2.6 apart
EXTRA_RATE = 0.04  # penalty per character of a clause that the question does not mention
EXTRA_CAP = 0.6
FOCUS_LOCAL = 0.3  # the asked-for term must be at least this strong in the sentence
ADJACENT_BONUS = 1.0  # times the weight share of the touching terms
RANK_BONUS = 0.4  # divided by the retrieval rank
ABSENT_VERB = -0.5  # the asked verb (降到, 退款) is not in the candidate's statement
PLAN_BONUS = 0.6  # a target (力争达到320亿元) when the question asks for one
SUBSET_PENALTY = -0.8  # the 其中 figure when the question asks the whole, or the reverse
RANGE_ASKED = 1.0  # 85吨到340吨 for 什么范围
RANGE_WHOLE = 0.2  # a range over either of its ends
RANGE_END = -0.3  # 85吨 alone, out of 85吨到340吨
PART_OF_NAME = -0.6  # 太原市 inside 太原市文化和旅游局, 山西省 inside 山西省话剧院院场

_CHANGE = re.compile(
    r"(?:同比|环比|年均)?(?:增长|增加|下降|减少|提高|降低|上升|回落|新增|增)了?(?:约|近|超)?$"
)
_SENTENCE_END = re.compile(r"[。！？!?；;…]\s*[”’」』)）]*\s*$")
_REASON = re.compile(r"因为|由于|原因|因此|所以|得益于|受.{1,8}影响")
_PATTERN_CUES = frozenset({"在", "于", "位于", "地处", "坐落于", "坐落在", "等", "由"})
_THRESHOLD = re.compile(r"关口|大关|门槛|台阶")
_PLAN = re.compile(r"力争|目标|预计|计划|将|有望|争取|拟|规划|预期")
_BY_YEAR = re.compile(r"到(\d{4})年")  # a target only when the year is still ahead
_DATELINE = re.compile(r"^\s?(?:讯|电)")
_SUBSET = "其中"
_YEAR_MENTION = re.compile(r"\d{2,4}\s?年|去年|前年|上年|同期")
# Durations from short to long: 每天 cannot last 7天 or 一周.
_DURATION_RANK = {
    "秒": 0,
    "分钟": 1,
    "小时": 2,
    "天": 3,
    "日": 3,
    "周": 4,
    "个月": 5,
    "月": 5,
    "年": 6,
}
# Units that measure rather than count: 多少分 is a score, 几岁 an age; 个 answers neither.
# Classifiers that count things; a 成绩 is a time, score or distance, never 两个.
_COUNTERS = frozenset({"个", "项", "次", "枚", "块", "届", "场", "支", "家"})
# Dimensions a percentage can never be stated in.
_DIMENSIONS = frozenset(
    {
        UnitClass.MONEY,
        UnitClass.PERSONS,
        UnitClass.AREA,
        UnitClass.LENGTH,
        UnitClass.VOLUME,
        UnitClass.WEIGHT,
        UnitClass.POWER,
        UnitClass.ENERGY,
    }
)
_MEASURE_HINTS = frozenset({"分", "岁", "度", "摄氏度", "℃"})
_DEICTIC_HERE = re.compile(r"[我全本][省市区县州]|我国")
_START_CUE = re.compile(r"(?:自|从|自从|始于|起于)\s?$")
_START_AFTER = re.compile(r"^\s?(?:起|开始|以来|启动)")
_END_CUE = re.compile(r"(?:截至|截止|截止到|直到|直至)\s?$")
_END_AFTER = re.compile(r"^\s?(?:止|为止|截止|结束)")  # 本报太原11月18日讯: when it was reported
# 一百多分, 10余个: a round figure with 多/余 only says roughly how many.
_VAGUE = re.compile(r"^[^\d]*(?:[一二两三四五六七八九十百千万几]+|[1-9]0*)\s?[多余]")
# 年均增长343家: a yearly average is not the total or level the question asks for.
_AVERAGE = re.compile(r"年均|平均|均值|人均|日均|月均")
AVERAGE_PENALTY = -0.5
SUBJECT_BONUS = 0.5  # the date's statement names the event the question dates
# 超过100毫米: a round threshold passed says less than the measured 125.4毫米 beside it.
_BOUND = re.compile(r"^(?:超过|超|逾|突破|不足|不到)\s?[1-9]0*(?![\d.])")
BOUND_PENALTY = -0.6
_ROUGH_Q = re.compile(r"大约|大概|约|左右|上下")
_NEW = re.compile(r"新增|新建|新开|新投|新开通|新上")
_COMPARATOR = re.compile(
    r"较|(?<![占同环])比(?!重|例|赛)|高于|低于|快于|慢于|超过|仅次于|多于|少于|相比|高出|超出"
    r"|超(?=[\u4e00-\u9fff])(?!过)"
)


@dataclass(frozen=True, slots=True)
class Feature:
    """One named contribution to a candidate's score."""

    name: str
    value: float
    note: str


@dataclass(frozen=True, slots=True)
class ScoredCandidate:
    """A candidate with its score, the evidence it came from and the reasons."""

    candidate: Candidate
    evidence: ChunkEvidence
    sentence: Sentence
    score: float
    coverage: float
    strengths: dict[str, float]
    local: dict[str, float]  # strengths from the candidate's own sentence only
    features: tuple[Feature, ...]
    missing: tuple[str, ...]  # required question terms absent from the chunk and article
    missing_key: bool  # one of them is a KEY term (6G, GDP)
    as_of: str | None
    as_of_text: str | None  # the time expression as_of came from, None for the article date
    binding: Binding | None = None  # its 分别 item, when it has one

    @property
    def near(self) -> bool:
        """Return True when a question term sits in the candidate's sentence."""
        return any(v >= LOCAL for v in self.local.values())


_QUESTION_LIST = re.compile(r"[\u4e00-\u9fff]{2,8}(?:、[\u4e00-\u9fff]{2,8})+")


def _question_list(question: str) -> list[str]:
    """Return the items of the first 、-list in the question (锂电池、电动汽车、太阳能电池)."""
    match = _QUESTION_LIST.search(question)
    return match.group(0).split("、") if match else []


def _is_plan(prefix: str, date: str | None) -> bool:
    if _PLAN.search(prefix):
        return True
    years = [int(y) for y in _BY_YEAR.findall(prefix)]
    return bool(years) and (date is None or max(years) > int(date[:4]))


def _other_place(ev: ChunkEvidence, sentence: Sentence, analysis: QuestionAnalysis) -> bool:
    """Return True when the sentence names a place the question does not (and no 我省).

    A question about 日本 is not answered by a sentence about 英国; a question about 山西
    may be answered by a sentence that never names it.
    """
    if ev.deictic:
        return False
    asked = fold(analysis.question)
    return any(
        sentence.span.start <= start < sentence.span.end and ev.text[start:end] not in asked
        for start, end in ev.places
    )


def _subset_features(
    ev: ChunkEvidence,
    sentence: Sentence,
    analysis: QuestionAnalysis,
    candidate: Candidate,
    peers: list[Candidate],
) -> list[Feature]:
    """Weigh a figure against the 其中 clause of its sentence.

    77名选手报名比赛，其中42名选手…位列前100名: 42名 is a subset of 77名. A question that names
    what only the 其中 part says (前100名) asks for the subset; one that does not asks for
    the whole. Only a sentence with a figure of the same unit on each side has the two.
    """
    text = ev.text
    at = text.find(_SUBSET, sentence.span.start, sentence.span.end)
    if at < 0 or candidate.quantity is None:
        return []
    unit = candidate.quantity.unit
    sides = {
        p.start >= at
        for p in peers
        if p.kind is CandidateKind.QUANTITY
        and p.quantity is not None
        and p.quantity.unit == unit
        and sentence.span.contains(p.start, p.end)
    }
    if sides != {True, False}:
        return []
    whole = fold(text[sentence.span.start : at])
    part = fold(text[at + len(_SUBSET) : sentence.span.end])
    named = [
        t.text
        for t in analysis.terms
        if t.role is not TermRole.GENERIC and t.text in part and t.text not in whole
    ]
    # The question's own figures (前100名) count as what narrows it.
    named += [
        f"{value:g}{unit}"
        for value, unit in analysis.figures
        if f"{value:g}" in part and f"{value:g}" not in whole
    ]
    if candidate.start >= at + len(_SUBSET):
        if named:
            # No bonus: the question naming a word of the 其中 part does not make this
            # figure the answer, it only stops the whole from being one.
            return []
        return [Feature("subset", SUBSET_PENALTY, "a subset (其中…), the question asks the whole")]
    if candidate.end <= at and named:
        note = f"the whole, the question asks the part with {'、'.join(named)}"
        return [Feature("subset", SUBSET_PENALTY, note)]
    return []


def _range_features(
    analysis: QuestionAnalysis, candidate: Candidate, peers: list[Candidate]
) -> list[Feature]:
    """Prefer 85吨到340吨 over its ends, unless the question asks for an extreme."""
    if candidate.is_range:
        if analysis.spread:
            return [Feature("range", RANGE_ASKED, "a range, as asked")]
        if not analysis.extreme:
            return [Feature("range", RANGE_WHOLE, "a full range")]
        return []
    inside = any(
        p.is_range
        and p.kind is CandidateKind.QUANTITY
        and p.start <= candidate.start
        and candidate.end <= p.end
        for p in peers
    )
    if inside and not analysis.extreme:
        return [Feature("range", RANGE_END, "only one end of a range")]
    return []


def _part_of_name(
    ev: ChunkEvidence, sentence: Sentence, candidate: Candidate, peers: list[Candidate]
) -> str | None:
    """Return the longer name ``candidate`` is a part of: 太原市 of 太原市文化和旅游局."""
    for peer in peers:
        if (
            peer.kind is candidate.kind
            and peer.start <= candidate.start
            and candidate.end <= peer.end
            and peer.end - peer.start > candidate.end - candidate.start
        ):
            return peer.text
    if candidate.kind is CandidateKind.PLACE and candidate.cue is None:
        for span in organization_spans(ev.text, sentence.span):
            if span.start <= candidate.start and candidate.end < span.end:
                return ev.text[span.start : span.end]
    return None


def _place_elsewhere(
    ev: ChunkEvidence,
    sentence: Sentence,
    analysis: QuestionAnalysis,
    candidate: Candidate,
    local: dict[str, float],
) -> str | None:
    """Return why the figure's statement is about another region than the one asked.

    音乐类…录取线为519分 after sentences about 广东 does not answer a question about 新疆: the
    nearest region named before the figure in its paragraph stands for the statement's.
    Only regions (provinces, countries) are compared, so a city of the asked province is
    never taken for another place.
    """
    asked = [
        t.text
        for t in analysis.terms
        if t.role is TermRole.PLACE and t.text in REGIONS and local.get(t.text, 0.0) == 0.0
    ]
    if not asked or _DEICTIC_HERE.search(ev.text[sentence.span.start : sentence.span.end]):
        return None  # 我省…: the statement is about the place the text stands in
    question = fold(analysis.question)
    paragraph_start = sentence.span.start
    for other in ev.sentences:
        if other.paragraph == sentence.paragraph:
            paragraph_start = min(paragraph_start, other.span.start)
    before = [
        (start, end)
        for start, end in ev.places
        if paragraph_start <= start and end <= candidate.start
    ]
    if not before:
        return None
    start, end = max(before)
    name = ev.text[start:end]
    region = name if name in REGIONS else name[:-1] if name[:-1] in REGIONS else None
    if region is None or region in question:
        return None
    return f"{asked[0]} (its statement is about {name})"


def _per_before(text: str, clause_start: int, candidate: Candidate) -> str | None:
    at = text.rfind("每", clause_start, candidate.start)
    if at < 0:
        return None
    return text[at + 1 : min(at + 4, candidate.start)] or None


def _unit_features(analysis: QuestionAnalysis, candidate: Candidate) -> list[Feature]:
    features: list[Feature] = []
    quantity = candidate.quantity
    unit = quantity.unit if quantity else None
    if unit is None:
        if not re.search(r"[万亿]", candidate.text):
            features.append(Feature("unitless", -0.4, "a bare number without a unit"))
        return features
    cls = unit_class(unit)
    if analysis.unit_hint is not None:
        if unit == analysis.unit_hint or unit.endswith(analysis.unit_hint):
            features.append(Feature("unit", 0.6, f"unit {unit} is the one asked for"))
        elif cls is unit_class(analysis.unit_hint):
            features.append(Feature("unit", -0.15, f"unit {unit}, asked {analysis.unit_hint}"))
        else:
            # 多少米 names a dimension: a count of 座 cannot answer it.
            hinted = unit_class(analysis.unit_hint)
            penalty = -1.2 if hinted is UnitClass.COUNT else -2.0
            features.append(Feature("unit", penalty, f"unit {unit} is not a {analysis.unit_hint}"))
    elif analysis.unit_class is not None:
        if cls is analysis.unit_class:
            features.append(Feature("unit", 0.6, f"unit {unit} measures {cls.value}"))
        else:
            penalty = -1.2 if UnitClass.PERCENT in (cls, analysis.unit_class) else -0.8
            features.append(
                Feature("unit", penalty, f"unit {unit} is not {analysis.unit_class.value}")
            )
    return features


def _states(ev: ChunkEvidence, chain: list[Sentence], candidate: Candidate, term: str) -> bool:
    """Return True when the statement of ``candidate`` names ``term`` as its own subject.

    Not as one item of a 、 list in another clause (涉及城市功能建设、风电及储能建设…等多个领域，
    总投资额达到83.5亿元): the figure there belongs to the whole list.
    """
    own = chain[0].clauses[chain[0].clause_index(candidate.start)]
    for start, end in ev.occurrences.get(term, ()):
        holder = next((s for s in chain if s.span.contains(start, end)), None)
        if holder is None:
            continue
        clause = holder.clauses[holder.clause_index(start)]
        if clause == own or "、" not in ev.text[clause.start : clause.end]:
            return True
    return False


def _unit_clash(analysis: QuestionAnalysis, candidate: Candidate) -> str | None:
    """Return why a figure cannot answer a question that names its unit (多少亿元 vs 22.2%)."""
    quantity = candidate.quantity
    if quantity is None or quantity.unit is None:
        return None
    if analysis.unit_hint is None:
        # 餐饮收入增速是多少: a rate is never stated in 亿元 or 人.
        measured = unit_class(quantity.unit)
        if analysis.unit_class is UnitClass.PERCENT and measured in _DIMENSIONS:
            return f"a rate, not a figure in {quantity.unit} (unit)"
        return None
    asked = unit_class(analysis.unit_hint)
    if analysis.unit_hint in _MEASURE_HINTS and quantity.unit != analysis.unit_hint:
        return f"a figure in {analysis.unit_hint} (unit)"  # 多少分 asks for a score
    if asked is UnitClass.COUNT:
        return None  # 几个小时, 多少个项目: a classifier may count anything
    if unit_class(quantity.unit) is asked:
        return None
    return f"a figure in {analysis.unit_hint} (unit)"


def _mentions(text: str, word: str, others: tuple[str, ...]) -> bool:
    """Return True when ``word`` occurs in ``text`` outside any longer sibling (决赛, 半决赛)."""
    longer = [o for o in others if word in o]
    for at in find_all(text, word):
        if not any(text.startswith(o, at - o.find(word)) for o in longer if at - o.find(word) >= 0):
            return True
    return False


def _contrast(
    analysis: QuestionAnalysis, text: str, scopes: list[Span], candidate: Candidate
) -> str | None:
    """Return the sibling the statement is about instead of the asked word (预赛 for 决赛).

    The nearest scope (list item, clause, sentence) that names any word of the group decides.
    """
    for word, siblings in analysis.contrasts:
        for scope in scopes:
            piece = text[scope.start : candidate.start] + "\x00" + text[candidate.end : scope.end]
            asked = _mentions(piece, word, siblings)
            other = next((o for o in siblings if _mentions(piece, o, (word,))), None)
            if asked or other:
                if other and not asked:
                    return f"{word}, not {other} (contrast)"
                break
    for number, head in analysis.ordinals:
        scope = scopes[0]
        piece = text[scope.start : scope.end]
        pattern = rf"第\s?(\d+|[一二三四五六七八九十]+)\s?{head}"
        numbers = {m.group(1) for m in re.finditer(pattern, piece)}
        if numbers and number not in numbers:
            return f"第{number}{head}, not 第{sorted(numbers)[0]}{head} (contrast)"
    return None


def score_candidate(
    candidate: Candidate,
    *,
    ev: ChunkEvidence,
    sentence: Sentence,
    analysis: QuestionAnalysis,
    weights: dict[str, float],
    binding: Binding | None,
    peers: list[Candidate],
) -> ScoredCandidate:
    """Return the scored candidate with every feature that moved its score."""
    text = ev.text
    clause_index = sentence.clause_index(candidate.start)
    clause = sentence.clauses[clause_index]
    # 4月10日 of 4月10日至13日进行正赛, 19:30 of 17:00至19:30: a side of a range stands where
    # its whole range stands, so it is near what the range is near.
    whole = (
        next(
            (
                p
                for p in peers
                if p.is_range and p.start <= candidate.start and candidate.end <= p.end
            ),
            None,
        )
        if candidate.part is not None
        else None
    )
    anchor = whole if whole is not None else candidate
    piece = None if binding is not None else list_piece(text, clause, anchor, peers)
    found = term_strengths(
        anchor,
        ev=ev,
        sentence=sentence,
        terms=[t.text for t in analysis.terms],
        question=analysis.question,
        binding=binding,
        peers=peers,
    )
    strengths, local = found.overall, found.local
    total = sum(weights.values()) or 1.0
    coverage = sum(weights[t] * strengths[t] for t in strengths) / total
    matched = [t for t, v in strengths.items() if v >= 0.7]
    adjacent = adjacent_terms(ev, anchor, binding)
    features: list[Feature] = [
        Feature(
            "coverage", COVERAGE_SCALE * coverage, f"terms near it: {'、'.join(matched) or '-'}"
        )
    ]
    if adjacent and candidate.kind is not CandidateKind.SENTENCE:
        share = sum(weights[t] for t in adjacent) / total
        features.append(
            Feature("adjacent", ADJACENT_BONUS * share, f"right next to {'、'.join(adjacent)}")
        )
    time_value = 0.0
    as_of, as_of_text = statement_time(candidate, sentence, ev)
    if analysis.time is not None:
        agreement = time_support(
            analysis.time,
            candidate=candidate,
            ev=ev,
            sentence=sentence,
            peers=peers,
            as_of=as_of,
            as_of_text=as_of_text,
        )
        time_value = agreement
        if agreement:
            features.append(
                Feature(
                    "time", TIME_WEIGHT * agreement, f"time {analysis.time.text}: {as_of or '?'}"
                )
            )
    if candidate.kind is CandidateKind.SENTENCE and not _SENTENCE_END.search(candidate.text):
        features.append(Feature("heading", -1.0, "a heading, not a statement"))
    if (
        candidate.kind is CandidateKind.SENTENCE
        and analysis.reason
        and _REASON.search(candidate.text)
    ):
        features.append(Feature("reason", 0.5, "gives a reason"))
    prefix = text[clause.start : candidate.start]
    extra = extra_chars(ev, clause if piece is None else piece, candidate, binding)
    if extra and candidate.kind not in (CandidateKind.SENTENCE, CandidateKind.PERSON):
        features.append(
            Feature(
                "specific",
                -min(EXTRA_CAP, EXTRA_RATE * extra),
                f"{extra} characters of its clause are not in the question",
            )
        )
    if candidate.kind is CandidateKind.QUANTITY:
        features += _unit_features(analysis, candidate)
        change = _CHANGE.search(text[max(clause.start, candidate.start - 6) : candidate.start])
        if change and not analysis.change:
            features.append(Feature("change", -0.5, f"a change ({change.group(0)}), not a level"))
        if _THRESHOLD.match(text[candidate.end : candidate.end + 3]):
            features.append(Feature("threshold", -1.0, "a milestone passed, not the figure"))
        planned = _is_plan(prefix, ev.hit.chunk.date)
        if planned and not analysis.plan:
            features.append(Feature("plan", -0.8, "a target or plan, not an achieved figure"))
        elif planned:
            features.append(Feature("plan", PLAN_BONUS, "a target or plan, as asked"))
        features += _subset_features(ev, sentence, analysis, candidate, peers)
        features += _range_features(analysis, candidate, peers)
        quantity = candidate.quantity
        if (
            quantity is not None
            and quantity.unit
            and quantity.unit != analysis.unit_hint
            and any(u == quantity.unit and v != quantity.value for v, u in analysis.figures)
        ):
            # 男子丁组100米决赛: 10000米 names another event, not a result of this one.
            features.append(Feature("sibling", -1.5, f"another {quantity.unit} figure than asked"))
        if analysis.new and not _NEW.search(text[clause.start : clause.end]):
            features.append(
                Feature("total", -1.0, "a running total, the question asks what is new")
            )
        average = _AVERAGE.search(text[max(clause.start, candidate.start - 8) : candidate.start])
        if average and not _AVERAGE.search(analysis.question) and "每" not in analysis.question:
            features.append(
                Feature("average", AVERAGE_PENALTY, f"an average ({average.group(0)}), not a total")
            )
        window = max(clause.start, candidate.start - 12)
        comparator = _COMPARATOR.search(text[window : candidate.start])
        # 远低于2019年438万人次: no difference when the question asks about 2019; but
        # 高于当地一本线50分 is a difference whatever the time.
        against_time = comparator is not None and bool(
            _YEAR_MENTION.search(text[window + comparator.end() : candidate.start])
        )
        if comparator and not analysis.comparison and (time_value <= 0.5 or not against_time):
            features.append(Feature("comparison", -0.5, f"a difference ({comparator.group(0)}…)"))
        own_per = (
            None if candidate.text.startswith("每") else _per_before(text, clause.start, candidate)
        )
        if own_per and not analysis.per and f"每{own_per[:1]}" in analysis.question:
            features.append(Feature("scope", 0.5, f"per {own_per[:1]} as asked"))
        elif analysis.per and not (
            own_per and (own_per.startswith(analysis.per) or analysis.per.startswith(own_per[:2]))
        ):
            features.append(Feature("scope", -1.0, f"the question asks per {analysis.per}"))
        elif own_per and not analysis.per:
            features.append(Feature("scope", -1.5, f"a figure per {own_per}, not a total"))
        elif own_per and analysis.per:
            features.append(Feature("scope", 0.5, f"per {analysis.per} as asked"))
    if candidate.kind is CandidateKind.DATE and (
        _DATELINE.match(text[candidate.end : candidate.end + 2])
        or "本报" in text[max(0, candidate.start - 8) : candidate.start]
    ):
        features.append(Feature("dateline", -1.0, "the date the article was filed"))
    if candidate.kind in (CandidateKind.DATE, CandidateKind.TIME) and candidate.is_range:
        if analysis.edge:
            features.append(Feature("range", -0.4, f"a full range; the {analysis.edge} is asked"))
        else:
            features.append(Feature("range", 0.2, "a full range"))
    subject = analysis.subject
    if subject is not None and local.get(subject, 0.0) >= FOCUS_LOCAL:
        features.append(Feature("subject", SUBJECT_BONUS, f"its statement names {subject}"))
    if candidate.kind is CandidateKind.DATE and analysis.edge and not candidate.is_range:
        before = text[max(0, candidate.start - 4) : candidate.start]
        after = text[candidate.end : candidate.end + 3]
        if analysis.edge == "start" and (_START_CUE.search(before) or _START_AFTER.match(after)):
            features.append(Feature("edge", 0.6, "a start date (自…/…起), as asked"))
        elif analysis.edge == "end" and (_END_CUE.search(before) or _END_AFTER.match(after)):
            features.append(Feature("edge", 0.6, "an end date (截至…/…止), as asked"))
    if candidate.kind in (CandidateKind.PLACE, CandidateKind.ORGANIZATION):
        part = _part_of_name(ev, sentence, candidate, peers)
        if part is not None:
            features.append(Feature("part", PART_OF_NAME, f"part of the longer name {part}"))
    paren = ev.in_parens(candidate.start, candidate.end)
    if paren is not None:
        alias = any(
            end in (paren.start, paren.start - 1)
            for spans in ev.occurrences.values()
            for _, end in spans
        )
        if alias:
            features.append(Feature("aside", -3.0, "spells out a term of the question"))
        else:
            features.append(Feature("aside", -0.5, "inside brackets"))
    if any(q.start < candidate.start and candidate.end < q.end for q in ev.quotes):
        features.append(Feature("quoted", -0.4, "part of a quoted name or slogan"))
    if candidate.cue in _PATTERN_CUES and candidate.kind in (
        CandidateKind.PLACE,
        CandidateKind.ORGANIZATION,
    ):
        features.append(Feature("pattern", 0.4, f"introduced by {candidate.cue}"))
    if candidate.cue == "facility" and candidate.kind is CandidateKind.PLACE:
        if analysis.category and candidate.text.endswith(analysis.category):
            features.append(Feature("kind", 1.0, f"a {analysis.category}, as asked"))
        else:
            features.append(Feature("kind", 0.5, "a named facility: the most specific place"))
    if analysis.plural and "、" in candidate.text:
        features.append(Feature("list", 0.5, "a list, as the question asks for several"))
    if candidate.part is not None:
        if candidate.part == analysis.edge:
            features.append(Feature("edge", 0.6, f"the {candidate.part} of a range, as asked"))
        else:
            features.append(Feature("edge", -0.4, f"only the {candidate.part} of a range"))
    if binding is not None:
        item = text[binding.item.start : binding.item.end]
        listed = _question_list(analysis.question)
        if len(listed) >= 2 and sum(item in q or q in item for q in listed) == 1:
            # 锂电池、电动汽车、太阳能电池这“新三样”: a figure for one member is not the group's.
            features.append(
                Feature("respectively", -0.3, f"bound to {item}, one of the question's list")
            )
        elif any(item.find(t) >= 0 for t in strengths if strengths[t] > 0):
            features.append(Feature("respectively", 0.3, f"aligned with {item} by 分别"))
    features.append(
        Feature("retrieval", RANK_BONUS / max(1, ev.hit.rank), f"hit rank {ev.hit.rank}")
    )
    # Absent means nowhere in the chunk, its title or its article's other chunks, the
    # candidate's own span included (a list answer may hold WTT itself).
    missing = tuple(
        t.text
        for t in analysis.terms
        if strengths[t.text] == 0.0
        and not ev.occurrences.get(t.text)
        and (t.required or (t.role is TermRole.PLACE and _other_place(ev, sentence, analysis)))
    )
    # The measured quantity the question names must be named around the figure: a
    # 直办率 does not answer a question about 满意度.
    missing = missing + tuple(
        f"{m} (near it)"
        for m in analysis.metrics
        if m not in missing and local.get(m, 0.0) < FOCUS_LOCAL
    )
    # 煤炭进口额: 进口560.4亿元 is all imports, not coal's; the qualifier must be in its statement.
    chain = statement_chain(ev, sentence)
    missing = missing + tuple(
        f"{q} (qualifying it)"
        for q in analysis.qualifiers
        if q not in missing and not _states(ev, chain, candidate, q)
    )
    # The verb the question asks about (降到了多少) belongs in the statement, but a verb is
    # worded freely (降落 ~ 落地): its absence costs score, it never blocks alone.
    verb = analysis.asked_verb
    if (
        verb is not None
        and local.get(verb, 0.0) == 0.0
        and not any(s.span.contains(a, b) for s in chain for a, b in ev.occurrences.get(verb, ()))
    ):
        features.append(Feature("verb", ABSENT_VERB, f"its statement does not say {verb}"))
    scopes = [Span(clause.start, clause.end), sentence.span]
    if piece is not None:
        scopes.insert(0, piece)
    contrast = _contrast(analysis, text, scopes, candidate)
    if contrast is not None:
        missing = (*missing, contrast)
    if (
        candidate.kind is CandidateKind.QUANTITY
        and _BOUND.match(candidate.text)
        and not _ROUGH_Q.search(analysis.question)
    ):
        features.append(Feature("bound", BOUND_PENALTY, "a round bound (超过100), not the figure"))
    if (
        candidate.kind is CandidateKind.QUANTITY
        and _VAGUE.match(candidate.text)
        and not _ROUGH_Q.search(analysis.question)
    ):
        missing = (*missing, "a precise figure (vague)")
    clash = _unit_clash(analysis, candidate)
    if clash is not None:
        missing = (*missing, clash)
    if candidate.kind is CandidateKind.QUANTITY and analysis.result:
        quantity = candidate.quantity
        if quantity is not None and unit_class(quantity.unit) is UnitClass.PERSONS:
            missing = (*missing, "a result (成绩), not a count of people")
        elif quantity is not None and quantity.unit in _COUNTERS:
            missing = (*missing, f"a result (成绩), not a count of {quantity.unit}")
    if candidate.kind is CandidateKind.QUANTITY and analysis.per:
        quantity = candidate.quantity
        lasting = (quantity.unit or "").split("/")[0] if quantity is not None else ""
        if _DURATION_RANK.get(lasting, -1) >= (_DURATION_RANK.get(analysis.per, 99)):
            missing = (*missing, f"a figure per {analysis.per} cannot last {lasting}")
    elsewhere = _place_elsewhere(ev, sentence, analysis, candidate, local)
    if elsewhere is not None:
        missing = (*missing, elsewhere)
    missing_key = any(t.role is TermRole.KEY and strengths[t.text] == 0.0 for t in analysis.terms)
    return ScoredCandidate(
        candidate=candidate,
        evidence=ev,
        sentence=sentence,
        score=sum(f.value for f in features),
        coverage=coverage,
        strengths=strengths,
        local=local,
        features=tuple(features),
        missing=missing,
        missing_key=missing_key,
        as_of=as_of,
        as_of_text=as_of_text,
        binding=binding,
    )
