"""Analyse a question: answer type, weighted terms, unit hints, time and scope constraints.

The analysis is a plain record so a follow-up turn can inherit it: "每万人拥有多少个？" after
"山西有多少5G基站？" keeps 5G and 基站 as context terms of lower weight.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from qa.answer.candidates import (
    TITLE_RE,
    UNITS,
    CandidateKind,
    extract_candidates,
    starts_with_surname,
)
from qa.answer.lexicon import Lexicon, WordClass
from qa.answer.places import is_place
from qa.answer.text import Span
from qa.answer.timeframe import TimeConstraint, find_time_mentions, parse_time_constraint
from qa.records import AnswerType

__all__ = [
    "QuestionAnalysis",
    "Term",
    "TermRole",
    "UnitClass",
    "analyze_question",
    "candidate_kinds",
    "unit_class",
]


class TermRole(StrEnum):
    """How a question term takes part in matching."""

    KEY = "key"  # Latin letters or digits (5G, GDP, 4A): must appear in the evidence
    CONTENT = "content"  # an ordinary content word: must appear in the evidence
    PLACE = "place"  # a place name: texts often say 我省/我市 instead, so it is optional
    GENERIC = "generic"  # an aspect word the text often leaves implicit (总额, 时间)
    CONTEXT = "context"  # inherited from an earlier turn of the conversation
    NUMBER = "number"  # digits (00后, 12345): telling, but often written another way
    OPTIONAL = "optional"  # an event verb (举行) the text may leave out
    PREDICATE = "predicate"  # another verb (降到, 成立): counts when present, however worded
    # An adjective, adverb, numeral or listing word (虚假, 大概, 一档): it describes the
    # topic rather than naming it, so it counts when present and never blocks alone.
    MODIFIER = "modifier"


class UnitClass(StrEnum):
    """The dimension a quantity question asks about."""

    MONEY = "money"
    PERCENT = "percent"
    LENGTH = "length"
    AREA = "area"
    VOLUME = "volume"
    WEIGHT = "weight"
    PERSONS = "persons"
    DURATION = "duration"
    POWER = "power"  # 装机容量 in 千瓦
    ENERGY = "energy"  # 发电量 in 千瓦时
    COUNT = "count"


@dataclass(frozen=True, slots=True)
class Term:
    """A question word to look for in the evidence."""

    text: str
    weight: float
    role: TermRole

    @property
    def required(self) -> bool:
        """Return True when the evidence must contain this term to be trusted."""
        return self.role in (TermRole.KEY, TermRole.CONTENT)


@dataclass(frozen=True, slots=True)
class QuestionAnalysis:
    """Everything the answerer needs to know about a question."""

    question: str
    answer_type: AnswerType
    wh: str | None  # the question word that fixed the type (多少, 谁, 什么时候)
    terms: tuple[Term, ...]
    unit_hint: str | None  # the classifier after 多少/几: 个, 家, 户
    unit_class: UnitClass | None  # the dimension asked about: money, percent, area
    time: TimeConstraint | None
    per: str | None  # a 每X scope in the question (每万人)
    comparison: bool  # the question asks about a difference (高于, 快于)
    plan: bool  # the question asks about a target or plan (目标, 力争, 计划)
    follow_up: bool  # the question leans on an earlier turn
    metrics: tuple[str, ...] = ()  # terms naming the measured quantity: 满意度, 总投资额, 票价
    change: bool = False  # the question asks how much something changed (增长, 下降)
    plural: bool = False  # 哪些/哪两个: a list may be the answer
    reason: bool = False  # 为什么/为何: a sentence giving a cause is wanted
    edge: str | None = None  # "start" or "end" when the question asks when something began or ends
    # Terms compounded onto the measured quantity (煤炭 in 煤炭进口额, 风电 in
    # 风电及储能项目投资额): they narrow what is measured, so its statement must name them.
    qualifiers: tuple[str, ...] = ()
    # The verb the question word attaches to (降到 in 降到了多少, 退款 in 什么时候退款): the
    # statement must say it, in its own words or the text's (降低至).
    asked_verb: str | None = None
    # Words the question uses that exclude their siblings (决赛, not 预赛; 小项, not 大项):
    # each with the siblings a statement must not be about instead.
    contrasts: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Numbered things the question names (第15地点 -> ("15", "地点")): 第4地点 is another one.
    ordinals: tuple[tuple[str, str], ...] = ()
    # Figures the question itself names (100米 in 男子100米决赛), as (value, unit).
    figures: tuple[tuple[float, str], ...] = ()
    new: bool = False  # the question asks for what was added (新增), not a running total
    category: str = ""  # the kind of answer named after 哪个/什么: 机场 in 哪个机场
    spread: bool = False  # 什么范围, 多少到多少: a range of figures is the answer
    extreme: bool = False  # 最高, 至少: one end of a range may be the answer
    result: bool = False  # 成绩: a time, score or distance, never a count of people
    # The event a date or time question asks about, named right before its question word
    # (正赛 in 正赛哪天开打): the statement that names it dates it.
    subject: str | None = None


# A question word with an optional count and classifier: 哪两个城市, 哪些, 哪家.
_WHICH = r"哪[一二两三四五六七八九十几]?(?:个|些|家|座|所|位|名|条|项|种|类|支)?"
_TYPE_RULES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = (
    (
        AnswerType.RANKING,
        re.compile(r"第几|排名第?几|排第几|排在第几|位列第几|位居(?:全国)?第几|第多少"),
    ),
    (AnswerType.TIME, re.compile(r"几点|几时|什么时刻")),
    (
        AnswerType.DATE,
        re.compile(
            r"什么时候|何时|哪几天|哪些天|哪几日|哪天|哪一天|哪年|哪一年|几月|哪个月|几号|哪日|"
            r"什么时间|什么日期|"
            r"哪个时间|截止(?:时间|日期)|何年"
        ),
    ),
    (
        AnswerType.TIME,
        re.compile(r"(?:开放|营业|开园|开馆|闭馆|开门|关门|运营|检票|售票|办公)时间"),
    ),
    (
        AnswerType.ORGANIZATION,
        re.compile(
            # 哪支厨师团队: a word may qualify the kind of body between 哪 and its noun.
            rf"{_WHICH}[\u4e00-\u9fff]{{0,3}}?"
            r"(?:部门|单位|公司|企业|机构|组织|协会|学校|大学|医院|银行|团队|平台|集团|队伍)"
            r"|哪家|什么(?:机构|单位|部门|公司|企业|组织)|谁(?:主办|承办|发起|组织|牵头)|由谁"
        ),
    ),
    (AnswerType.PERSON, re.compile(r"谁|哪位|哪一位|什么人|哪个人|何人|姓名|叫什么")),
    (
        AnswerType.PLACE,
        re.compile(
            r"哪里|在哪|哪儿|什么地方|何地|何处|"
            rf"{_WHICH}(?:国家|省份|省|市|县|区|镇|城市|地区|地方|景区|场馆|街|市场|机场|港口|车站|"
            rf"[\u4e00-\u9fff]{{0,4}}(?:中心|基地|机场|园区|场馆|体育馆|博物馆))"
            # 地点 asks only where it ends the question (举办地点是？), not in 第15地点.
            r"|(?:地点|位置)(?=[是为在？?]|$)"
        ),
    ),
    (
        AnswerType.QUANTITY,
        re.compile(r"多少|几(?!乎)|多大|多高|多长|多远|多重|多深|多宽|多久|多快|多少钱"),
    ),
    (AnswerType.FREE, re.compile(r"怎样|怎么|如何|为什么|为何|哪些|什么|是否|有没有")),
)
# The noun right after 哪些/什么/哪个 names the kind of answer (单位, 城市, 会议), which the
# text need not repeat.
_CATEGORY = re.compile(rf"(?:{_WHICH}|什么|哪些)(?P<noun>[\u4e00-\u9fff]{{1,4}})")
# "什么X": the head noun X tells the type (什么售价纪录 asks for a figure).
_WHAT_NOUN = re.compile(r"什么(?P<noun>[\u4e00-\u9fff]{1,6})")
_QUANTITY_NOUNS = (
    "价",
    "额",
    "量",
    "数",
    "率",
    "纪录",
    "规模",
    "面积",
    "长度",
    "高度",
    "比例",
    "成绩",
    "比分",
    "增速",
    "增幅",
    "占比",
    "比重",
    "金额",
    "价格",
    "费用",
    "范围",
)
_PLACE_NOUNS = ("地方", "地点", "位置", "城市", "国家", "地区")
_DATE_NOUNS = ("时间", "时候", "日期", "年份", "日子")
_ORG_NOUNS = ("机构", "单位", "部门", "公司", "企业", "组织")

# Question words carry the type, not the topic: they are never matched against the text.
_QUESTION_WORDS = frozenset(
    "多少 几 几个 什么 哪些 哪里 哪个 谁 什么时候 何时 哪天 哪年 哪位 "
    "哪家 多大 多高 多长 多远 多久 如何 怎样 怎么 为什么 多少钱 时候 哪儿 "
    "在哪 哪 何 吗 呢 么".split()
)
# Function words and framing words of a question (是, 目前, 全省, 截至…) name nothing to find.
_FRAME_WORDS = frozenset(
    "多少 几 几个 什么 哪些 哪里 哪个 谁 是 有 的 了 在 吗 呢 么 时间 时候 日期 截止 截至 "
    "名字 名称 地点 地方 一共 总共 共 目前 现在 可以 能 能够 多大 多高 多长 多远 达到 到 至 为 "
    "达 约 大约 具体 分别 主要 如何 怎样 怎么 为什么 全省 我省 全市 我市 全国 我国 本市 本省 "
    "全区 一个 多少钱 什么时候 何时 哪天 哪年 哪位 影响 哪家 售价 纪录 记录 是从 从 起 以来 期间 "
    "多久 及 和 与 或 其 它 他 她 该 这 那 那么 还 又 个 年 月 日 号 时 被 将 已 已经 曾 会 要 "
    "由 对 向 于 把 让 给 人均".split()
)
# Dimension words name what kind of figure is wanted, and the text seldom repeats them
# (临汾78%的常办审批事项… answers 多大比例); approximation words too: the text may say 超,
# 近 or nothing.
_DIMENSION_WORDS = frozenset(
    "比例 比重 占比 百分比 增速 增幅 降幅 速度 幅度 "
    "超过 超 突破 接近 将近 近 约 多于 不少于 以上 左右".split()
)
# Measure and aspect nouns name which figure of the topic is wanted (投资规模, 门票价格), not
# the topic: the text states the figure without them (总投资20亿元).
_MEASURE_NOUNS = frozenset(
    "规模 价格 数额 范围 程度 体量 数据 数值 总值 总额 总量 数量 数目 总数 金额 面积 人数 "
    "比例 比重 占比 水平 情况 长度 高度 宽度 深度 重量 距离 次数".split()
)
_GENERIC = _FRAME_WORDS | _DIMENSION_WORDS | _MEASURE_NOUNS
# Event verbs the text often leaves out (7月28日，在第四届…博览会现场): they count when
# present but are not required.
_OPTIONAL = frozenset(
    "举行 举办 召开 开幕 开展 进行 启动 开始 结束 实现 完成 主办 承办 协办 参加 出席".split()
)
# Where something happened, which the text often leaves out: 网上申报, 开幕式上，….
_SETTING_WORDS = frozenset("网上 线上 线下 网络 现场 会上 会场 场上 赛场".split())
_SETTING_AFTER = re.compile(r"(?:上|中|里|期间|现场)(?=[，,、；;\s])")
_EVENT_ENDINGS = "式会礼赛节展"  # 开幕式上火炬…: an event's setting, whatever follows
_EVENT_SETTING = re.compile(r"(?:上|中|期间|现场)")
# 这一数据, 该项目: a noun pointing back at what the question already said names no topic.
_REFERENCE_BEFORE = ("这一", "这个", "这项", "该", "此", "上述")
# Head nouns of a counted phrase (多少户…单位, 多少件书法作品): the classifier already says
# what is counted and the text may use another head (书法精品力作).
_COUNTED_HEADS = (
    "单位 作品 企业 机构 项目 产品 人员 选手 公司 家庭 城市 学校 场馆 景区 品种 成果 案例 事项 活动"
).split()
# Verbs that only say "has" or "gets" (拿到多少钱): the text states the figure without them.
_LIGHT_VERBS = frozenset("拿到 得到 收到 花 花了 用了 获得 拥有 有 共有 达到".split())
# Sibling words that exclude each other: a statement about one does not answer the other.
CONTRAST_GROUPS: tuple[tuple[str, ...], ...] = (
    ("决赛", "预赛", "半决赛", "复赛", "初赛", "资格赛", "小组赛", "预选赛", "正赛"),
    ("大项", "小项"),
    ("开幕", "闭幕"),
    ("开幕式", "闭幕式"),
    ("男子", "女子"),
    ("男单", "女单", "男双", "女双", "混双"),
    ("单打", "双打"),
    ("出口", "进口"),
    ("文科", "理科"),
    ("本科", "专科"),
    ("城镇", "农村"),
    ("最高", "最低"),
    ("入境", "出境"),
    ("上行", "下行"),
    ("首发", "末班"),
    ("新增", "累计"),
    # 省级企业技术中心553户 is not 国家级企业技术中心39户: an administrative level scopes it.
    ("国家级", "省级", "市级", "县级"),
)
# Question words that texts state as a contrast word: 最便宜的票 is 最低票价.
_CONTRAST_ALIASES = {"最便宜": "最低", "最贵": "最高"}
_ORDINAL_Q = re.compile(r"第(?P<n>\d+|[一二三四五六七八九十]+)(?P<head>[\u4e00-\u9fff]{1,2})")
_NEW_Q = re.compile(r"新增|新建|新开通|新开|新投运")
_EDGE_FUNCTION = "是的了在有吗呢"
_QUESTION_PART = re.compile(r"几(?!乎)|多少|什么|哪|谁|何时|何地|如何|怎")
# Modal, directional and copular verbs that jieba glues onto a neighbour (要花, 钱来, 成指报).
_GLUE_CHARS = "要需会能可应来去报为达花用约共因上"
# A place after these is the other party (对俄罗斯出口, 与日本合作), never 我省/我市.
_COUNTERPART_MARKS = "对与向同往赴"
# Digits followed by a unit are a figure (200米蛙泳), not part of a name (上证50指数).
_UNIT_AFTER = re.compile(r"\s?(?:" + "|".join(re.escape(u) for u in UNITS) + r"|后|年|月|日|号)")
_ASK_WORD = re.compile(r"几(?!乎)|多[少长久大高远深宽重]|什么|哪|谁|何|怎")
_PUNCT = re.compile(r"^[\s\W_]+$")
_PER_RE = re.compile(r"每(?P<x>[\u4e00-\u9fff]{1,4}?)(?=拥有|有|多少|几|平均|的|可|能|需|要|约)")
_PER_UNIT_RE = re.compile(r"每(?P<x>[天日年月周人次户场台辆家])")
_UNIT_HINT_RE = re.compile(
    r"(?:多少|几)(?P<mult>万亿|亿|万|千|百)?(?P<unit>"
    + "|".join(re.escape(u) for u in UNITS if u not in ("年", "月"))
    + ")"
)
# 这轮, 那届, 此次, 这名, 该市: a demonstrative with one more character points back at the text,
# it names nothing; 本/当 only with a classifier (本地, 当地 are words of their own).
_DEMONSTRATIVE = re.compile(r"^(?:[这那该此][\u4e00-\u9fff]|[本当][次轮届场期批项个天年回趟])$")
# A two-character cut that ends in a preposition (展从 of “白日梦”展从马约尔…) is no word.
_TRAILING_PREPOSITION = "从向把被给将"
# Characters that join the parts of a compound qualifier: 风电及储能项目.
_QUALIFIER_JOINERS = "及和与、"
_PLURAL_Q = re.compile(r"哪些|哪[两二三四五六七八九十几]|分别")
_END_Q = re.compile(r"结束|截止|到什么时候|至什么时候|到何时|为止")
# 哪天开打, 何时开幕: the verbs that open an event ask for the first day of its range.
_START_Q = re.compile(r"开始|从什么时候|自什么时候|启动|起始|开打|开赛|开幕|开跑|开演|开播")
# 几点到几点: both ends are asked, so neither alone is the answer.
_BOTH_ENDS_Q = re.compile(
    r"(几点|哪天|几号|几月|什么时候)(?:到|至)(?:几点|哪天|几号|几月|什么时候)"
)
_METRIC_ENDINGS = "率度额量数价费值"
_METRIC_WORDS = re.compile(
    r"营收|收入|产值|营业额|销量|GDP|gdp|利润|税收|市值|票价|售价|里程|面积|人口"
)
_CHANGE_Q = re.compile(r"增长|增加|下降|减少|提高|降低|上升|回落|新增|增速|增幅|涨|跌|降|变化")
# 增加到了多少, 降至多少: the verb with 到/至 asks for the level reached, not the change.
_LEVEL_AFTER = re.compile(r"(?:了)?(?:到|至)")
_COMPARISON_Q = re.compile(r"高于|低于|快于|慢于|多于|少于|超过|相差|差距|较|比(?!例|重)")
_PLAN_Q = re.compile(r"目标|力争|计划|预计|预期|将(?!近)|争取|规划")
# Plan words the text words its own way (全年力争达到 for 目标): the plan flag carries them.
_PLAN_WORDS = frozenset("目标 计划 力争 预计 预期 争取 规划".split())
_SPREAD_Q = re.compile(r"范围|区间|多少到多少|从多少|几到几|上下限")
_EXTREME_Q = re.compile(r"最高|最低|最多|最少|至少|至多|上限|下限|起步|封顶|最大|最小")
# Durations: 多长时间 asks for 3个小时, not a length in 米.
_DURATION_Q = re.compile(r"多长时间|多久|多少时间|历时|用时|耗时|时长|多少天|多少年|几年|几天")
# A name, when the question treats it as one: a title or a speech verb next to it.
_NAME_CONTEXT = re.compile(r"^(?:说|表示|介绍|指出|认为|先生|女士|同志)")
_FOLLOW_UP_LEAD = re.compile(r"^(?:那|那么|其中|它|他|她|该|这|此|还有|另外|另一|同期|同时|而)")

_PERCENT_TAIL = re.compile(
    r"(?:增长|增速|增幅|下降|降幅|提高|提升|降低|减少|增加|上涨|下跌|回落|增|降)了?$"
    r"|(?:占比|比重|比例|百分比|率|满意度|知名度|完成度|参与度|贡献度|集中度"
    r"|[\u4e00-\u9fff](?<![相对同环])比)(?:是|为|达到|达|有|约)?$"
    r"|占(?!地)[\u4e00-\u9fff]{0,6}$"
)
_ASPECTS: tuple[tuple[UnitClass, re.Pattern[str]], ...] = (
    (UnitClass.PERCENT, re.compile(r"率|占比|比重|比例|增速|增幅|涨幅|降幅|跌幅")),
    (
        UnitClass.MONEY,
        re.compile(
            r"金额|总额|投资额|投资|营收|收入|资金|交易额|销售额|产值|票价|售价|价格|费用|成本|"
            r"利润|税收|进出口|出口额|进口额|贸易额|融资|补贴|奖金|营业额|GDP|钱|造价|市值|"
            r"消费额|贷款|存款|预算|工资"
        ),
    ),
    (UnitClass.AREA, re.compile(r"面积|占地")),
    (
        UnitClass.LENGTH,
        # 雨量 is measured in 毫米 of water.
        re.compile(r"长度|距离|高度|深度|宽度|多高|多长|多远|多深|多宽|里程|雨量|降水量|积水"),
    ),
    (UnitClass.PERSONS, re.compile(r"人数|就业|人口|游客|观众|参与者|多少人|几人")),
    (UnitClass.DURATION, re.compile(r"多久|多长时间|几年|几天|工期|时长")),
    # 装机容量 is power, not a volume: listed first, it wins the tie over 容量.
    (UnitClass.POWER, re.compile(r"装机容量|装机规模|装机|功率")),
    (UnitClass.ENERGY, re.compile(r"发电量|用电量|电量|耗电")),
    (UnitClass.VOLUME, re.compile(r"水量|容量|体积")),
    (UnitClass.WEIGHT, re.compile(r"产量|重量|体重|吨")),
)

ASPECT_REACH = 14  # characters before the question word an aspect word may sit

_UNIT_CLASSES: tuple[tuple[UnitClass, tuple[str, ...]], ...] = (
    (UnitClass.PERCENT, ("%", "％", "个百分点", "百分点", "倍")),
    (UnitClass.AREA, ("平方公里", "平方千米", "平方米", "公顷", "亩")),
    (UnitClass.VOLUME, ("立方米", "立方", "升", "毫升")),
    (UnitClass.POWER, ("千瓦", "兆瓦", "吉瓦", "瓦", "kw", "mw", "gw")),
    (UnitClass.ENERGY, ("千瓦时", "kwh")),  # not 度: 多少度 is as often a temperature
    (UnitClass.LENGTH, ("公里", "千米", "米", "厘米", "毫米", "光年")),
    (UnitClass.WEIGHT, ("吨", "万吨", "千克", "公斤", "克", "斤", "毫克", "微克", "吨标准煤")),
    (UnitClass.PERSONS, ("人", "人次", "名", "位")),
    (UnitClass.DURATION, ("年", "个月", "周", "天", "小时", "分钟", "秒")),
)


def unit_class(unit: str | None) -> UnitClass | None:
    """Return the dimension of a unit string (元/公斤 is money, 个 is a count)."""
    if not unit:
        return None
    head = unit.split("/")[0]
    if head.endswith("元") or head in ("英镑",):
        return UnitClass.MONEY
    for cls, units in _UNIT_CLASSES:
        if head in units:
            return cls
    return UnitClass.COUNT


def candidate_kinds(answer_type: AnswerType) -> frozenset[CandidateKind]:
    """Return the candidate kinds that can answer a question of ``answer_type``."""
    return {
        AnswerType.QUANTITY: frozenset({CandidateKind.QUANTITY}),
        AnswerType.DATE: frozenset({CandidateKind.DATE}),
        AnswerType.TIME: frozenset({CandidateKind.TIME}),
        AnswerType.PERSON: frozenset({CandidateKind.PERSON}),
        AnswerType.PLACE: frozenset({CandidateKind.PLACE}),
        AnswerType.ORGANIZATION: frozenset({CandidateKind.ORGANIZATION}),
        AnswerType.RANKING: frozenset({CandidateKind.RANK}),
        AnswerType.FREE: frozenset({CandidateKind.SENTENCE}),
    }[answer_type]


def _answer_type(question: str) -> tuple[AnswerType | None, str | None, int]:
    """Return the type, the question word and where it sits (-1 when none)."""
    for answer_type, pattern in _TYPE_RULES:
        match = pattern.search(question)
        if match is None:
            continue
        if answer_type is AnswerType.FREE:
            noun_match = _WHAT_NOUN.search(question)
            if noun_match is not None:
                noun = noun_match.group("noun")
                for nouns, typed in (
                    (_QUANTITY_NOUNS, AnswerType.QUANTITY),
                    (_DATE_NOUNS, AnswerType.DATE),
                    (_PLACE_NOUNS, AnswerType.PLACE),
                    (_ORG_NOUNS, AnswerType.ORGANIZATION),
                ):
                    if any(n in noun for n in nouns):
                        return typed, "什么", noun_match.start()
        return answer_type, match.group(0), match.start()
    return None, None, -1


def _unit_class_of_question(question: str, wh_at: int, wh: str | None) -> UnitClass | None:
    if wh_at < 0:
        before, after = question, ""
    else:
        before = question[:wh_at]
        after = question[wh_at + len(wh or "") :]
    if _PERCENT_TAIL.search(before):
        return UnitClass.PERCENT
    hint = _UNIT_HINT_RE.search(question)
    if hint is None and _DURATION_Q.search(question):
        return UnitClass.DURATION
    if hint is not None:
        return unit_class(hint.group("unit"))
    best: tuple[int, UnitClass] | None = None
    for cls, pattern in _ASPECTS:
        for match in pattern.finditer(before):
            distance = len(before) - match.end()
            if distance <= ASPECT_REACH and (best is None or distance < best[0]):
                best = (distance, cls)
        following = pattern.search(after[:8])
        if following is not None and (best is None or following.start() < best[0]):
            best = (following.start(), cls)
    if best is None and wh is not None:
        for cls, pattern in _ASPECTS:
            if pattern.fullmatch(wh):
                return cls
    return best[1] if best else None


def _role(
    token: str, place_names: frozenset[str], lexicon: Lexicon | None = None
) -> TermRole | None:
    if not token or _PUNCT.match(token) or token in _QUESTION_WORDS:
        return None
    if _QUESTION_PART.search(token):
        return None  # 第几, 几点, 多少钱: a question word glued to a classifier
    if token in _OPTIONAL:
        return TermRole.OPTIONAL
    if token in _GENERIC:
        return TermRole.GENERIC if len(token) > 1 else None
    if re.search(r"[A-Za-z]", token):
        return TermRole.KEY
    if token.isdigit():
        return TermRole.NUMBER
    if re.fullmatch(r"[一二两三四五六七八九十几\d]+[个家名位项条座所批种类天次年周]", token):
        return TermRole.GENERIC  # 两个城市, 一天: a count in the question, not a topic
    if _DEMONSTRATIVE.match(token):
        return None
    if is_place(token, place_names):
        return TermRole.PLACE
    if len(token) == 1:
        return None
    word_class = lexicon.word_class(token) if lexicon is not None else None
    if word_class is WordClass.FUNCTION:
        return None
    if word_class is WordClass.TIME:
        return TermRole.GENERIC  # 中午, 当天, 以后: the question's frame, not its topic
    if word_class is WordClass.VERB:
        return TermRole.PREDICATE
    if word_class is WordClass.MODIFIER:
        return TermRole.MODIFIER
    # Nouns, names and words the dictionary does not know name the thing asked about.
    return TermRole.CONTENT


CONTEXT_FACTOR = 0.4  # an earlier turn's terms count this much against the current turn's

_BASE_WEIGHT = {
    TermRole.KEY: 2.0,
    TermRole.CONTENT: 1.0,
    TermRole.PLACE: 0.5,
    TermRole.GENERIC: 0.25,
    TermRole.CONTEXT: 0.5,
    TermRole.NUMBER: 0.8,
    TermRole.OPTIONAL: 0.8,
    TermRole.PREDICATE: 0.8,
    TermRole.MODIFIER: 0.5,
}


def _covered(
    token: str,
    tokens: list[str],
    text: str,
    place_names: frozenset[str],
    lexicon: Lexicon | None = None,
) -> bool:
    """Return True when every occurrence of ``token`` in ``text`` lies in a longer token."""
    longer = [
        o
        for o in tokens
        if o != token and token in o and _role(o, place_names, lexicon) is not None
    ]
    if not longer:
        return False
    folded = unicodedata.normalize("NFKC", text).lower()
    covered: set[int] = set()
    for other in longer:
        start = folded.find(other)
        while start >= 0:
            covered.update(range(start, start + len(other)))
            start = folded.find(other, start + 1)
    start = folded.find(token)
    while start >= 0:
        if not set(range(start, start + len(token))) <= covered:
            return False
        start = folded.find(token, start + 1)
    return True


def _terms(
    text: str,
    *,
    tokenize: Callable[[str], list[str]],
    place_names: frozenset[str],
    lexicon: Lexicon | None = None,
) -> list[Term]:
    terms: list[Term] = []
    seen: set[str] = set()
    tokens = [
        unicodedata.normalize("NFKC", t).lower().strip().strip("“”\"'‘’《》「」")
        for t in tokenize(text)
    ]
    folded = unicodedata.normalize("NFKC", text).lower()
    for token in tokens:
        if len(token) == 2 and (
            token[0] in _EDGE_FUNCTION
            or token[-1] in _EDGE_FUNCTION
            or token[-1] in _TRAILING_PREPOSITION
        ):
            continue  # 官是 from 策略官是谁, 展从: a cut across words, not a word
        if not token or token in seen:
            continue
        if _covered(token, tokens, text, place_names, lexicon):
            continue  # a search-mode sub-word (国家 of 国家级): the longer word stands for it
        role = _role(token, place_names, lexicon)
        if role is None:
            continue
        seen.add(token)
        if role is TermRole.PLACE and _is_counterpart(folded, token):
            role = TermRole.CONTENT  # 对俄罗斯的进出口额: the partner is the topic, not the locale
        weight = _BASE_WEIGHT[role]
        if role is TermRole.CONTENT and len(token) >= 3:
            weight = 1.2
        terms.append(Term(token, weight, role))
    return _glue_numbers(folded, terms)


def _is_counterpart(question: str, place: str) -> bool:
    """Return True when every mention of ``place`` follows 对/与/向…: a partner, not the locale."""
    at = _positions(question, place)
    return bool(at) and all(i > 0 and question[i - 1] in _COUNTERPART_MARKS for i in at)


def _glue_numbers(question: str, terms: list[Term]) -> list[Term]:
    """Join a word and the digits written onto it (上证50, 沪深300) into one KEY term.

    The digits alone match 科创50 too; an index or model named with digits is the whole name.
    """
    out: list[Term] = []
    for term in terms:
        previous = out[-1] if out else None
        if (
            term.role is TermRole.NUMBER
            and previous is not None
            and previous.role is TermRole.CONTENT
        ):
            joined = previous.text + term.text
            after = question.find(joined) + len(joined)
            if joined in question and not _UNIT_AFTER.match(question, after):
                out[-1] = Term(joined, _BASE_WEIGHT[TermRole.KEY], TermRole.KEY)
                continue
        out.append(term)
    return out


def _contrasts(question: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return each contrast word of the question with the siblings it excludes."""
    found: list[tuple[str, tuple[str, ...]]] = []
    for word, level in _CONTRAST_ALIASES.items():
        question = question.replace(word, level)
    for group in CONTRAST_GROUPS:
        for word in group:
            # 决赛 inside 半决赛 is not 决赛.
            at = [
                i
                for i in range(len(question))
                if question.startswith(word, i)
                and not any(
                    o != word and word in o and question.find(o, max(0, i - len(o))) >= 0
                    for o in group
                )
            ]
            if at:
                siblings = tuple(o for o in group if o != word and o not in question)
                found.append((word, siblings))
    return tuple(found)


def _figures(question: str) -> tuple[tuple[float, str], ...]:
    """Return the figures with units that the question itself names: 100米 in 100米决赛."""
    spans = extract_candidates(
        question, Span(0, len(question)), kinds=frozenset({CandidateKind.QUANTITY})
    )
    return tuple(
        (c.quantity.value, c.quantity.unit)
        for c in spans
        if c.quantity is not None and c.quantity.unit
    )


def _demote(question: str, terms: list[Term], hint: re.Match[str] | None) -> list[Term]:
    """Soften terms the text may leave out: settings, back references and counted heads.

    开幕式上，… and 网上申报 set the scene (OPTIONAL); 这一数据 points back (GENERIC); in
    多少件书法作品 the head 作品 may be worded otherwise (书法精品力作), so a compound with
    it counts when present (OPTIONAL) and a bare head is generic.
    """
    folded = question.lower()
    counted = ""
    if hint is not None:
        counted = re.split(r"[？?。，,]", folded[hint.end() :], maxsplit=1)[0]
    out: list[Term] = []
    for term in terms:
        at = [i for i in range(len(folded)) if folded.startswith(term.text, i)]
        role: TermRole | None = None
        if term.role in (TermRole.CONTENT, TermRole.PREDICATE):
            if term.text in _SETTING_WORDS or any(
                _SETTING_AFTER.match(folded, i + len(term.text))
                or (
                    term.text[-1] in _EVENT_ENDINGS
                    and _EVENT_SETTING.match(folded, i + len(term.text))
                )
                for i in at
            ):
                role = TermRole.OPTIONAL
            elif at and all(folded[:i].endswith(_REFERENCE_BEFORE) for i in at):
                role = TermRole.GENERIC
            elif counted and term.text in counted and term.role is TermRole.CONTENT:
                if term.text in _COUNTED_HEADS:
                    role = TermRole.GENERIC
                elif any(
                    term.text.endswith(h) and len(term.text) - len(h) >= 2 for h in _COUNTED_HEADS
                ):
                    role = TermRole.OPTIONAL
        out.append(term if role is None else Term(term.text, _BASE_WEIGHT[role], role))
        head = next((h for h in _COUNTED_HEADS if term.text.endswith(h)), None)
        modifier = term.text[: -len(head)] if head else ""
        if role is TermRole.OPTIONAL and modifier and all(t.text != modifier for t in terms):
            out.append(Term(modifier, _BASE_WEIGHT[TermRole.CONTENT], TermRole.CONTENT))
    return out


def _subject(
    question: str, terms: list[Term], answer_type: AnswerType | None, wh_at: int
) -> str | None:
    """Return the term right before a date or time question word (正赛 in 正赛哪天开打)."""
    if answer_type not in (AnswerType.DATE, AnswerType.TIME) or wh_at <= 0:
        return None
    before = unicodedata.normalize("NFKC", question[:wh_at]).lower().rstrip("的是在于将 ")
    for term in terms:
        if term.role in (TermRole.CONTENT, TermRole.KEY) and before.endswith(term.text):
            return term.text
    return None


def _asks_change(question: str) -> bool:
    """Return True when the question asks how much something changed, not the level reached."""
    return any(not _LEVEL_AFTER.match(question, m.end()) for m in _CHANGE_Q.finditer(question))


def _soften_names(question: str, terms: list[Term], lexicon: Lexicon | None) -> list[Term]:
    """Let dictionary "names" that read as words (延后, 掌勺) count without blocking.

    jieba tags tens of thousands of rare words as personal names. One is taken as a name,
    and so required, only when it starts with a surname or the question treats it as one
    (a title before it, 说/表示 after it); otherwise it counts when present, like a verb.
    Plan words (目标, 力争) are softened too: the plan flag asks for a target instead.
    """
    if lexicon is None:
        return terms
    folded = question.lower()
    asks = [(m.start(), m.end()) for m in _ASK_WORD.finditer(folded)]
    out: list[Term] = []
    for term in terms:
        soft = term.role is TermRole.CONTENT and term.text in _PLAN_WORDS
        if (
            term.role is TermRole.CONTENT
            and not lexicon.knows(term.text)
            and (term.text[0] in _GLUE_CHARS or term.text[-1] in _GLUE_CHARS)
        ):
            # 多少钱来支持 gives 钱来, 在研发上花了 gives 上花, 因到了 gives 因到: a cut the
            # dictionary does not know, glued to a light word, is no topic word.
            soft = True
        if term.role is TermRole.CONTENT and lexicon.word_class(term.text) is WordClass.NAME:
            # 清徐老陈醋: a word compounded onto a noun names what it is (a place, a brand).
            nouns = [t.text for t in terms if t.role in (TermRole.CONTENT, TermRole.KEY)]
            named = starts_with_surname(term.text) or any(
                _NAME_CONTEXT.match(folded, i + len(term.text))
                or TITLE_RE.search(folded[max(0, i - 4) : i])
                or any(folded.startswith(n, i + len(term.text)) for n in nouns)
                for i in _positions(folded, term.text)
            )
            # 比亚迪, 沃格勒: a longer word is a brand or a foreign name more often than not.
            # 由哪支团队掌勺: after the question word, at the end, it is the predicate.
            body = folded.rstrip("？?。！! ")
            last = body.endswith(term.text) and any(
                end <= len(body) - len(term.text) for _, end in asks
            )
            soft = (not named or last) and len(term.text) == 2
        out.append(term if not soft else Term(term.text, term.weight, TermRole.PREDICATE))
    return out


def _category_noun(question: str, tokenize: Callable[[str], list[str]]) -> str:
    """Return the first word after 哪些/什么/哪个: the kind of answer (单位 in 哪些单位主办)."""
    match = _CATEGORY.search(question)
    if match is None:
        return ""
    noun = match.group("noun")
    words = [w for w in tokenize(noun) if noun.startswith(w)]
    return max(words, key=len) if words else noun[:2]


def _metrics(terms: list[Term]) -> tuple[str, ...]:
    """Return the required terms that name a measured quantity (满意度, 交易额, 营收)."""
    return tuple(
        t.text
        for t in terms
        if t.required
        and len(t.text) >= 2
        and (t.text[-1] in _METRIC_ENDINGS or _METRIC_WORDS.fullmatch(t.text))
    )


def _measured(question: str, terms: list[Term]) -> tuple[str, ...]:
    """Return the nouns a measure word is about: 基金 in 低空经济基金规模有多大.

    The measure word itself is generic, so the noun it measures takes its place as the
    focus that must be named around the figure.
    """
    folded = question.lower()
    named = [t for t in terms if t.role in (TermRole.CONTENT, TermRole.KEY)]
    found: list[str] = []
    for measure in _MEASURE_NOUNS:
        for at in _positions(folded, measure):
            end = at - 1 if folded[:at].endswith("的") else at
            before = [t for t in named if folded.endswith(t.text, 0, end)]
            if before:
                found.append(max(before, key=lambda t: len(t.text)).text)
    return tuple(dict.fromkeys(found))


def _positions(text: str, word: str) -> list[int]:
    """Return every start of ``word`` in ``text``."""
    return [i for i in range(len(text)) if text.startswith(word, i)]


def _qualifiers(question: str, terms: list[Term], metrics: tuple[str, ...]) -> tuple[str, ...]:
    """Return the content terms compounded right onto a metric: 煤炭 in 山西煤炭进口额.

    Walking left from the metric, a term that ends where the walk stands joins the
    compound, through joiners (风电及储能项目投资额) and place names (山西); 的, a verb or any
    other word ends it, since what stands before it only sets the scene (签约的…项目).
    """
    folded = question.lower()
    content = [t for t in terms if t.role in (TermRole.CONTENT, TermRole.KEY, TermRole.PLACE)]
    verbs = [t.text for t in terms if t.role in (TermRole.OPTIONAL, TermRole.PREDICATE)]
    found: list[str] = []
    for metric in metrics:
        at = folded.find(metric)
        while at > 0:
            if folded[at - 1] in _QUALIFIER_JOINERS or folded[at - 1] == " ":
                at -= 1  # a joiner, or a time word taken out (清徐…专业镇去年实现营收)
                continue
            verb = next((v for v in verbs if folded.endswith(v, 0, at)), None)
            if verb is not None and at == folded.find(metric):
                at -= len(verb)  # 实现营收: the verb of the metric, not a scene
                continue
            before = [t for t in content if folded.endswith(t.text, 0, at)]
            if not before:
                break
            term = max(before, key=lambda t: len(t.text))
            # 平谷区, 太原市: an administrative name is a place, whatever the gazetteer knows.
            admin = len(term.text) >= 3 and term.text[-1] in "省市县区州旗盟"
            if term.role is not TermRole.PLACE and not admin and term.text not in metrics:
                found.append(term.text)
            at -= len(term.text)
    return tuple(dict.fromkeys(found))


def _is_follow_up(question: str, terms: list[Term], wh: str | None) -> bool:
    if _FOLLOW_UP_LEAD.search(question) or question.rstrip("？?。 ").endswith("呢"):
        return True
    strong = [t for t in terms if t.role in (TermRole.KEY, TermRole.CONTENT)]
    return len(strong) <= 2 and not any(t.role is TermRole.KEY for t in terms) and wh is not None


_VERB_GLUE = "了于是在到得为"  # characters between the asked verb and the question word


def _asked_verb(
    question: str, terms: list[Term], wh: str | None, answer_type: AnswerType
) -> str | None:
    """Return the predicate right before the question word: 退款 in 门票什么时候退款."""
    if not wh:
        return None
    at = question.find(wh)
    after = at + len(wh)
    folded = question.lower()
    for term in terms:
        if (
            term.role is not TermRole.PREDICATE
            or term.text in _LIGHT_VERBS
            or term.text in _PLAN_WORDS
        ):
            continue
        for position in [i for i in range(len(folded)) if folded.startswith(term.text, i)]:
            end = position + len(term.text)
            between = folded[end:at] if end <= at else ""
            if end <= at and all(ch in _VERB_GLUE for ch in between):
                return term.text
            if (
                position >= after
                and not folded[after:position].strip("？?里儿")
                and answer_type in (AnswerType.DATE, AnswerType.TIME, AnswerType.PLACE)
            ):
                return term.text  # 什么时候退款, 在哪里上演
    return None


def analyze_question(
    question: str,
    *,
    tokenize: Callable[[str], list[str]],
    place_names: frozenset[str] = frozenset(),
    lexicon: Lexicon | None = None,
    previous: QuestionAnalysis | None = None,
) -> QuestionAnalysis:
    """Return the analysis of ``question``, inheriting from ``previous`` for a follow-up."""
    q = question.strip()
    answer_type, wh, wh_at = _answer_type(q)
    time = parse_time_constraint(q)
    # Time words are matched as constraints, not as terms.
    stripped = q
    for mention in find_time_mentions(q, article_date=None):
        stripped = stripped.replace(mention.text, " ")
    if time is not None and time.period:
        stripped = stripped.replace(time.period, " ")
    if wh is not None and answer_type is not AnswerType.FREE:
        stripped = stripped.replace(wh, " ")  # 哪一天 must not leave 一天 behind as a term
    per_match = _PER_RE.search(q)
    if per_match is None:
        per_match = _PER_UNIT_RE.search(q)  # 每天开放多长时间: a one-character unit scopes it
    per = per_match.group("x") if per_match else None
    hint_match = _UNIT_HINT_RE.search(q)
    unit_hint = hint_match.group("unit") if hint_match else None
    hinted = (hint_match.group("mult") or "") + hint_match.group("unit") if hint_match else ""
    category_noun = _category_noun(q, tokenize)
    terms = [
        t
        if t.text not in category_noun
        else Term(t.text, _BASE_WEIGHT[TermRole.GENERIC], TermRole.GENERIC)
        for t in _terms(stripped, tokenize=tokenize, place_names=place_names, lexicon=lexicon)
        # 多少人次, 多少亿元: the unit is matched as a unit, not as a word
        if t.text != unit_hint and t.text != hinted
    ]
    terms = _demote(q, terms, hint_match)
    terms = _soften_names(q, terms, lexicon)
    follow_up = previous is not None and _is_follow_up(q, terms, wh)
    if answer_type is None:
        answer_type = (
            previous.answer_type if previous is not None and follow_up else AnswerType.FREE
        )
    cls: UnitClass | None = None
    if answer_type is AnswerType.QUANTITY:
        cls = _unit_class_of_question(q, wh_at, wh)
    metrics = _metrics(terms) if answer_type is AnswerType.QUANTITY else ()
    # The noun a measure word is about must be named around the figure too, but what
    # narrows it (复流工程治理河道长度) only sets the scene: no qualifiers from it.
    measured = _measured(stripped, terms) if answer_type is AnswerType.QUANTITY else ()
    analysis = QuestionAnalysis(
        contrasts=_contrasts(q),
        ordinals=tuple(
            (m.group("n"), m.group("head"))
            for m in _ORDINAL_Q.finditer(q)
            if m.group("head")[0] not in "几多"
        ),
        figures=_figures(q),
        new=bool(_NEW_Q.search(q)),
        spread=bool(_SPREAD_Q.search(q)),
        extreme=bool(_EXTREME_Q.search(q)),
        result="成绩" in q,
        category=category_noun,
        metrics=tuple(dict.fromkeys(metrics + measured)),
        subject=_subject(q, terms, answer_type, wh_at),
        qualifiers=_qualifiers(stripped, terms, metrics),
        asked_verb=_asked_verb(q, terms, wh, answer_type),
        change=_asks_change(q),
        plural=bool(_PLURAL_Q.search(q)),
        reason=bool(re.search(r"为什么|为何|什么原因|原因是", q)),
        edge=None
        if _BOTH_ENDS_Q.search(q)
        else "end"
        if _END_Q.search(q)
        else "start"
        if _START_Q.search(q)
        else None,
        question=q,
        answer_type=answer_type,
        wh=wh,
        terms=tuple(terms),
        unit_hint=unit_hint,
        unit_class=cls,
        time=time,
        per=per,
        comparison=bool(_COMPARISON_Q.search(q)),
        plan=bool(_PLAN_Q.search(q)),
        follow_up=follow_up,
    )
    if previous is None or not follow_up:
        return analysis
    own = {t.text for t in terms}
    inherited = tuple(
        Term(t.text, round(t.weight * CONTEXT_FACTOR, 3), TermRole.CONTEXT)
        for t in previous.terms
        if t.text not in own and not any(t.text in o or o in t.text for o in own)
    )
    own_unit = analysis.unit_hint is not None or analysis.unit_class is not None
    same_type = analysis.answer_type is previous.answer_type
    return replace(
        analysis,
        terms=analysis.terms + inherited,
        time=analysis.time or previous.time,
        unit_hint=analysis.unit_hint if own_unit or not same_type else previous.unit_hint,
        unit_class=analysis.unit_class if own_unit or not same_type else previous.unit_class,
    )
