"""Find answer candidates in a sentence: quantities, dates, times, ranks, persons, places, orgs.

Every candidate is an exact span of the chunk's clean text; nothing is rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from qa.answer.text import Span
from qa.numbers import Quantity, parse_chinese_number, parse_quantity

__all__ = [
    "TITLE_RE",
    "UNITS",
    "Candidate",
    "CandidateKind",
    "day_of",
    "extract_candidates",
    "organization_spans",
    "starts_with_surname",
]


class CandidateKind(StrEnum):
    """What a candidate span is."""

    QUANTITY = "quantity"
    RANK = "rank"
    DATE = "date"
    TIME = "time"
    PERSON = "person"
    PLACE = "place"
    ORGANIZATION = "organization"
    SENTENCE = "sentence"
    SPAN = "span"  # a reader's span that is none of the typed kinds


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span of a chunk's clean text that could answer a question."""

    kind: CandidateKind
    start: int  # chunk-clean offsets
    end: int
    text: str
    quantity: Quantity | None = None
    is_range: bool = False
    qualifier: str | None = None  # a 每X phrase before the number that scopes it (每万人)
    cue: str | None = None  # the word that introduced it: a title, 在/由, a verb
    part: str | None = None  # "start" or "end" for one side of a date range


_S = r"\s?"
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_CNUM_CHARS = "零〇一二两三四五六七八九十百千万亿"
_MULT = r"(?:万亿|千万|百万|亿|万|千|百)"
_APPROX = r"(?:将近|接近|大约|多达|高达|超过|突破|不足|不到|近|约|超|逾)"
# Units and classifiers; longest alternatives first so 平方公里 beats 公里 and 人次 beats 人.
UNITS: tuple[str, ...] = tuple(
    sorted(
        set(
            "元 美元 欧元 港元 日元 英镑 韩元 卢布 泰铢 卢比 澳元 加元 港币 美金 比索 "
            "列 标箱 趟 班次 级 "
            "% ％ 个百分点 百分点 倍 个 家 户 件 "
            "条 人次 人 名 位 项 次 场 届 支 批 种 类 只 头 辆 台 套 座 所 "
            "栋 间 张 本 部 架 艘 棵 株 枚 份 篇 首 处 例 宗 笔 期 轮 门 "
            "层 幅 对 组 队 片 颗 盏 标准机架 机架 架次 车次 户次 年 个月 周 "
            "天 小时 分钟 秒 岁 平方公里 平方千米 平方米 立方米 公里 千米 米 厘米 "
            "毫米 公顷 亩 吨 万吨 千克 公斤 克 斤 升 毫升 千瓦时 千瓦 兆瓦 瓦 "
            "度 摄氏度 ℃ 吨标准煤 标准煤 立方 光年 毫克 微克 帧 字 分 票 单 粒 "
            "册 盒 箱 袋 桶".split()
        ),
        key=len,
        reverse=True,
    )
)
_UNIT = "(?:" + "|".join(re.escape(u) for u in UNITS) + ")"
_LATIN_UNIT = r"(?:[A-Za-z]{2,}(?:/[A-Za-z]+)?)"
_DURATION_UNITS = ("年", "天", "月", "个月", "周", "小时")
# The denominator of a rate: 28元/股, 60万吨/年, 888元/公斤.
_PER_UNIT = (
    r"(?:公斤|千克|平方米|平方公里|小时|吨|股|年|月|天|日|人|次|件|斤|克|度|份|张|台|辆|秒|"
    r"[A-Za-z]+)"
)
_QUANTITY_RE = re.compile(
    rf"(?P<per>每[\u4e00-\u9fff]{{1,3}}?)?(?P<prefix>{_APPROX})?"
    rf"(?P<num>{_NUM}){_S}(?P<fuzz>余|多)?{_S}(?P<mult>{_MULT})?{_S}(?P<fuzz2>余|多)?{_S}"
    rf"(?P<unit>{_UNIT}|{_LATIN_UNIT})?(?P<ratio>/{_PER_UNIT})?(?P<suffix>以上|左右|多)?"
)
_CN_QUANTITY_RE = re.compile(
    rf"(?P<prefix>{_APPROX})?(?P<num>[{_CNUM_CHARS}]+)(?P<fuzz>余|多)?(?P<unit>{_UNIT})"
)
# 85吨到340吨, 3至5年, 10%—15%: two figures of one unit (the first may leave it out).
_RANGE_RE = re.compile(
    rf"(?P<a>{_NUM}){_S}(?P<ua>{_MULT}?{_S}(?:{_UNIT})|{_MULT})?{_S}(?:到|至|—|－|-|~|～){_S}"
    rf"(?P<b>{_NUM}){_S}(?P<ub>{_MULT}?{_S}(?:{_UNIT}))"
)
_PERCENT_WORD_RE = re.compile(rf"百分之[{_CNUM_CHARS}点]+")
# A time written in parts: 10秒24 (a sprint), 2分30秒, 1小时2分3秒.
_COMPOUND_DURATION_RE = re.compile(
    r"(?<![\d.])(?:\d+小时(?:\d+分(?:钟)?)?(?:\d+秒)?|\d+分\d+秒(?:\d{1,2})?|\d+秒\d{1,2})(?![\d.])"
)
_DATE_CORE = (
    rf"(?:\d{{4}}{_S}年{_S})?\d{{1,2}}{_S}月{_S}(?:\d{{1,2}}{_S}[日号]|底|末|初|上旬|中旬|下旬)?"
    rf"(?:{_S}\d{{1,2}}{_S}[时点](?:{_S}\d{{1,2}}{_S}分)?)?"
    rf"|\d{{4}}{_S}年(?:{_S}\d{{1,2}}{_S}月)?(?:底|末|初)?"
)
_DATE_RE = re.compile(
    rf"(?P<date>(?:{_DATE_CORE})(?:{_S}(?:至|到|—|－|-|~|～){_S}(?:{_DATE_CORE}|\d{{1,2}}{_S}[日号]))?)"
    r"(?P<before>前)?"
)
_RANGE_SEP = re.compile(r"至|到|—|－|-|~|～")
# A figure written in parts has digits on both sides of a unit: 10秒24, 2分30秒.
_SPLIT_FIGURE = re.compile(r"\d\D+\d")
_CLOCK = r"\d{1,2}[:：]\d{2}"
_CLOCK_RE = re.compile(
    rf"{_CLOCK}(?:{_S}(?:—|－|-|~|～|至|到){_S}{_CLOCK})?"
    rf"|\d{{1,2}}{_S}时{_S}(?:\d{{1,2}}{_S}分)?"
)
_RANK_RE = re.compile(
    rf"第{_S}(?:\d+|[{_CNUM_CHARS}]+)(?:名|位|个|批|届|场|次|期|轮|站)?(?!季度|季|个?月)|首位|榜首"
)
_TITLES = sorted(
    set(
        "书记 副书记 党组书记 厅长 副厅长 局长 副局长 市长 副市长 省长 副省长 "
        "县长 副县长 区长 副区长 主任 副主任 会长 副会长 董事长 总经理 副总经理 "
        "经理 总裁 主席 副主席 部长 副部长 院长 副院长 校长 副校长 处长 科长 "
        "秘书长 发言人 冠军 亚军 季军 研究员 教授 专家 主持人 队长 教练 主教练 "
        "运动员 选手 馆长 所长 站长 行长 社长 总编辑 主编 理事长 创始人 "
        "首席执行官 总工程师 导演 演员 作家 院士 博士 老师 医生 检察长 庭长 "
        "镇长 乡长 村长 支书 旗手 火炬手 嘉宾 代表 负责人 委员 常委 总监 董事 "
        "监事 秘书 董秘 董事会秘书 首席经济学家 分析师 副总裁 CEO 大使 "
        "官员 人士 学者 经济学家 律师 法官 警官 民警 护士 教师 学生 市民 村民 居民 游客 "
        "网友 工人 农民 司机 店主 老板 合伙人 工程师 设计师 厨师 裁判 专员 处长 科员 主播 "
        "总统 副总统 总理 副总理 首相 国王 外长 议长 州长 市长 总督 教宗 "
        "成员 党组成员 组员 队员 球员 冠军得主 主刀医生 "
        "裁判长 总裁判长 司长 副司长 署长 台长 团长 政委 总指挥 总设计师 总师 关长 "
        "审计长 审判长 船长 机长 舰长 艺术总监 策展人 领队 发明人 作者 编剧".split()
    ),
    key=len,
    reverse=True,
)
# Listed titles, or any short word ending in 官 (首席策略官), but not 官员/官方.
TITLE_RE = re.compile(
    "|".join(re.escape(t) for t in _TITLES) + r"|[\u4e00-\u9fff]{1,4}?官(?![员方网邸兵])"
)
# A transliterated foreign name: 易卜拉欣·莱希.
_FOREIGN_NAME = re.compile(r"[\u4e00-\u9fff]{1,8}(?:[·•・][\u4e00-\u9fff]{1,8})+")
# Common Chinese surnames (single and compound), enough to tell a name from a word.
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎"
    "贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申"
    "欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴"
    "蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席"
    "卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟"
    "邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强"
    "帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍"
    "辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉"
    "冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
_COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
)


def starts_with_surname(word: str) -> bool:
    """Return True when ``word`` starts with a common Chinese surname (王, 欧阳)."""
    return word[:2] in _COMPOUND_SURNAMES or (bool(word) and word[0] in _SURNAMES)


_NAME_FOLLOW = tuple(
    "表示 介绍 说 指出 强调 出席 点燃 主持 致辞 带队 认为 透露 称 告诉 回答 "
    "宣布 讲话 发言 参加 率 陪同 等 在 为 和 与 及 的 摄 报道 获得 荣获 夺得 "
    "担任 一行 同志 先生 女士 会见 调研 考察 提出 希望 作 代表 向 对 就 是 也 "
    "则 还 带领 率队 出任 当选 拿下 获 被 因 曾 已 将 于 并 受 以 通过 接受 "
    "先后 日前 近日 均 都 更 亲自 主动 同时 证实 下令 宣布 签署 会见 访问 致电 "
    "他 她 领衔 夺冠 主刀 主演 执导 坦言 讲述 回忆 告诉 因 由于".split()
)
_DATE_AFTER_NAME = re.compile(r"\d{1,2}\s?日")
# Characters that start words, not names, right after a title (主任会议, 局长表示).
_NOT_SURNAME = set("会表说介指强出主参作的和与及等在为是也了一二三四五六七八九十各全本该副员")
# Characters that seldom end a given name but often follow one (在, 说, 等).
_RARE_NAME_END = set("在的等说称是也则还就对向获率和与及为因")
_BOUNDARY = set("，,。；;：:、！？!?）)（(“”\"'《》 \n")
_PLACE_VERBS = (
    "举办|举行|召开|开幕|启幕|开展|进行|上演|亮相|开业|揭牌|成立|落户|开赛|启动|签约|"
    "发布|开馆|展出|落地|建成|投产|首发|首演|开通"
)
_PLACE_RE = re.compile(
    rf"(?P<cue>在|于|位于|落户|来到|前往|赴)(?P<x>[^，,。；;、：:在于“”]{{2,16}}?)"
    rf"(?:隆重|成功|正式|盛大|顺利|共同|同步|联合)?(?:{_PLACE_VERBS})"
)
# 位于巴彦淖尔市乌拉特中旗境内: a location up to a boundary word or punctuation.
_LOCATED_RE = re.compile(
    r"(?P<cue>位于|地处|坐落于|坐落在)(?P<x>[^，,。；;、：:“”]{2,20}?)"
    r"(?=境内|以东|以西|以南|以北|附近|一带|之间|[，,。；;的])"
)
_REGION_LIST_RE = re.compile(
    r"(?P<x>[^，,。；;：:、（）()]{2,12}(?:、[^，,。；;：:、（）()]{2,12})+)"
    r"(?:等[^，,。；;、]{0,6}?(?:国家|地区|城市|省份|省市|地方|国)"
    r"|[两二三四五六七八九十几]个?(?:市|省|县|区|国|地|城))"
)
_LIST_LEAD = tuple(
    "出口 进口 包括 涉及 覆盖 来自 遍及 销往 远销 还 也 如 到 至 向 和 及 与 并 已 均".split()
)
_ORG_BY_RE = re.compile(
    r"由(?P<x>[^，,。；;：:]{2,60}?)(?:共同|联合|负责)?"
    r"(?:主办|承办|协办|举办|发起|组织|主持|牵头|指导|发布|研发|研制|抓总|投资|建设|运营)"
)
_ORG_SUFFIX_RE = re.compile(
    r"(?:有限责任公司|股份有限公司|有限公司|公司|集团|协会|学会|商会|联合会|委员会|大学|学院|"
    r"研究院|研究所|医院|银行|基金会|联盟|人民政府|政府|海关|办公室|管理局|证券|保险|控股|"
    r"传媒|电视台|报社|出版社|俱乐部|事务所|总工会|工会|合作社|团队|代表队|局|厅)(?!长)"
)
FACILITY_REACH = 16  # characters a facility name may run left of its suffix
_FACILITY_RE = re.compile(
    r"(?:国际机场|机场|火车站|高铁站|北站|南站|东站|西站|客运站|码头|港口|博物馆|美术馆|纪念馆|"
    r"图书馆|科技馆|体育馆|体育场|体育中心|会展中心|展览馆|艺术中心|文化中心|剧院|院场|大剧院|"
    r"音乐厅|医院|大学|学院|中学|小学|公园|广场|景区|酒店|宾馆|大厦|中心)(?![\u4e00-\u9fff]?[长员])"
)
_FACILITY_LEFT_STOP = set("的与和是及为对向经从将把被、，,。；;：:“”（(）)《》 \n") | set("了着过")
_FACILITY_CUES = ("备降", "降落", "抵达", "来到", "前往", "位于", "保存", "收藏", "入住", "举行")
_ORG_LEFT_STOP = set("的与和在由是及为对向经从将把被、，,。；;：:“”（(）) \n") | set("了着过")
_PLACE_LEFT_STOP = _ORG_LEFT_STOP | set("由在于")
_NOT_PLACE_START = ("该", "这", "此", "其", "本", "我", "全")
_TITLE_ENDINGS = tuple(_TITLES)
# Verbs a bare name speaks or wins with: 王延峰介绍, 刘勇表示.
_NAME_VERB_RE = re.compile(r"(?=(?:表示|介绍|指出|强调|认为|透露|夺冠|夺得|摘得|获得|荣获|坦言))")


def _quantity_at(
    text: str, start: int, end: int, *, qualifier: str | None = None
) -> Candidate | None:
    """Return ``text[start:end]`` as a quantity candidate when it parses as one."""
    span = text[start:end]
    quantity = parse_quantity(span)
    if quantity is None:
        return None
    return Candidate(
        CandidateKind.QUANTITY, start, end, span, quantity=quantity, qualifier=qualifier
    )


def _quantity_candidates(text: str, start: int, end: int) -> list[Candidate]:
    found: list[Candidate] = []
    segment = text[start:end]
    for match in _QUANTITY_RE.finditer(segment):
        num_start = start + match.start("num")
        prev = text[num_start - 1] if num_start > 0 else ""
        if (prev.isascii() and (prev.isalnum() or prev == ".")) or prev in "第":
            continue  # part of an identifier (T800, 5G) or a rank (第8)
        after = text[start + match.end() : start + match.end() + 1]
        unit = match.group("unit")
        if unit is None and after.isascii() and after.isalpha():
            continue  # 5G, 12345热线 style identifiers
        if unit is None and not match.group("mult"):
            if after and after not in _BOUNDARY:
                continue  # a bare number glued to a word is a code, not a figure
            if re.fullmatch(r"(?:19|20)\d\d", match.group("num")):
                continue
        span_start = start + (match.start("per") if match.group("per") else match.start())
        if (
            match.group("per")
            and match.group("prefix") is None
            and match.start("per") != match.start()
        ):
            span_start = start + match.start()
        span_end = start + match.end()
        if match.group("per") and not unit:
            span_start = start + (
                match.start("prefix") if match.group("prefix") else match.start("num")
            )
        span = text[span_start:span_end].rstrip()
        span_end = span_start + len(span)
        if unit in _DURATION_UNITS and text[span_end : span_end + 2].startswith(("来", "以来")):
            continue  # 40年来, 近三年来: a time span framing a statement, not a figure
        whole = _quantity_at(text, span_start, span_end)
        if whole is None:
            continue
        found.append(whole)
        per = match.group("per")
        if per and unit and span.startswith(per):
            # 每公斤888元: a question that already says 每公斤 wants 888元 alone.
            bare = _quantity_at(text, span_start + len(per), span_end, qualifier=per[1:])
            if bare is not None:
                found.append(bare)
    for match in _CN_QUANTITY_RE.finditer(segment):
        num = match.group("num")
        if parse_chinese_number(num) is None:
            continue
        abs_start = start + match.start()
        before = text[abs_start - 1] if abs_start > 0 else ""
        if before and (before in "第" + _CNUM_CHARS or before.isdigit()):
            continue
        abs_end = start + match.end()
        after = text[abs_end : abs_end + 2]
        if num == "一" and after[:1] and "\u4e00" <= after[0] <= "\u9fff":
            continue  # 一本线, 一次性, 一号线: a word, not a count of one
        if match.group("unit") in _DURATION_UNITS and after.startswith(("来", "以来")):
            continue
        counted = _quantity_at(text, abs_start, abs_end)
        if counted is not None:
            found.append(counted)
    for match in _COMPOUND_DURATION_RE.finditer(segment):
        if _SPLIT_FIGURE.search(match.group(0)):
            timed = _quantity_at(text, start + match.start(), start + match.end())
            if timed is not None:
                found.append(timed)
    compounds = [(c.start, c.end) for c in found if c.quantity and c.quantity.unit == "秒"]
    compounds = [(a, b) for a, b in compounds if _SPLIT_FIGURE.search(text[a:b])]
    found = [
        c
        for c in found
        if not any(a <= c.start and c.end <= b and (a, b) != (c.start, c.end) for a, b in compounds)
    ]
    for match in _RANGE_RE.finditer(segment):
        range_start = start + match.start()
        prev = text[range_start - 1] if range_start > 0 else ""
        ua, ub = match.group("ua"), match.group("ub")
        if (prev.isascii() and (prev.isalnum() or prev in ".-")) or prev == "第":
            continue
        if ua is not None and ua.replace(" ", "") != ub.replace(" ", ""):
            continue  # 3天至5小时 joins two figures, not a range
        upper = parse_quantity(text[start + match.start("b") : start + match.end()])
        lower = parse_quantity(match.group("a") + (ua or ub))
        if upper is None or lower is None or lower.value >= upper.value:
            continue  # 2-1: a score or a code, not a range
        found.append(
            Candidate(
                CandidateKind.QUANTITY,
                range_start,
                start + match.end(),
                match.group(0),
                quantity=upper,
                is_range=True,
            )
        )
    for match in _PERCENT_WORD_RE.finditer(segment):
        percent = _quantity_at(text, start + match.start(), start + match.end())
        if percent is not None:
            found.append(percent)
    return found


def _date_candidates(text: str, start: int, end: int) -> list[Candidate]:
    found: list[Candidate] = []
    for match in _DATE_RE.finditer(text, start, end):
        if match.start() > 0 and text[match.start() - 1].isdigit():
            continue
        span = match.group("date")  # 12月26日18时前: the deadline is 12月26日18时
        is_range = bool(_RANGE_SEP.search(span))
        found.append(
            Candidate(CandidateKind.DATE, match.start(), match.end("date"), span, is_range=is_range)
        )
        if is_range:
            found += _range_sides(text, match.start(), match.end("date"))
    return found


def _range_sides(text: str, start: int, end: int) -> list[Candidate]:
    """Return each side of a date range that reads as a date on its own (has a month)."""
    sep = _RANGE_SEP.search(text, start, end)
    if sep is None:
        return []
    sides: list[Candidate] = []
    left_end, right_start = sep.span()
    for a, b, part in ((start, left_end, "start"), (right_start, end, "end")):
        piece = text[a:b].strip()
        if "月" in piece and re.search(r"\d", piece):
            sides.append(Candidate(CandidateKind.DATE, a, a + len(piece), piece, part=part))
    return sides


_DAY_THEN_CLOCK = re.compile(rf"^(?P<day>.*?\d{_S}[日号])(?={_S}\d{{1,2}}{_S}[时点])")


def day_of(candidate: Candidate) -> Candidate:
    """Return a single date without its time of day (12月26日18时 -> 12月26日)."""
    if candidate.kind is not CandidateKind.DATE or candidate.is_range:
        return candidate
    match = _DAY_THEN_CLOCK.match(candidate.text)
    if match is None:
        return candidate
    day = match.group("day")
    return replace(candidate, end=candidate.start + len(day), text=day)


def _time_candidates(text: str, start: int, end: int) -> list[Candidate]:
    found: list[Candidate] = []
    for match in _CLOCK_RE.finditer(text, start, end):
        if match.start() > 0 and text[match.start() - 1].isdigit():
            continue
        span = match.group(0)
        is_range = bool(_RANGE_SEP.search(span))
        found.append(
            Candidate(CandidateKind.TIME, match.start(), match.end(), span, is_range=is_range)
        )
        if is_range:
            # 17:00至19:30: 几点结束 asks for one side of the range.
            found += _clock_sides(match.start(), span)
    return found


def _clock_sides(start: int, span: str) -> list[Candidate]:
    """Return the two clock times of a clock range, each marked as its start or end."""
    sides: list[Candidate] = []
    for match, part in zip(re.finditer(_CLOCK, span), ("start", "end"), strict=False):
        sides.append(
            Candidate(
                CandidateKind.TIME,
                start + match.start(),
                start + match.end(),
                match.group(0),
                part=part,
            )
        )
    return sides


def _rank_candidates(text: str, start: int, end: int) -> list[Candidate]:
    return [
        Candidate(CandidateKind.RANK, m.start(), m.end(), m.group(0))
        for m in _RANK_RE.finditer(text, start, end)
    ]


def _name_at(text: str, position: int, end: int, *, after_title: bool = False) -> str | None:
    """Return a personal name starting at ``position`` when one plausibly does.

    A name must start with a known surname, unless a title stands right before it
    (市工商联主席寿子琪): the title is evidence enough for a rarer surname.
    """
    if position >= end:
        return None
    if text[position : position + 2] in _COMPOUND_SURNAMES:
        lengths: tuple[int, ...] = (4, 3)
    elif after_title and text[position] not in _NOT_SURNAME:
        lengths = (3, 2, 4)  # a title vouches for rarer surnames and longer names (敖日格乐)
    elif text[position] in _SURNAMES:
        lengths = (3, 2)
    else:
        return None
    valid: list[str] = []
    for length in lengths:
        stop = position + length
        if stop > end:
            continue
        name = text[position:stop]
        if not all("\u4e00" <= ch <= "\u9fff" for ch in name):
            continue
        rest = text[stop:end]
        if (
            not rest
            or rest[0] in _BOUNDARY
            or rest.startswith(_NAME_FOLLOW)
            or _DATE_AFTER_NAME.match(rest)  # 潘文博21日在北京表示
        ):
            valid.append(name)
    if len(valid) >= 2 and valid[0][-1] in _RARE_NAME_END:
        return valid[1]  # 张明在致辞: 在 starts the verb phrase, it does not end the name
    return valid[0] if valid else None


def _foreign_name_at(text: str, position: int, end: int) -> str | None:
    """Return a transliterated name (易卜拉欣·莱希) at ``position``, up to a verb or a stop."""
    match = _FOREIGN_NAME.match(text, position, end)
    if match is None:
        return None
    last_dot = max(match.group(0).rfind(d) for d in "·•・")
    tail_start = position + last_dot + 1
    for length in range(1, 6):
        stop = tail_start + length
        if stop > end:
            break
        rest = text[stop:end]
        if not rest or rest[0] in _BOUNDARY or rest.startswith(_NAME_FOLLOW):
            return text[position:stop]
    return None


def _person_candidates(text: str, start: int, end: int) -> list[Candidate]:
    found: list[Candidate] = []
    seen: set[int] = set()
    for match in TITLE_RE.finditer(text, start, end):
        position = match.end()
        while position < end and text[position] in " \u3000":
            position += 1
        name = _foreign_name_at(text, position, end) or _name_at(
            text, position, end, after_title=True
        )
        if name is None or position in seen:
            continue
        seen.add(position)
        found.append(
            Candidate(
                CandidateKind.PERSON, position, position + len(name), name, cue=match.group(0)
            )
        )
    # Names that speak without a title: 王延峰介绍, 刘勇表示.
    for match in _NAME_VERB_RE.finditer(text[start:end]):
        verb_at = start + match.start()
        for length in (3, 2):
            position = verb_at - length
            if position < start or position in seen:
                continue
            if (
                position > start
                and text[position - 1] not in _BOUNDARY
                and text[position - 1] != "的"  # 来自江西师范大学的鲁宁夺冠
                and not text[max(start, position - 2) : position].endswith(_TITLE_ENDINGS)
            ):
                continue
            name = _name_at(text, position, end)
            if name is not None and position + len(name) == verb_at:
                seen.add(position)
                found.append(Candidate(CandidateKind.PERSON, position, verb_at, name))
                break
    return found


def _strip_lead(item: str) -> tuple[str, int]:
    """Drop leading verbs and conjunctions from the first item of a list."""
    first = item.split("、", 1)[0]
    joint = max(first.rfind(j) + len(j) if first.rfind(j) >= 0 else 0 for j in ("和", "与", "及"))
    if 0 < joint <= len(first) - 2:
        return item[joint:], joint  # 省体育局和大同、朔州两市: the list starts after 和
    offset = 0
    changed = True
    while changed:
        changed = False
        for lead in _LIST_LEAD:
            if item[offset:].startswith(lead) and len(item) - offset - len(lead) >= 2:
                offset += len(lead)
                changed = True
    return item[offset:], offset


def _facility_candidates(text: str, start: int, end: int) -> list[Candidate]:
    """Return named facilities: 扬州扬泰国际机场, 乌普萨拉大学进化博物馆, 山西省话剧院院场."""
    found: list[Candidate] = []
    for match in _FACILITY_RE.finditer(text, start, end):
        left = match.start()
        limit = max(start, match.start() - FACILITY_REACH)
        while left > limit and text[left - 1] not in _FACILITY_LEFT_STOP:
            if text[left - 2 : left] in _FACILITY_CUES or text[left - 1] in "在于至到":
                break
            left -= 1
        name = text[left : match.end()]
        if len(name) - len(match.group(0)) < 2 or name.startswith(_NOT_PLACE_START):
            continue
        found.append(Candidate(CandidateKind.PLACE, left, match.end(), name, cue="facility"))
    # 瑞典乌普萨拉大学 inside 瑞典乌普萨拉大学进化博物馆: the whole name stands.
    return [c for c in found if not any(o.start == c.start and o.end > c.end for o in found)]


def _place_candidates(text: str, start: int, end: int) -> list[Candidate]:
    found: list[Candidate] = _facility_candidates(text, start, end)
    for match in _PLACE_RE.finditer(text, start, end):
        x = match.group("x")
        if re.search(r"\d{1,2}\s?[月日号时]|年|期间|之际|以来|目前|今天|近日|日前", x):
            continue  # 在3月26日举行: a time, not a place
        if x.startswith(("此", "其", "这")):
            continue
        found.append(
            Candidate(
                CandidateKind.PLACE, match.start("x"), match.end("x"), x, cue=match.group("cue")
            )
        )
    for match in _LOCATED_RE.finditer(text, start, end):
        found.append(
            Candidate(
                CandidateKind.PLACE,
                match.start("x"),
                match.end("x"),
                match.group("x"),
                cue=match.group("cue"),
            )
        )
    for match in _REGION_LIST_RE.finditer(text, start, end):
        x = match.group("x")
        stripped, offset = _strip_lead(x)
        s = match.start("x") + offset
        found.append(Candidate(CandidateKind.PLACE, s, match.end("x"), stripped, cue="等"))
    return found


def _place_before(text: str, at: int, limit: int, places: frozenset[str]) -> bool:
    """Return True when a bare place name (北京) stands right before ``at``, after a stop."""
    for length in (4, 3, 2):
        word_start = at - length
        if word_start < limit or text[word_start:at] not in places:
            continue
        if word_start == 0 or text[word_start - 1] in _PLACE_LEFT_STOP:
            return True
    return False


def _organization_candidates(
    text: str, start: int, end: int, places: frozenset[str] = frozenset()
) -> list[Candidate]:
    found: list[Candidate] = []
    for match in _ORG_BY_RE.finditer(text, start, end):
        x = match.group("x")
        if re.search(r"\d{1,2}\s?[月日]", x):
            continue
        found.append(
            Candidate(CandidateKind.ORGANIZATION, match.start("x"), match.end("x"), x, cue="由")
        )
    for match in _ORG_SUFFIX_RE.finditer(text, start, end):
        left = match.start()
        limit = max(start, match.start() - 20)
        depth = 0
        while left > limit:
            ch = text[left - 1]
            if ch in "）)":
                depth += 1
            elif ch in "（(" and depth:
                depth -= 1
            elif depth == 0 and ch in _ORG_LEFT_STOP:
                if ch in "和与及" and _place_before(text, left - 1, limit, places):
                    left -= 1  # 北京和德宇航…公司: 北京 alone is no party to a list
                    continue
                break
            left -= 1
        name = text[left : match.end()]
        if len(name) - len(match.group(0)) < 2 or name.startswith(_NOT_PLACE_START):
            continue
        found.append(Candidate(CandidateKind.ORGANIZATION, left, match.end(), name))
    return found


def organization_spans(text: str, span: Span) -> list[Span]:
    """Return the spans of organisation names in ``span`` (太原市文化和旅游局)."""
    return [Span(c.start, c.end) for c in _organization_candidates(text, span.start, span.end)]


def _gazetteer_candidates(
    text: str, start: int, end: int, places: frozenset[str]
) -> list[Candidate]:
    """Return known place names in the span, longest first at each position."""
    found: list[Candidate] = []
    position = start
    while position < end:
        for length in (4, 3, 2):
            word = text[position : position + length]
            if position + length <= end and word in places:
                found.append(Candidate(CandidateKind.PLACE, position, position + length, word))
                position += length
                break
        else:
            position += 1
    return found


def _overlaps(a: Candidate, spans: list[tuple[int, int]]) -> bool:
    return any(a.start < e and s < a.end for s, e in spans)


def extract_candidates(
    text: str,
    span: Span,
    *,
    kinds: frozenset[CandidateKind],
    places: frozenset[str] = frozenset(),
) -> list[Candidate]:
    """Return candidates of the given kinds inside ``span`` of ``text``, left to right."""
    start, end = span.start, span.end
    dates = _date_candidates(text, start, end)
    times = _time_candidates(text, start, end)
    temporal = [(c.start, c.end) for c in (*dates, *times)]
    found: list[Candidate] = []
    ranks = _rank_candidates(text, start, end)
    if CandidateKind.QUANTITY in kinds:
        rank_spans = [(c.start, c.end) for c in ranks]
        found += [
            c
            for c in _quantity_candidates(text, start, end)
            if not _overlaps(c, temporal) and not _overlaps(c, rank_spans)
        ]
    if CandidateKind.DATE in kinds:
        found += dates
    if CandidateKind.TIME in kinds:
        found += times  # 8月14日13时32分 answers 几点 with its clock part, 13时32分
    if CandidateKind.RANK in kinds:
        found += ranks
    if CandidateKind.PERSON in kinds:
        found += _person_candidates(text, start, end)
    if CandidateKind.PLACE in kinds:
        found += _place_candidates(text, start, end)
        found += _gazetteer_candidates(text, start, end, places)
    if CandidateKind.ORGANIZATION in kinds:
        found += _organization_candidates(text, start, end, places)
    found.sort(key=lambda c: (c.start, -c.end))
    unique: list[Candidate] = []
    seen: set[tuple[CandidateKind, int, int]] = set()
    for candidate in found:
        key = (candidate.kind, candidate.start, candidate.end)
        if key not in seen:
            seen.add(key)
            unique.append(candidate)
    return unique
