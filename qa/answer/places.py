"""Place names, for telling optional place terms (太原, 山西) from required content terms.

jieba tags many common words as places (深度, 城市), so only two sources are trusted: names
with an administrative suffix in its dictionary (太原市, and the stem 太原), and a short
list of provinces, regions and countries that news text names without a suffix.
"""

from __future__ import annotations

from qa.answer.lexicon import ADMIN_SUFFIX

__all__ = ["ADMIN_SUFFIX", "REGIONS", "is_place"]

REGIONS = frozenset(
    (
        "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 "
        "湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 "
        "香港 澳门 京津冀 长三角 珠三角 粤港澳 大湾区 "
        "中国 美国 英国 法国 德国 日本 韩国 朝鲜 俄罗斯 印度 意大利 西班牙 葡萄牙 加拿大 "
        "澳大利亚 新西兰 巴西 阿根廷 墨西哥 智利 秘鲁 南非 埃及 沙特 伊朗 伊拉克 以色列 "
        "土耳其 越南 泰国 新加坡 马来西亚 印度尼西亚 印尼 菲律宾 缅甸 柬埔寨 老挝 巴基斯坦 "
        "哈萨克斯坦 乌兹别克斯坦 吉尔吉斯斯坦 塔吉克斯坦 蒙古 荷兰 比利时 瑞士 瑞典 挪威 "
        "芬兰 丹麦 波兰 乌克兰 希腊 奥地利 爱尔兰 欧盟 欧元区 欧洲 亚洲 非洲 北美 南美 "
        "中东 东盟 中西亚 中亚"
    ).split()
)


def is_place(token: str, names: frozenset[str] | set[str]) -> bool:
    """Return True for a place name, or one with its administrative suffix (太原市)."""
    if token in names:
        return True
    return len(token) >= 3 and token[-1] in ADMIN_SUFFIX and token[:-1] in names
