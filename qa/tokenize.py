"""Chinese tokens for BM25: jieba words plus their dictionary sub-words, numbers kept whole.

The same tokenizer must turn documents and queries into tokens; its ``fingerprint`` goes
into the index manifest so an index built with another dictionary is detected.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import jieba

__all__ = [
    "DEFAULT_USERDICT",
    "STOPWORDS",
    "TOKENIZER_VERSION",
    "ChineseTokenizer",
    "TextTokenizer",
]

DEFAULT_USERDICT = Path(__file__).parent / "resources" / "userdict.txt"
TOKENIZER_VERSION = "1"  # bump when the splitting rules below change

# Function words and question words: they carry no topic, and questions are full of them.
STOPWORDS = frozenset(
    "的 地 得 了 着 过 是 在 和 与 及 以及 或 等 有 也 都 就 而 之 其 把 被 对 将 从 向 于 为 "
    "吗 呢 吧 啊 呀 么 "
    "多少 什么 啥 哪 哪些 哪个 哪里 哪儿 哪年 几 几个 谁 怎样 怎么 怎么样 如何 为什么 "
    "何时 何地 是否 请问 请 一下".split()
)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A letter or digit that is not a CJK ideograph (``\w`` minus ``_`` minus CJK).
_ALNUM = rf"[^\W_{_CJK}]"
_TOKEN_RE = re.compile(
    rf"(?P<grouped>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?)"  # 1,455.3 -> 1455.3
    rf"|(?P<latin>{_ALNUM}+(?:\.{_ALNUM}+)*)"  # 5g, t1000, eflops, 11.5, 2024
    rf"|(?P<cjk>[{_CJK}]+)"
)
_PARTS_RE = re.compile(r"\d+(?:\.\d+)*|[^\W\d_]+")


class TextTokenizer(Protocol):
    """Anything that turns text into index tokens."""

    def tokens(self, text: str) -> list[str]:
        """Return the tokens of ``text``."""
        ...


class ChineseTokenizer:
    """Search-mode tokens from a private ``jieba.Tokenizer`` with the domain dictionary.

    Text is NFKC-normalised and lowercased, then split with a regex into runs of
    letters/digits and runs of CJK ideographs; only CJK runs reach jieba, so ``11.5``,
    ``5G`` and ``T1000`` stay one token. Building loads jieba's dictionary (about a
    second): build one per process, where the app is assembled.
    """

    def __init__(
        self,
        *,
        userdict: Path = DEFAULT_USERDICT,
        stopwords: frozenset[str] = STOPWORDS,
    ) -> None:
        # jieba adds a stderr handler at import and logs its dictionary loading at DEBUG.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        entries = userdict.read_bytes()
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self._jieba.load_userdict(io.BytesIO(entries))
        self._stopwords = stopwords
        self._mixed_terms = _mixed_terms(entries)
        digest = hashlib.sha256()
        for part in (TOKENIZER_VERSION.encode(), entries, " ".join(sorted(stopwords)).encode()):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        self._fingerprint = digest.hexdigest()

    @property
    def fingerprint(self) -> str:
        """Return a hash of the rules, dictionary and stopwords that shape the tokens."""
        return self._fingerprint

    def tokens(self, text: str) -> list[str]:
        """Return search-mode tokens of ``text``, lowercased, without punctuation or stopwords."""
        normal = unicodedata.normalize("NFKC", text).lower()
        return [t for t in self._raw_tokens(normal) if t not in self._stopwords]

    def _raw_tokens(self, text: str) -> Iterator[str]:
        position = 0
        for term_start, term in self._find_mixed_terms(text):
            yield from self._plain_tokens(text[position:term_start])
            # A dictionary term that mixes scripts, e.g. 5g基站: the whole term, then its parts.
            yield term
            yield from self._plain_tokens(term)
            position = term_start + len(term)
        yield from self._plain_tokens(text[position:])

    def _find_mixed_terms(self, text: str) -> Iterator[tuple[int, str]]:
        if self._mixed_terms is None:
            return
        for match in self._mixed_terms.finditer(text):
            yield match.start(), match.group()

    def _plain_tokens(self, text: str) -> Iterator[str]:
        for match in _TOKEN_RE.finditer(text):
            kind = match.lastgroup
            run = match.group()
            if kind == "grouped":
                yield run.replace(",", "")
            elif kind == "latin":
                yield run
                yield from _latin_parts(run)
            else:
                yield from self._search_words(run)

    def _search_words(self, run: str) -> Iterator[str]:
        frequencies = self._jieba.FREQ
        for word in self._jieba.cut(run, HMM=True):
            # Like jieba's cut_for_search, but with dictionary sub-words of every length.
            for size in range(2, len(word)):
                for i in range(len(word) - size + 1):
                    sub = word[i : i + size]
                    if frequencies.get(sub):
                        yield sub
            yield word


def _latin_parts(run: str) -> Iterator[str]:
    """Yield the digit and letter parts of a mixed run (32eflops -> 32, eflops)."""
    parts = _PARTS_RE.findall(run)
    if len(parts) < 2:
        return
    for part in parts:
        if len(part) >= 2:
            yield part


def _mixed_terms(entries: bytes) -> re.Pattern[str] | None:
    """Return a regex over dictionary terms mixing CJK with letters or digits, longest first."""
    terms = set()
    for line in entries.decode("utf-8-sig").splitlines():
        fields = line.split()
        if not fields:
            continue
        term = unicodedata.normalize("NFKC", fields[0]).lower()
        if re.search(rf"[{_CJK}]", term) and re.search(_ALNUM, term):
            terms.add(term)
    if not terms:
        return None
    alternation = "|".join(re.escape(t) for t in sorted(terms, key=lambda t: (-len(t), t)))
    return re.compile(rf"(?<!{_ALNUM})(?:{alternation})")
