"""Find time expressions in clean text and normalize them to ``as_of`` strings.

``as_of`` formats (all sortable by their end through :func:`end_key`):

* ``YYYY-MM-DD`` a day, ``YYYY-MM`` a month (截至7月底 -> ``2025-07``, 2024年年底 -> ``2024-12``),
  ``YYYY`` a year;
* ``YYYY-H1`` / ``YYYY-H2`` a half year (上半年), ``YYYY-Q1`` .. ``YYYY-Q4`` a quarter;
* ``START/END`` an ISO 8601 interval for cumulative periods and year ranges
  (前10个月 -> ``2024-01/2024-10``, 2021年至2024年 -> ``2021/2024``).

Expressions without a year (上半年, 7月底, 今年, 去年) are resolved against the article date;
without an article date they stay unresolved (``None``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.numbers import parse_chinese_number

__all__ = [
    "TimeConstraint",
    "TimeMention",
    "end_key",
    "find_time_mentions",
    "parse_time_constraint",
    "time_agreement",
]

_REL_OFFSETS = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
_S = r"\s?"
_PATTERN = re.compile(
    rf"(?P<range>(?P<y1>\d{{4}}){_S}年{_S}(?:至|到|—|－|-|~|～){_S}(?P<y2>\d{{4}}){_S}年)"
    rf"|(?:(?P<y>\d{{4}}){_S}年|(?P<rel>今年|去年|前年|明年|本年|当年|上年))?{_S}"
    rf"(?:(?P<half>上半年|下半年)"
    rf"|第?(?P<q>[一二三四1-4]){_S}季度"
    rf"|前{_S}(?P<first>\d{{1,2}}|[一二三四五六七八九十]{{1,3}}){_S}个?{_S}月"
    rf"|(?P<m1>\d{{1,2}}){_S}(?:-|—|至|到|~|～){_S}(?P<m2>\d{{1,2}}){_S}月份?"
    rf"|(?P<m>\d{{1,2}}){_S}月份?(?:{_S}(?P<d>\d{{1,2}}){_S}[日号])?(?P<edge>底|末|初|中旬|上旬|下旬)?"
    rf"|(?P<yend>年底|年末|底|末)"
    rf"|(?P<ystart>年初))?"
)
# Words before a time that make it a comparison base, not the time a figure holds for.
_COMPARISON_BEFORE = ("较", "比", "同比", "相比", "与", "超过", "高于", "低于", "对比")
_SINCE_BEFORE = ("截至", "截止", "截止到", "到")


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression found in clean text, with its normalized ``as_of``."""

    start: int
    end: int
    text: str
    as_of: str | None
    comparison: bool  # preceded by 较/比: a base of comparison, not a statement time


@dataclass(frozen=True, slots=True)
class TimeConstraint:
    """A time named by a question: literal text plus what it resolves to, when it can."""

    text: str  # as written in the question, e.g. 2024年, 上半年, 前10个月
    year: int | None  # explicit year
    relative: int | None  # year offset of 今年/去年 relative to the article date
    period: str | None  # the period part without the year: 上半年, 前10个月, 春节期间


def _month_count(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    value = parse_chinese_number(text)
    return int(value) if value is not None else None


def _resolve(match: re.Match[str], article_date: str | None, since: bool) -> str | None:
    ref_year = int(article_date[:4]) if article_date else None
    ref_month = int(article_date[5:7]) if article_date and len(article_date) >= 7 else None
    if match.group("range"):
        return f"{match.group('y1')}/{match.group('y2')}"
    year: int | None
    if match.group("y"):
        year = int(match.group("y"))
    elif match.group("rel"):
        year = None if ref_year is None else ref_year + _REL_OFFSETS[match.group("rel")]
    else:
        year = ref_year
        month = match.group("m") or match.group("m2")
        # "截至7月底" in a January article speaks of last year's July.
        if year is not None and since and month and ref_month and int(month) > ref_month:
            year -= 1
    if year is None:
        return None
    if match.group("half"):
        return f"{year}-H{1 if match.group('half') == '上半年' else 2}"
    if match.group("q"):
        q = match.group("q")
        n = int(q) if q.isdigit() else "一二三四".index(q) + 1
        return f"{year}-Q{n}"
    if match.group("first"):
        count = _month_count(match.group("first"))
        if count is None or not 1 <= count <= 12:
            return None
        return f"{year}-01/{year}-{count:02d}"
    if match.group("m1"):
        m1, m2 = int(match.group("m1")), int(match.group("m2"))
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
            return None
        return f"{year}-{m1:02d}/{year}-{m2:02d}"
    if match.group("m"):
        m = int(match.group("m"))
        if not 1 <= m <= 12:
            return None
        if match.group("d"):
            d = int(match.group("d"))
            return f"{year}-{m:02d}-{d:02d}" if 1 <= d <= 31 else None
        return f"{year}-{m:02d}"
    if match.group("yend"):
        return f"{year}-12"
    if match.group("ystart"):
        return f"{year}-01"
    return f"{year}"


def find_time_mentions(text: str, *, article_date: str | None) -> list[TimeMention]:
    """Return the time expressions in ``text`` with their normalized ``as_of``."""
    mentions: list[TimeMention] = []
    for match in _PATTERN.finditer(text):
        if match.end() == match.start() or not match.group(0).strip():
            continue
        has_time = any(
            match.group(g) for g in ("range", "y", "rel", "half", "q", "first", "m1", "m", "ystart")
        )
        if not has_time:
            continue  # a bare 底/末 is not a time
        start, end = match.start(), match.end()
        if match.group("y") and start > 0 and text[start - 1].isdigit():
            continue
        before = text[max(0, start - 4) : start]
        since = any(before.endswith(w) for w in _SINCE_BEFORE)
        comparison = any(before.endswith(w) for w in _COMPARISON_BEFORE)
        mentions.append(
            TimeMention(
                start=start,
                end=end,
                text=match.group(0),
                as_of=_resolve(match, article_date, since),
                comparison=comparison,
            )
        )
    return mentions


_PERIOD_WORDS = re.compile(
    r"春节期间|国庆期间|国庆假期|春节假期|五一假期|暑期|“?十[一二三四五六]五”?(?:以来|期间|时期)?"
)


def parse_time_constraint(question: str) -> TimeConstraint | None:
    """Return the time a question names (2024年, 上半年, 去年, 前10个月), if any."""
    mentions = find_time_mentions(question, article_date=None)
    period_match = _PERIOD_WORDS.search(question)
    if not mentions and period_match is None:
        return None
    year: int | None = None
    relative: int | None = None
    period: str | None = None
    texts: list[str] = []
    for mention in mentions:
        match = _PATTERN.fullmatch(mention.text)
        if match is None:
            continue
        texts.append(mention.text)
        if match.group("y"):
            year = int(match.group("y"))
        if match.group("rel"):
            relative = _REL_OFFSETS[match.group("rel")]
        rest = mention.text
        if match.group("y") or match.group("rel"):
            rest = re.sub(r"^(?:\d{4}\s?年|今年|去年|前年|明年|本年|当年|上年)", "", rest)
        if rest.strip():
            period = rest.strip()
    if period_match is not None:
        texts.append(period_match.group(0))
        period = period or period_match.group(0)
    return TimeConstraint(text="".join(texts), year=year, relative=relative, period=period)


def _core_period(period: str) -> str:
    """Drop quotes, 份 and 以来/期间/时期: 十四五以来 matches 十四五时期, 7月份 matches 7月."""
    core = re.sub(r"[\s“”\"]", "", period)
    core = re.sub(r"(?<=月)份$", "", core)  # 7月份 is 7月
    return re.sub(r"(?:以来|期间|时期|假期)$", "", core) or core


def _as_of_year(as_of: str | None) -> int | None:
    if not as_of:
        return None
    tail = as_of.split("/")[-1]
    return int(tail[:4]) if tail[:4].isdigit() else None


def time_agreement(
    constraint: TimeConstraint,
    *,
    context: str,
    as_of: str | None,
    article_date: str | None,
) -> float:
    """Return +1 when a statement matches the question's time, -1 when it contradicts it, else 0.

    ``context`` is the clean text that frames the statement (its clause and sentence);
    ``as_of`` is the statement's resolved time.
    """
    score = 0.0
    checks = 0
    if constraint.period:
        checks += 1
        period = _core_period(constraint.period)
        squashed = re.sub(r"[\s“”\"]", "", context)
        if period in squashed:
            score += 1
        elif re.search(r"上半年|下半年|季度|前\d+个月|\d+-\d+月|\d+至\d+月", squashed):
            score -= 1  # the statement names another period
    wanted_year: int | None = constraint.year
    if wanted_year is None and constraint.relative is not None and article_date:
        wanted_year = int(article_date[:4]) + constraint.relative
    if wanted_year is not None:
        checks += 1
        squashed = context.replace(" ", "")
        named = {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", squashed)}
        if f"{wanted_year}年" in squashed:
            score += 1
        elif named and wanted_year not in named:
            score -= 1  # the statement names other years (2022-23财年), not the asked one
        else:
            year = _as_of_year(as_of)
            if year == wanted_year:
                score += 0.6
            elif year is not None:
                score -= 1
    elif constraint.relative is not None:
        checks += 1
        rel_word = {0: "今年", -1: "去年", -2: "前年", 1: "明年"}.get(constraint.relative)
        if rel_word and rel_word in context:
            score += 1
    if checks == 0:
        return 0.0
    return max(-1.0, min(1.0, score / checks))


def end_key(as_of: str | None) -> tuple[int, int, int]:
    """Return a sortable (year, month, day) for the end of an ``as_of`` period."""
    if not as_of:
        return (0, 0, 0)
    tail = as_of.split("/")[-1]
    match = re.match(r"(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?(?:-(\d{2}))?$", tail)
    if match is None:
        return (0, 0, 0)
    year = int(match.group(1))
    part = match.group(2)
    if part is None:
        return (year, 12, 31)
    if part.startswith("H"):
        return (year, 6 * int(part[1]), 31)
    if part.startswith("Q"):
        return (year, 3 * int(part[1]), 31)
    day = int(match.group(3)) if match.group(3) else 31
    return (year, int(part), day)
