"""Tests for qa.answer.question: types, terms, units, scope and follow-ups."""

from __future__ import annotations

import pytest

from qa.answer.lexicon import Lexicon, load_lexicon
from qa.answer.places import REGIONS
from qa.answer.question import TermRole, UnitClass, analyze_question
from qa.records import AnswerType
from qa.tokenize import ChineseTokenizer

PLACES = frozenset({"山西", "太原", "临汾"})


@pytest.mark.parametrize(
    ("question", "answer_type"),
    [
        ("山西有多少5G基站？", AnswerType.QUANTITY),
        ("太原西山生态文化旅游示范区管辖面积多大？", AnswerType.QUANTITY),
        ("翼城樱桃创下了什么售价纪录？", AnswerType.QUANTITY),
        ("西山示范区是什么时候组建运行的？", AnswerType.DATE),
        ("晋祠天龙山景区从11月1日起的开放时间是什么？", AnswerType.TIME),
        ("谁点燃了省运会的主火炬？", AnswerType.PERSON),
        ("迎泽区首届“龙虾节”在哪里举办？", AnswerType.PLACE),
        ("本届赛事由哪些单位主办？", AnswerType.ORGANIZATION),
        ("山西综合算力指数全国排第几？", AnswerType.RANKING),
        ("山西如何推动中小企业专精特新发展？", AnswerType.FREE),
    ],
)
def test_answer_type(
    zh_tokenizer: ChineseTokenizer, question: str, answer_type: AnswerType
) -> None:
    analysis = analyze_question(question, tokenize=zh_tokenizer.tokens, place_names=PLACES)
    assert analysis.answer_type is answer_type


def test_terms_roles_and_question_words(zh_tokenizer: ChineseTokenizer) -> None:
    analysis = analyze_question(
        "山西有多少6G基站？", tokenize=zh_tokenizer.tokens, place_names=PLACES
    )
    roles = {t.text: t.role for t in analysis.terms}
    assert roles["6g"] is TermRole.KEY
    assert roles["山西"] is TermRole.PLACE
    assert "多少" not in roles
    ranking = analyze_question("山西综合算力指数全国排第几？", tokenize=zh_tokenizer.tokens)
    assert all("几" not in t.text for t in ranking.terms)


@pytest.mark.parametrize(
    ("question", "hint", "cls"),
    [
        ("山西累计创建了多少家国家级绿色工厂？", "家", UnitClass.COUNT),
        ("前10个月山西太阳能电池出口增长了多少？", None, UnitClass.PERCENT),
        ("朔州恳谈会签约项目总投资额是多少？", None, UnitClass.MONEY),
        ("虎峪河复流工程治理河道长度是多少？", None, UnitClass.LENGTH),
        ("山西固废年利用量提升到了多少？", None, None),  # 提升到: a level, not a growth rate
    ],
)
def test_unit_hints(
    zh_tokenizer: ChineseTokenizer, question: str, hint: str | None, cls: UnitClass | None
) -> None:
    analysis = analyze_question(question, tokenize=zh_tokenizer.tokens)
    assert (analysis.unit_hint, analysis.unit_class) == (hint, cls)


def test_constraints(zh_tokenizer: ChineseTokenizer) -> None:
    analysis = analyze_question("山西每万人拥有多少个5G基站？", tokenize=zh_tokenizer.tokens)
    assert analysis.per == "万人"
    timed = analyze_question("上半年山西制造业增加值同比增长多少？", tokenize=zh_tokenizer.tokens)
    assert timed.time is not None and timed.time.period == "上半年"
    assert all(t.text != "上半年" for t in timed.terms)


def test_follow_up_inherits_focus(zh_tokenizer: ChineseTokenizer) -> None:
    first = analyze_question("朔州在北京签约了多少个项目？", tokenize=zh_tokenizer.tokens)
    follow = analyze_question("总投资额呢？", tokenize=zh_tokenizer.tokens, previous=first)
    assert follow.follow_up
    assert follow.answer_type is AnswerType.QUANTITY
    assert follow.unit_class is UnitClass.MONEY  # its own aspect, not the earlier 个
    context = {t.text for t in follow.terms if t.role is TermRole.CONTEXT}
    assert {"朔州", "签约"} <= context
    fresh = analyze_question(
        "谁点燃了省运会的主火炬？", tokenize=zh_tokenizer.tokens, previous=first
    )
    assert not fresh.follow_up


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon(regions=REGIONS)


@pytest.mark.parametrize(
    ("question", "answer_type"),
    [
        ("WTT常规挑战赛太原站2025年的比赛日期是哪几天？", AnswerType.DATE),
        ("快舟一号甲这次是从哪个发射中心升空的？", AnswerType.PLACE),
    ],
)
def test_more_answer_types(
    zh_tokenizer: ChineseTokenizer, question: str, answer_type: AnswerType
) -> None:
    assert analyze_question(question, tokenize=zh_tokenizer.tokens).answer_type is answer_type


def test_word_classes_set_term_roles(zh_tokenizer: ChineseTokenizer, lexicon: Lexicon) -> None:
    analysis = analyze_question(
        "截至8月1日中午，这轮强降雨中河北水位降到了多少？",
        tokenize=zh_tokenizer.tokens,
        place_names=lexicon.places,
        lexicon=lexicon,
    )
    roles = {t.text: t.role for t in analysis.terms}
    assert roles["降到"] is TermRole.PREDICATE
    assert roles["中午"] is TermRole.GENERIC
    assert "这轮" not in roles
    assert analysis.asked_verb == "降到"


@pytest.mark.parametrize(
    ("question", "qualifiers"),
    [
        ("2024年前10个月山西煤炭进口额是多少？", ("煤炭",)),
        ("朔州恳谈会上签约的风电及储能项目投资额是多少？", ("项目", "储能", "风电")),
        ("清徐老陈醋专业镇去年实现营收多少？", ("专业镇", "老陈醋", "清徐")),
        ("朔州在北京举办的恳谈会上签约项目的总投资额是多少？", ()),
        ("平谷区上半年社会消费品零售总额达到多少？", ("消费品", "社会")),
    ],
)
def test_qualifiers_are_compounded_onto_the_metric(
    zh_tokenizer: ChineseTokenizer, lexicon: Lexicon, question: str, qualifiers: tuple[str, ...]
) -> None:
    analysis = analyze_question(
        question, tokenize=zh_tokenizer.tokens, place_names=lexicon.places, lexicon=lexicon
    )
    assert analysis.qualifiers == qualifiers


def test_a_unit_with_a_multiplier_is_a_unit_hint(zh_tokenizer: ChineseTokenizer) -> None:
    analysis = analyze_question(
        "2024年山西规上工业增加值总量是多少亿元？", tokenize=zh_tokenizer.tokens
    )
    assert (analysis.unit_hint, analysis.unit_class) == ("元", UnitClass.MONEY)
    assert "亿元" not in {t.text for t in analysis.terms}


def test_ratio_words_ask_for_a_percentage(zh_tokenizer: ChineseTokenizer) -> None:
    analysis = analyze_question("贵南高铁贵荔段的桥隧比有多高？", tokenize=zh_tokenizer.tokens)
    assert analysis.unit_class is UnitClass.PERCENT


def test_settings_references_and_counted_heads_are_soft(
    zh_tokenizer: ChineseTokenizer, lexicon: Lexicon
) -> None:
    def roles(question: str) -> dict[str, TermRole]:
        analysis = analyze_question(question, tokenize=zh_tokenizer.tokens, lexicon=lexicon)
        return {t.text: t.role for t in analysis.terms}

    assert roles("省运会开幕式上火炬传递是几点开始的？")["开幕式"] is TermRole.OPTIONAL
    assert roles("科普基地网上申报的截止时间是什么时候？")["网上"] is TermRole.OPTIONAL
    assert roles("受灾人口这一数据统计截至什么时候？")["数据"] is TermRole.GENERIC
    counted = roles("大展一共展出了多少件书法作品？")
    assert (counted["书法作品"], counted["书法"]) == (TermRole.OPTIONAL, TermRole.CONTENT)
    assert roles("山西有多少户创新中心试点（培育）单位？")["单位"] is TermRole.GENERIC


def test_contrasts_ordinals_and_figures(zh_tokenizer: ChineseTokenizer) -> None:
    analysis = analyze_question(
        "邓信锐在男子丁组100米决赛中跑出了什么成绩？", tokenize=zh_tokenizer.tokens
    )
    assert dict(analysis.contrasts)["决赛"][:2] == ("预赛", "半决赛")
    assert analysis.figures == ((100.0, "米"),)
    site = analyze_question("周口店第15地点是哪一年发现的？", tokenize=zh_tokenizer.tokens)
    assert site.ordinals == (("15", "地点"),)
    assert analyze_question("城轨新增运营里程多少公里？", tokenize=zh_tokenizer.tokens).new


def test_only_identity_terms_are_required(zh_tokenizer: ChineseTokenizer, lexicon: Lexicon) -> None:
    analysis = analyze_question(
        "深圳技术大学虚假宣传的基金规模大概有多大？",
        tokenize=zh_tokenizer.tokens,
        place_names=lexicon.places,
        lexicon=lexicon,
    )
    roles = {t.text: t.role for t in analysis.terms}
    assert roles["虚假"] is TermRole.MODIFIER
    assert roles["大概"] is TermRole.MODIFIER
    assert roles["规模"] is TermRole.GENERIC
    assert roles["基金"] is TermRole.CONTENT
    assert {t.text for t in analysis.terms if t.required} >= {"基金", "技术"}
    assert not any(t.required for t in analysis.terms if t.text in ("虚假", "大概", "规模"))
    assert "基金" in analysis.metrics  # the noun 规模 measures is the focus


def _analyze(question: str, tokenizer: ChineseTokenizer, lexicon: Lexicon):  # type: ignore[no-untyped-def]
    return analyze_question(
        question, tokenize=tokenizer.tokens, place_names=lexicon.places, lexicon=lexicon
    )


def test_level_reached_is_not_a_change(zh_tokenizer: ChineseTokenizer, lexicon: Lexicon) -> None:
    assert not _analyze("规上工业企业数量增加到了多少家？", zh_tokenizer, lexicon).change
    assert _analyze("规上工业企业数量增加了多少家？", zh_tokenizer, lexicon).change


def test_event_verbs_ask_for_the_start(zh_tokenizer: ChineseTokenizer, lexicon: Lexicon) -> None:
    opening = _analyze("WTT常规挑战赛太原站的正赛哪天开打？", zh_tokenizer, lexicon)
    assert opening.edge == "start"
    assert opening.subject == "正赛"
    assert _analyze("蒙山景区淡季的开园时间是几点到几点？", zh_tokenizer, lexicon).edge is None


def test_light_cuts_are_soft(zh_tokenizer: ChineseTokenizer, lexicon: Lexicon) -> None:
    roles = {
        t.text: t.role
        for t in _analyze(
            "山西省级技改资金一共拿出了多少钱来支持技改项目？", zh_tokenizer, lexicon
        ).terms
    }
    assert roles["钱来"] is TermRole.PREDICATE
    assert roles["资金"] is TermRole.CONTENT
    revenue = _analyze("清徐老陈醋专业镇去年实现营收多少？", zh_tokenizer, lexicon)
    assert {t.text: t.role for t in revenue.terms}["营收"] is TermRole.CONTENT


def test_counterpart_place_and_glued_digits_are_required(
    zh_tokenizer: ChineseTokenizer, lexicon: Lexicon
) -> None:
    trade = {
        t.text: t.role
        for t in _analyze("山西对俄罗斯的进出口额是多少？", zh_tokenizer, lexicon).terms
    }
    assert trade["俄罗斯"] is TermRole.CONTENT
    assert trade["山西"] is TermRole.PLACE
    index = {t.text: t.role for t in _analyze("上证50指数报多少点？", zh_tokenizer, lexicon).terms}
    assert index["上证50"] is TermRole.KEY
    swim = {
        t.text: t.role for t in _analyze("200米蛙泳决赛的冠军是谁？", zh_tokenizer, lexicon).terms
    }
    assert swim["200"] is TermRole.NUMBER


def test_unit_classes_of_energy_rain_and_rates(
    zh_tokenizer: ChineseTokenizer, lexicon: Lexicon
) -> None:
    assert (
        _analyze("光伏项目总装机容量有多大？", zh_tokenizer, lexicon).unit_class is UnitClass.POWER
    )
    assert (
        _analyze("上海最大小时雨量是多少？", zh_tokenizer, lexicon).unit_class is UnitClass.LENGTH
    )


def test_which_team_asks_for_an_organization(
    zh_tokenizer: ChineseTokenizer, lexicon: Lexicon
) -> None:
    analysis = _analyze("小龙虾由哪支厨师团队掌勺？", zh_tokenizer, lexicon)
    assert analysis.answer_type is AnswerType.ORGANIZATION
    assert {t.text: t.role for t in analysis.terms}["掌勺"] is TermRole.PREDICATE


def test_administrative_levels_contrast(zh_tokenizer: ChineseTokenizer, lexicon: Lexicon) -> None:
    analysis = _analyze("山西累计培育了多少户省级企业技术中心？", zh_tokenizer, lexicon)
    assert ("省级", ("国家级", "市级", "县级")) in analysis.contrasts
    cheap = _analyze("门票最便宜的一档是多少钱？", zh_tokenizer, lexicon)
    assert ("最低", ("最高",)) in cheap.contrasts


def test_demonstratives_name_nothing() -> None:
    from qa.answer.question import _DEMONSTRATIVE

    assert all(_DEMONSTRATIVE.match(w) for w in ["这篇", "这名", "那位", "该市", "此次", "本届"])
    assert not any(_DEMONSTRATIVE.match(w) for w in ["本地", "当地", "这些年", "该"])
