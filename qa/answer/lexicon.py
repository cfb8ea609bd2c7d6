"""Word classes from jieba's dictionary: which question words are places, verbs or frames.

A question's verbs (降到, 成立, 报名) are often worded differently in the text (降低至, 设立,
报名比赛), and its time words and pronouns (中午, 当天, 这次) frame the question rather than
name its topic. jieba's dictionary tags every word with a part of speech; one pass over it
gives the place names and the word classes the answerer needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources

__all__ = ["Lexicon", "WordClass", "load_lexicon"]

ADMIN_SUFFIX = "省市县区州镇乡村旗盟"
_CITY_SUFFIX = "省市州盟"
MAX_KNOWN = 3  # longest word kept for knows(): question cuts are two or three characters
_PLACE_TAG = "ns"  # jieba's part-of-speech tag for place names


class WordClass(StrEnum):
    """The part of speech that changes how a question word is matched."""

    VERB = "verb"  # v: the predicate, often worded another way in the text
    TIME = "time"  # t, f: 中午, 当天, 以后 frame the question
    FUNCTION = "function"  # r, p, c, q: 这次, 从, 和, 个 carry no topic
    # a, d, m, z: 虚假, 大概, 一档 describe or count; the text may say it otherwise. Not b:
    # 国家级, 省级 set a scope that excludes its siblings.
    MODIFIER = "modifier"
    # nr: a personal name, by jieba's word; many are plain words (延后, 强降雨, 掌勺)
    NAME = "name"


_TAGS = {
    "v": WordClass.VERB,
    "vd": WordClass.VERB,
    "vi": WordClass.VERB,
    "t": WordClass.TIME,
    "f": WordClass.TIME,
    "r": WordClass.FUNCTION,
    "p": WordClass.FUNCTION,
    "c": WordClass.FUNCTION,
    "q": WordClass.FUNCTION,
    "a": WordClass.MODIFIER,
    "ad": WordClass.MODIFIER,
    "an": WordClass.MODIFIER,
    "ag": WordClass.MODIFIER,
    "d": WordClass.MODIFIER,
    "m": WordClass.MODIFIER,
    "mq": WordClass.MODIFIER,
    "z": WordClass.MODIFIER,
    "nr": WordClass.NAME,
    "nrfg": WordClass.NAME,
    "nrt": WordClass.NAME,
}
# jieba tags some nouns as verbs; these name who or what, so they stay content words.
_NOUN_OVERRIDES = frozenset("选手 代表 领导 负责人 主持 编辑 翻译 导演 教练 裁判 指挥".split())


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Place names and the word classes of dictionary words."""

    places: frozenset[str] = frozenset()
    classes: Mapping[str, WordClass] = field(default_factory=dict)
    # Every short dictionary word; None when the dictionary could not be read.
    words: frozenset[str] | None = None

    def word_class(self, word: str) -> WordClass | None:
        """Return the class of ``word``, or None for nouns and unknown words."""
        return self.classes.get(word)

    def knows(self, word: str) -> bool:
        """Return True when ``word`` is a dictionary word (or there is no dictionary)."""
        return self.words is None or word in self.words

    def is_verb(self, word: str) -> bool:
        """Return True when the dictionary tags ``word`` as a verb."""
        return self.classes.get(word) is WordClass.VERB


def load_lexicon(*, regions: frozenset[str] = frozenset()) -> Lexicon:
    """Return the lexicon read from jieba's dictionary, with ``regions`` as extra places."""
    names: set[str] = set(regions)
    classes: dict[str, WordClass] = {}
    words: set[str] = set()
    try:
        dictionary = resources.files("jieba").joinpath("dict.txt")
        lines = dictionary.read_text(encoding="utf-8").splitlines()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return Lexicon(places=frozenset(names))
    for line in lines:
        parts = line.split()
        if len(parts) != 3:
            continue
        word, tag = parts[0], parts[2]
        if len(word) <= MAX_KNOWN:
            words.add(word)
        if tag == _PLACE_TAG:
            if len(word) >= 3 and word[-1] in ADMIN_SUFFIX:
                names.add(word)
                if word[-1] in _CITY_SUFFIX:
                    # County names are often common words (新兴县, 振兴区): only the stems
                    # of provinces and cities (太原市 -> 太原) are safe to match bare.
                    names.add(word[:-1])
            continue
        cls = _TAGS.get(tag)
        if cls is not None and word not in _NOUN_OVERRIDES:
            classes[word] = cls
    return Lexicon(places=frozenset(names), classes=classes, words=frozenset(words))
