"""Seed files -> articles: repair the PDF layout, split the page, keep a map to raw offsets.

The pages are PDF extractions. Lines are hard-wrapped mid-sentence (sometimes across blank
lines), headlines may come before or after their body, captions double every glyph, vertical
titles put one character per line, and continuation marks ("（上接第1版）") sit in the text.

Everything here works on ``Text`` runs: characters paired with their raw file offsets. Cleaning
only ever drops characters or adds block separators, so any clean span maps back exactly.
"""

from __future__ import annotations

import itertools
import logging
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from qa.errors import SeedError
from qa.records import Article, OffsetMap, SourceDoc

__all__ = ["CorpusRead", "dateline_end", "read_corpus", "split_articles"]

log = logging.getLogger(__name__)

CORPUS_SUFFIXES = (".txt", ".md")
TERMINAL = "。！？!?…:："  # a line ending in one of these may end a paragraph
CLOSERS = "”’」』）)》"
CONTINUATION = "，,、；;“‘（(《—-"  # a line ending in one of these always continues
UNIT_STARTS = "年月日时分秒万亿千百个家户人件元米吨%％.:："  # can only continue a number
PROSE_MARKS = "，。；：,;"  # not 、: headlines list things too
HEADLINE_MAX_CHARS = 40  # longer blocks without a full stop are body text, not headlines
PARAGRAPH_WIDTH = 60  # local line width (display units) above which lines are paragraphs
VERTICAL_MIN_LINES = 4  # one-glyph lines in a row before we call it vertical text
WIDE_HEADLINE = 1.25  # a headline this much wider than its column spans columns: a main title

_DATE = r"(?:(?P<year>(?:19|20)\d\d)年)?(?P<month>\d{1,2})月(?P<day>\d{1,2})日"
_REPORTER = (
    r"(?:[（(](?:本报)?(?:记者|通讯员)(?P<reporter>[\u4e00-\u9fff]{2,4}?)"
    r"(?=[）)、，,]|通讯员|实习生)[^）)]{0,30}[）)])?"
)
# "本报太原11月4日讯（记者王蕾）", "本报讯", "中新社北京8月4日电", "人民网北京8月10日电",
# "深圳新闻网2023年8月3日讯": our paper needs no date, other agencies must give one
DATELINE = re.compile(
    rf"^(?:本报(?P<place>[\u4e00-\u9fff]{{0,6}}?)(?:{_DATE})?"
    rf"|(?P<agency>[\u4e00-\u9fff]{{1,8}}(?:社|网|报|台|新闻|客户端))"
    rf"(?P<agency_place>[\u4e00-\u9fff]{{0,6}}?)"
    rf"{_DATE.replace('?P<', '?P<a_')})(?:讯|电){_REPORTER}"
)
DATELINE_START = re.compile(r"^本报[\u4e00-\u9fff]{0,6}?\d{1,2}月(?:\d{1,2}日?)?$")
LEAD_DATE = re.compile(rf"^[（(]?{_DATE}")  # a paragraph that opens with its date
EDITOR_CREDITS = re.compile(r"^(?:责任编辑|编辑|校对|审核|来源|返回搜狐|图片来源)")
BYLINE = re.compile(r"^(?:本报)?(?:记者|通讯员)[\u4e00-\u9fff、·]{2,12}$")
PHOTO_CREDIT = re.compile(r"^[\u4e00-\u9fff、·]{2,16}(?:摄影报道|摄影|摄)$")
TRAILING_BYLINE = re.compile(r"[（(](?:稿|文|记者|通讯员)?[\u4e00-\u9fff、·]{2,16}[）)]$")
MARKER = re.compile(r"[（(](?P<kind>上接|下转)第?[0-9一二三四五六七八九十]+版[）)]")
CAPTION_END = re.compile(r"(?:摄影报道|摄影|\s摄|[\u4e00-\u9fff]{2,3}摄)$")
CAPTION_REF = re.compile(r"^(?:图为|上图|下图|图中|左图|右图)")
YEAR = re.compile(r"(?<![0-9.])(?P<year>(?:19|20)\d\d)\s*年")  # "2000万元" is no year


# ---------------------------------------------------------------- text with raw offsets


@dataclass(slots=True)
class Text:
    """Characters with the raw offset each came from."""

    chars: list[str] = field(default_factory=list)
    pos: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return "".join(self.chars)

    def __len__(self) -> int:
        return len(self.chars)

    def append(self, char: str, position: int) -> None:
        """Add one character."""
        self.chars.append(char)
        self.pos.append(position)

    def extend(self, other: Text) -> None:
        """Add another run."""
        self.chars.extend(other.chars)
        self.pos.extend(other.pos)

    def sub(self, start: int, end: int) -> Text:
        """Return characters ``start:end``."""
        return Text(self.chars[start:end], self.pos[start:end])


def is_wide(char: str) -> bool:
    """Tell whether a character is CJK-width (Chinese characters and full-width punctuation)."""
    return unicodedata.east_asian_width(char) in ("W", "F", "A")


def display_width(text: str) -> int:
    """Return the width of a line in half-width units (a Chinese character counts 2)."""
    return sum(2 if is_wide(c) else 1 for c in text)


# ---------------------------------------------------------------- line cleaning


class LineKind(StrEnum):
    """What a physical line is, before lines are joined into blocks."""

    TEXT = "text"
    HEADING = "heading"  # markdown heading or vertical title
    BLANK = "blank"


@dataclass(slots=True)
class Line:
    """One cleaned physical line."""

    text: Text
    kind: LineKind
    hard_break: bool = False  # markdown "two spaces" line break
    continues_from: bool = False  # began with （上接第N版）
    continues_to: bool = False  # ended with （下转第N版）


def _undouble_tokens(tokens: list[Text]) -> list[Text]:
    """Repair caption glyph doubling ("张文华张文华" -> "张文华") when a line shows it twice."""

    parsed = [_doubled_runs(t.chars) for t in tokens]
    if sum(p is not None for p in parsed) < 2:  # one doubled word may be real ("哈哈")
        return tokens
    out = []
    for token, keep in zip(tokens, parsed, strict=True):
        if keep is None:
            out.append(token)
        else:
            out.append(Text([token.chars[i] for i in keep], [token.pos[i] for i in keep]))
    return out


def _doubled_runs(chars: list[str]) -> list[int] | None:
    """Parse a token as runs each printed twice ("XX。。" -> X。); return kept indices."""
    n = len(chars)
    if n < 2 or n % 2:
        return None
    memo: dict[int, list[int] | None] = {n: []}

    def parse(i: int) -> list[int] | None:
        if i in memo:
            return memo[i]
        result = None
        for size in range(1, (n - i) // 2 + 1):
            if chars[i : i + size] == chars[i + size : i + 2 * size]:
                rest = parse(i + 2 * size)
                if rest is not None:
                    result = list(range(i, i + size)) + rest
                    break
        memo[i] = result
        return result

    return parse(0)


def _clean_line(raw: str, offset: int) -> Line:
    """Strip markup and layout noise from one raw line, keeping raw offsets."""
    hard_break = raw.endswith("  ")
    kind = LineKind.TEXT
    skip: set[int] = set()
    heading = re.match(r"^\s*#{1,6}\s+", raw)
    if heading:
        kind = LineKind.HEADING
        skip.update(range(heading.end()))
    for bold in re.finditer(r"\*\*", raw):
        skip.update(range(bold.start(), bold.end()))
    continues_from = continues_to = False
    for marker in MARKER.finditer(raw):
        skip.update(range(marker.start(), marker.end()))
        if marker.group("kind") == "上接":
            continues_from = True
        else:
            continues_to = True

    # split into whitespace-separated tokens, repair doubling, then rejoin
    tokens: list[Text] = []
    current = Text()
    for i, char in enumerate(raw):
        if i in skip:
            continue
        if char.isspace():
            if current.chars:
                tokens.append(current)
                current = Text()
            continue
        current.append(char, offset + i)
    if current.chars:
        tokens.append(current)
    tokens = _undouble_tokens(tokens)

    text = Text()
    for token in tokens:
        # a space survives only between two half-width characters ("Hello world", "5 G")
        if text.chars and not is_wide(text.chars[-1]) and not is_wide(token.chars[0]):
            text.append(" ", token.pos[0] - 1)
        text.extend(token)
    if not text.chars:
        return Line(text, LineKind.BLANK, continues_from=continues_from, continues_to=continues_to)
    return Line(text, kind, hard_break, continues_from, continues_to)


def _mark_vertical_text(lines: list[Line]) -> list[Line]:
    """Merge runs of one-glyph lines (vertical titles) into single heading lines."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        run: list[int] = []
        j = i
        while j < len(lines):
            line = lines[j]
            if line.kind is LineKind.TEXT and len(line.text) == 1 and is_wide(line.text.chars[0]):
                run.append(j)
                j += 1
            elif (
                line.kind is LineKind.BLANK
                and run
                and j + 1 < len(lines)
                and (lines[j + 1].kind is LineKind.TEXT and len(lines[j + 1].text) == 1)
            ):
                j += 1  # a blank between two vertical columns
            else:
                break
        if len(run) >= VERTICAL_MIN_LINES:
            merged = Text()
            for k in run:
                merged.extend(lines[k].text)
            out.append(Line(merged, LineKind.HEADING))
            i = j
        else:
            out.append(lines[i])
            i += 1
    return out


# ---------------------------------------------------------------- blocks


class BlockKind(StrEnum):
    """The role of a paragraph on the page."""

    BODY = "body"
    DATELINE = "dateline"  # body that opens with 本报…讯
    HEADLINE = "headline"
    BYLINE = "byline"  # 记者 X, 本报记者 X, X 摄影报道: closes the article before it
    CAPTION = "caption"  # photo caption ending with 摄


@dataclass(slots=True)
class Block:
    """A paragraph: joined lines with the role it plays."""

    text: Text
    lines: list[str]
    kind: BlockKind = BlockKind.BODY
    continues_from: bool = False
    closes: bool = False  # the article ends after this block
    wide: bool = False  # has a line wider than its column (a title spanning columns)


def _ends_terminal(text: str) -> bool:
    stripped = text.rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINAL


def _is_byline(text: str) -> bool:
    if EDITOR_CREDITS.match(text):
        return True  # "编辑：X校对：Y", "返回搜狐，查看更多责任编辑："
    return bool(BYLINE.match(text) or PHOTO_CREDIT.match(text) or TRAILING_BYLINE.fullmatch(text))


def _unclosed(text: str) -> bool:
    """Tell whether a bracket or quote opened in ``text`` is still open."""
    return any(text.count(o) > text.count(c) for o, c in ("（）", "()", "“”", "《》"))


def _local_width(widths: list[int], i: int) -> float:
    window = widths[max(0, i - 4) : i] + widths[i + 1 : i + 5]
    return statistics.median(window) if window else float(widths[i])


def _joins(
    a: Line, b: Line, *, block: str, blank_between: bool, width_a: int, local: float, wrapped: bool
) -> bool:
    """Decide whether line ``b`` continues the paragraph that line ``a`` ends."""
    text_a, text_b = str(a.text), str(b.text)
    if a.kind is LineKind.HEADING or b.kind is LineKind.HEADING or a.hard_break:
        return False
    if DATELINE_START.match(text_a) and not DATELINE.match(text_a):
        return True  # "本报晋城 11 月 18 日" wrapped before its 讯
    if DATELINE.match(text_b) or _is_byline(text_b) or _is_byline(text_a):
        return False
    if b.continues_from or a.continues_to or TRAILING_BYLINE.search(text_a):
        return False
    if CAPTION_END.search(text_a):
        return False
    if _ends_terminal(text_a):
        # a full-width line ending a sentence usually wraps on; a short one ends the paragraph
        return wrapped and not blank_between and width_a >= 0.85 * local
    if text_a[-1] in CONTINUATION or _unclosed(block):
        return True
    if text_a[-1].isdigit() and (text_b[0].isdigit() or text_b[0] in UNIT_STARTS):
        return True  # a figure split by the wrap: "11月1" + "日起", "1.87" + "亿吨"
    if text_b.startswith("——"):
        return False  # a subtitle line under a headline
    if not any(c in block for c in PROSE_MARKS):
        # punctuation-free so far: a headline, unless a full line wraps into prose
        full = 0.85 * local <= width_a <= 1.15 * local
        if blank_between:
            return wrapped and full and any(c in text_b for c in PROSE_MARKS)
        return wrapped and full
    if not wrapped:  # paragraph-per-line page: only long prose lines wrap
        return len(text_a) > HEADLINE_MAX_CHARS // 2
    return True


def _blocks(lines: list[Line]) -> list[Block]:
    """Join wrapped lines into paragraphs and give each its role."""
    content = [(i, line) for i, line in enumerate(lines) if line.kind is not LineKind.BLANK]
    widths = [display_width(str(line.text)) for _, line in content]
    # hard-wrapped pages have narrow columns; markdown-like pages put a paragraph on a line
    long_enough = [w for w in widths if w >= 10] or [0]
    wrapped = statistics.median(long_enough) < PARAGRAPH_WIDTH
    local = [_local_width(widths, n) for n in range(len(widths))]
    blocks: list[Block] = []
    current: Block | None = None
    for n, (i, line) in enumerate(content):
        wide = wrapped and widths[n] > WIDE_HEADLINE * local[n]
        if current is not None and n > 0:
            prev_i, prev = content[n - 1]
            blank = i - prev_i > 1
            if _joins(
                prev,
                line,
                block=str(current.text),
                blank_between=blank,
                width_a=widths[n - 1],
                local=local[n - 1],
                wrapped=wrapped,
            ):
                if (
                    current.text.chars
                    and not is_wide(current.text.chars[-1])
                    and not is_wide(line.text.chars[0])
                    and current.text.chars[-1].isalpha()
                    and line.text.chars[0].isalpha()
                ):
                    current.text.append(" ", line.text.pos[0] - 1)  # Latin word wrap
                current.text.extend(line.text)
                current.lines.append(str(line.text))
                current.closes = current.closes or line.continues_to
                current.wide = current.wide or wide
                continue
        current = Block(
            text=line.text.sub(0, len(line.text)),  # a copy: the block grows as lines join
            lines=[str(line.text)],
            kind=BlockKind.HEADLINE if line.kind is LineKind.HEADING else BlockKind.BODY,
            continues_from=line.continues_from,
            closes=line.continues_to,
            wide=wide,
        )
        blocks.append(current)
    for block in blocks:
        _classify(block)
    return blocks


def _classify(block: Block) -> None:
    text = str(block.text)
    if block.kind is BlockKind.HEADLINE:
        return
    if DATELINE.match(text):
        block.kind = BlockKind.DATELINE
    elif _is_byline(text):
        block.kind = BlockKind.BYLINE
        block.closes = True
    elif CAPTION_END.search(text):
        block.kind = BlockKind.CAPTION
        block.closes = True
    elif len(text) <= HEADLINE_MAX_CHARS and not _ends_terminal(text) and not block.continues_from:
        block.kind = BlockKind.HEADLINE
    elif (
        len(block.lines) == 1 and len(text) <= HEADLINE_MAX_CHARS * 3 // 4 and text[-1] in "？?！!"
    ):
        block.kind = BlockKind.HEADLINE  # "“地球史上最重动物”是它？"
    if TRAILING_BYLINE.search(text) and block.kind is not BlockKind.HEADLINE:
        block.closes = True


# ---------------------------------------------------------------- articles


@dataclass(slots=True)
class Draft:
    """An article being assembled."""

    blocks: list[Block] = field(default_factory=list)
    heads_before: list[Block] = field(default_factory=list)
    heads_after: list[Block] = field(default_factory=list)
    bylines: list[Block] = field(default_factory=list)
    closed: bool = False
    after_caption: bool = False  # closed by a photo caption: plain text may still continue it

    def text(self) -> str:
        return "".join(str(b.text) for b in self.blocks)


def dateline_end(text: str) -> int:
    """Return where a leading dateline (本报太原11月4日讯（记者王蕾）) ends in ``text``, else 0."""
    match = DATELINE.match(text)
    return match.end() if match else 0


def _bare_dateline(block: Block) -> bool:
    """Tell whether a block is a dateline with nothing after it."""
    text = str(block.text)
    match = DATELINE.match(text)
    if not match:
        return False
    rest = text[match.end() :]
    lead = LEAD_DATE.match(rest)
    return not rest[lead.end() if lead else 0 :].strip()


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if is_wide(c) and c.isalnum()]
    return {a + b for a, b in itertools.pairwise(chars)}


def _overlap(head: Block, article_bigrams: set[str]) -> float:
    grams = _bigrams(str(head.text))
    return len(grams & article_bigrams) / len(grams) if grams else 0.0


def _assemble(blocks: list[Block]) -> list[Draft]:
    """Group blocks into articles; headlines between two articles are placed afterwards."""
    drafts: list[Draft] = []
    pending: list[Block] = []  # headlines seen since the last body block
    gaps: list[tuple[int, list[Block]]] = []  # (index of the article after the gap, headlines)
    for block in blocks:
        if block.kind is BlockKind.HEADLINE:
            pending.append(block)
            continue
        if block.kind is BlockKind.BYLINE:
            if drafts:
                drafts[-1].bylines.append(block)
                drafts[-1].closed = True
            continue
        current = drafts[-1] if drafts else None
        opens = block.kind is BlockKind.DATELINE or block.continues_from
        if current is not None and len(current.blocks) == 1 and _bare_dateline(current.blocks[0]):
            opens = False  # "本报讯 2023年8月14日" on its own line heads the text below it
        # A caption under a headline or after a finished article is a photo item of its own;
        # one inside running text (wire copy: "…新华社记者龙雷摄") belongs to that article.
        stands_alone = bool(pending) or current is None or current.closed
        opens = opens or (
            block.kind is BlockKind.CAPTION
            and stands_alone
            and not CAPTION_REF.match(str(block.text))  # "图为…" describes the text above it
        )
        opens = opens or any(h.wide for h in pending)  # a column-spanning title starts an item
        continues = (
            current is not None
            and current.after_caption
            and not pending
            and block.kind is BlockKind.BODY
        )
        if current is None or (current.closed and not continues) or opens:
            gaps.append((len(drafts), pending))
            drafts.append(Draft())
        else:
            drafts[-1].blocks.extend(pending)  # a subhead inside the article
        pending = []
        drafts[-1].blocks.append(block)
        if continues:
            drafts[-1].closed = drafts[-1].after_caption = False
        drafts[-1].closed = drafts[-1].closed or block.closes
        drafts[-1].after_caption = block.kind is BlockKind.CAPTION
    if pending:
        gaps.append((len(drafts), pending))
    _place_headlines(drafts, gaps)
    return drafts


def _place_headlines(drafts: list[Draft], gaps: list[tuple[int, list[Block]]]) -> None:
    """Give each run of headlines to the article before or after it, whichever it describes.

    Some pages print headlines above their articles, others (PDF column order) below. The page
    direction is the one whose headlines share more words with their articles; within a run,
    the split point is chosen the same way so a kicker can go one way and a title the other.
    """
    grams = [_bigrams(d.text()) for d in drafts]
    lean = 0.0  # > 0: headlines follow their article on this page
    for after, heads in gaps:
        if 0 < after < len(drafts):
            for head in heads:
                lean += _overlap(head, grams[after - 1]) - _overlap(head, grams[after])
    prior = 0.05 if lean > 0 else -0.05
    for after, heads in gaps:
        if not heads:
            continue
        has_prev, has_next = after > 0, after < len(drafts)
        if not has_next:
            drafts[after - 1].heads_after.extend(heads)
            continue
        if not has_prev:
            drafts[after].heads_before.extend(heads)
            continue
        best_split, best_score = 0, float("-inf")
        for split in range(len(heads) + 1):
            score = sum(_overlap(h, grams[after - 1]) + prior for h in heads[:split])
            score += sum(_overlap(h, grams[after]) - prior for h in heads[split:])
            if score > best_score:
                best_split, best_score = split, score
        drafts[after - 1].heads_after.extend(heads[:best_split])
        drafts[after].heads_before.extend(heads[best_split:])


def _title(draft: Draft, *, headlines_follow: bool) -> str | None:
    first, second = (
        (draft.heads_after, draft.heads_before)
        if headlines_follow
        else (draft.heads_before, draft.heads_after)
    )
    heads = first or second
    lines = [line for h in heads for line in h.lines if not line.startswith("—")]
    return " ".join(lines) if lines else None


# ---------------------------------------------------------------- dates


def page_year(text: str) -> int | None:
    """Infer the publication year: the latest year the page mentions, not as a range's end."""
    years = []
    for match in YEAR.finditer(text):
        before = text[max(0, match.start() - 2) : match.start()]
        if any(c in before for c in "—–-~至到"):
            continue  # "2024年10月21日—2025年3月20日": the end of a range is not "now"
        years.append(int(match.group("year")))
    return max(years) if years else None


DateParts = tuple[int | None, int, int]  # (year if printed, month, day)


def _date_parts(match: re.Match[str], prefix: str = "") -> DateParts | None:
    month = match.group(f"{prefix}month")
    if month is None:
        return None
    year = match.group(f"{prefix}year")
    return (int(year) if year else None), int(month), int(match.group(f"{prefix}day"))


def _lead_date(text: str) -> DateParts | None:
    """Return the date a paragraph opens with, after its dateline if it has one."""
    dateline = DATELINE.match(text)
    if dateline:
        parts = _date_parts(dateline) or _date_parts(dateline, "a_")
        if parts:
            return parts
        text = text[dateline.end() :]
    lead = LEAD_DATE.match(text)
    return _date_parts(lead) if lead else None


def _iso(year: int | None, parts: DateParts | None) -> str | None:
    if parts is None:
        return None
    printed_year, month, day = parts
    year = printed_year or year
    if year is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


# ---------------------------------------------------------------- public API


@dataclass(frozen=True, slots=True)
class CorpusRead:
    """The readable corpus files and the ones skipped, with the reason."""

    docs: tuple[SourceDoc, ...]
    skipped: tuple[tuple[str, str], ...]
    files: tuple[tuple[str, bytes], ...]  # every corpus file as read, skipped ones too


def read_corpus(*, seeds_dir: Path) -> CorpusRead:
    """Read every .txt/.md file of a folder; report and skip files that are not UTF-8."""
    if not seeds_dir.is_dir():
        raise SeedError(f"corpus folder {seeds_dir} does not exist; pass --seeds DIR")
    docs: list[SourceDoc] = []
    skipped: list[tuple[str, str]] = []
    files: list[tuple[str, bytes]] = []
    for path in sorted(seeds_dir.iterdir()):
        if not path.is_file() or path.suffix.lower() not in CORPUS_SUFFIXES:
            continue
        data = path.read_bytes()
        files.append((path.name, data))
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as error:
            reason = f"not valid UTF-8 (byte {error.start}); re-save it as UTF-8"
            log.warning("skipping %s: %s", path.name, reason)
            skipped.append((path.name, reason))
            continue
        docs.append(SourceDoc(name=path.name, raw=raw))
    return CorpusRead(tuple(docs), tuple(skipped), tuple(files))


def _raw_lines(raw: str) -> Iterator[tuple[str, int]]:
    offset = 0
    for line in raw.splitlines(keepends=True):
        yield line.rstrip("\r\n"), offset
        offset += len(line)


def split_articles(doc: SourceDoc) -> list[Article]:
    """Cut one page into articles with clean text, metadata and exact raw offsets."""
    lines = [_clean_line(text, offset) for text, offset in _raw_lines(doc.raw)]
    lines = _mark_vertical_text(lines)
    drafts = [d for d in _assemble(_blocks(lines)) if d.blocks]
    if not drafts:
        return []

    clean_page = "".join(d.text() for d in drafts)
    year = page_year(clean_page)
    lead_dates = [[_lead_date(str(b.text)) for b in d.blocks] for d in drafts]
    dated = [parts for dates in lead_dates for parts in dates if parts]
    # the page date is the most common dateline; ties go to the latest (events precede print)
    page_date = (
        max(Counter(dated).items(), key=lambda kv: (kv[1], kv[0][1:], kv[0][0] or 0))[0]
        if dated
        else None
    )
    headlines_follow = sum(len(d.heads_after) for d in drafts) > sum(
        len(d.heads_before) for d in drafts
    )

    articles: list[Article] = []
    for index, draft in enumerate(drafts):
        text = Text()
        for n, block in enumerate(draft.blocks):
            if n:
                # a paragraph break becomes "\n", mapped to the raw character after the block
                text.append("\n", text.pos[-1] + 1)
            text.extend(block.text)
        datelines = [m for b in draft.blocks[:2] if (m := DATELINE.match(str(b.text)))]
        place = next((m.group("place") or m.group("agency_place") for m in datelines), None) or None
        reporter = next((m.group("reporter") for m in datelines if m.group("reporter")), None)
        reporter = reporter or _byline_name(draft)
        articles.append(
            Article(
                id=f"{doc.name}#{index}",
                source=doc.name,
                index=index,
                title=_title(draft, headlines_follow=headlines_follow),
                date=_iso(year, lead_dates[index][0] or page_date),
                place=place,
                reporter=reporter.strip() if reporter else None,
                text=str(text),
                offsets=OffsetMap.from_positions(text.pos),
            )
        )
    return articles


def _byline_name(draft: Draft) -> str | None:
    for block in draft.bylines:
        match = re.match(r"^(?:本报)?(?:记者|通讯员)(?P<name>.+)$", str(block.text))
        if match:
            return match.group("name")
    last = str(draft.blocks[-1].text)
    trailing = TRAILING_BYLINE.search(last)
    if trailing and not CAPTION_END.search(trailing.group(0).rstrip("）)")):
        return re.sub(r"^[（(](?:稿|文|记者|通讯员)?|[）)]$", "", trailing.group(0))
    return None
