"""Parse answer-like Chinese quantity strings ("11.5万个", "近180万人", "87.56%") into values.

Conventions, relied on by the answerer and by the evaluation:

* ``value`` is the plain number with multipliers applied: ``11.5万个`` -> 115000.0,
  ``1.87亿吨`` -> 187000000.0. A percentage keeps its printed number: ``87.56%`` -> 87.56.
* ``unit`` is what follows the number (and its multiplier), with approximation suffixes
  (左右, 以上, 余, 多 ...) removed: ``11.5万个`` -> ``个``; ``%`` for percentages;
  a "per" phrase becomes a ratio unit: ``每公斤888元`` -> ``元/公斤``. No unit is ``None``.
* Approximation words (近, 约, 超, 突破, 逾, 余 ...) do not change the value; they stay in
  ``text``, which is always the input exactly as given.
* A string holding more than one number (dates like ``2019年4月``, ranges like
  ``9:00—17:00``) is not a quantity: ``parse_quantity`` returns ``None``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "APPROX_PREFIXES",
    "CHINESE_NUMERAL_CHARS",
    "Quantity",
    "parse_chinese_number",
    "parse_quantity",
    "quantities_equal",
]

# Longest first, so that 超过 wins over 超 when stripping.
APPROX_PREFIXES: tuple[str, ...] = tuple(
    sorted(
        (
            "近",
            "约",
            "超",
            "超过",
            "突破",
            "逾",
            "达",
            "达到",
            "将近",
            "接近",
            "大约",
            "多达",
            "不足",
            "不到",
            "仅",
            "仅为",
            "共",
            "共计",
            "合计",
            "累计",
            "高达",
            "约为",
            "为",
            "已达",
            "已超",
            "已突破",
            "第",
        ),
        key=len,
        reverse=True,
    )
)
_APPROX_SUFFIXES: tuple[str, ...] = ("左右", "以上", "以下", "以内", "上下", "多", "余", "前后")

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS) + "点"

_MULTIPLIERS = {
    "百": 100.0,
    "千": 1000.0,
    "万": 1e4,
    "亿": 1e8,
    "万亿": 1e12,
    "千万": 1e7,
    "百万": 1e6,
}

# An Arabic number: thousands-grouped or plain, optional decimals, optional sign.
_ARABIC = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_CHINESE = f"[{CHINESE_NUMERAL_CHARS}]+"
_MULT = r"(?:万亿|千万|百万|万|亿|千|百)"
_NUMBER_RE = re.compile(
    rf"(?P<arabic>{_ARABIC})(?P<fuzz1>[余多]?)(?P<mult>{_MULT})?"
    rf"|(?P<chinese>{_CHINESE})"
)
_PERCENT_WORD = "百分之"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number read from an answer string, with its unit and the exact original text."""

    value: float
    unit: str | None
    text: str


def parse_chinese_number(text: str) -> float | None:
    """Return the value of a Chinese numeral such as 一千三百五十 or 三点五, else None."""
    if not text or any(ch not in CHINESE_NUMERAL_CHARS for ch in text):
        return None
    if text[0] in _BIG_UNITS:
        return None  # 万元, 万人, 万亿元: a unit word, not ten thousand
    if "点" in text:
        whole, _, frac = text.partition("点")
        whole_value = parse_chinese_number(whole) if whole else 0.0
        if whole_value is None or not frac or any(ch not in _DIGITS for ch in frac):
            return None
        return whole_value + float("0." + "".join(str(_DIGITS[ch]) for ch in frac))
    # Plain digit strings written with numerals, e.g. 二〇二四.
    if len(text) > 1 and all(ch in _DIGITS for ch in text):
        return float("".join(str(_DIGITS[ch]) for ch in text))
    total = 0.0  # finished 亿/万 sections
    section = 0.0  # current section below the next big unit
    digit: float | None = None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and _DIGITS[ch] != 0:
                return None  # two digits in a row without a unit: not a numeral
            digit = float(_DIGITS[ch]) if _DIGITS[ch] != 0 else None
        elif ch in _SMALL_UNITS:
            section += (1.0 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        else:  # 万 or 亿
            section += digit or 0.0
            digit = None
            if section == 0 and total == 0:
                section = 1.0
            if ch == "亿":
                total = (total + section) * _BIG_UNITS[ch]
            else:
                total += section * _BIG_UNITS[ch]
            section = 0.0
    return total + section + (digit or 0.0)


def _strip_prefix(text: str) -> str:
    for prefix in APPROX_PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix) :]
    return text


def _clean_unit(unit: str) -> str | None:
    changed = True
    while changed and unit:
        changed = False
        for suffix in _APPROX_SUFFIXES:
            if unit.endswith(suffix):
                unit = unit[: -len(suffix)]
                changed = True
        for suffix in _APPROX_SUFFIXES:
            if unit.startswith(suffix) and len(unit) > len(suffix):
                unit = unit[len(suffix) :]
                changed = True
    unit = unit.strip()
    return unit or None


def _read_number(text: str) -> tuple[float, str] | None:
    """Read a number at the start of ``text``; return its value and the rest."""
    match = _NUMBER_RE.match(text)
    if match is None:
        return None
    if match.group("arabic") is not None:
        value = float(match.group("arabic").replace(",", ""))
        mult = match.group("mult")
        if mult:
            value *= _MULTIPLIERS[mult]
        return value, text[match.end() :]
    chinese = match.group("chinese")
    # Back off until the numeral parses: 三个 -> 三, 两百余人 -> 两百.
    for end in range(len(chinese), 0, -1):
        parsed = parse_chinese_number(chinese[:end])
        if parsed is not None:
            return parsed, text[end:]
    return None


_COMPOUND_DURATION = re.compile(
    r"(?:(?P<h>\d+)小时)?(?:(?P<m>\d+)分钟?)?(?:(?P<s>\d+)秒(?P<frac>\d{1,2})?)?"
)


def _compound_duration(text: str) -> Quantity | None:
    """Read a time written in parts (10秒24, 2分30秒, 1小时2分) as seconds."""
    match = _COMPOUND_DURATION.fullmatch(text)
    if match is None or sum(1 for g in ("h", "m", "s", "frac") if match.group(g)) < 2:
        return None
    seconds = float(
        int(match.group("h") or 0) * 3600
        + int(match.group("m") or 0) * 60
        + int(match.group("s") or 0)
    )
    if match.group("frac"):
        seconds += float("0." + match.group("frac"))
    return Quantity(value=seconds, unit="秒", text=text)


def parse_quantity(text: str) -> Quantity | None:
    """Parse an answer-like quantity string; return None when it is not one quantity.

    A time written in parts is one quantity in seconds: ``10秒24`` -> 10.24 秒,
    ``2分30秒`` -> 150 秒.
    """
    original = text
    norm = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    norm = norm.replace("％", "%")
    if not norm:
        return None
    compound = _compound_duration(norm)
    if compound is not None:
        return Quantity(value=compound.value, unit=compound.unit, text=original)
    per: str | None = None
    body = _strip_prefix(norm)
    per_match = re.match(rf"每(?P<per>\D+?)(?=(?:{_ARABIC}|[{CHINESE_NUMERAL_CHARS}]))", body)
    if per_match is not None and not body.startswith(_PERCENT_WORD):
        candidate_body = _strip_prefix(body[per_match.end() :])
        if _read_number(candidate_body) is not None:
            per = per_match.group("per")
            body = candidate_body
    if body.startswith(_PERCENT_WORD):
        read = _read_number(body[len(_PERCENT_WORD) :])
        if read is None or read[1].strip():
            return None
        return Quantity(value=read[0], unit="%", text=original)
    read = _read_number(body)
    if read is None:
        return None
    value, rest = read
    if re.search(r"\d", rest):
        return None  # a second number: a date, a range or a list, not one quantity
    if rest.startswith("%"):
        unit: str | None = "%"
        if _clean_unit(rest[1:]) is not None:
            return None
    else:
        unit = _clean_unit(rest)
    if per is not None:
        unit = f"{unit or ''}/{per}"
    return Quantity(value=value, unit=unit, text=original)


def _normalize_unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    return unicodedata.normalize("NFKC", unit).replace(" ", "") or None


def quantities_equal(a: str, b: str) -> bool:
    """Return True when both strings parse to the same value and the same unit.

    Approximation words are ignored (``近180万人`` equals ``180万人``), multipliers are
    applied (``11.5万个`` equals ``115000个``), but units must match exactly: a missing unit
    matches only a missing unit, so ``11.5万`` does not equal ``11.5万个``. Strings that do
    not parse as quantities are compared after NFKC normalization and space removal.
    """
    qa_, qb = parse_quantity(a), parse_quantity(b)
    if qa_ is None or qb is None:
        if qa_ is None and qb is None:
            return _squash(a) == _squash(b)
        return False
    if _normalize_unit(qa_.unit) != _normalize_unit(qb.unit):
        return False
    return math.isclose(qa_.value, qb.value, rel_tol=1e-9, abs_tol=1e-12)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
