"""Numbers in report text: counts, amounts and percentages with their units and labels.

:func:`extract_quantities` finds every *count-like* number in a text — a number followed by a
measure word (件/份/项, 人/名, 人次, 期/场/次/场次, 万元, %, 个百分点, 台/处/栋/套/支/座/种/间 …) — in Arabic digits (with
thousands separators, decimals, full-width digits) or Chinese numerals (三期, 二十批,
一百二十件, 百分之九十五, 两名), with its approximation (260余, 约300, 近500, 上百), the
words before it (its *label*: 培训 / 清理规范性文件 / 失效文件) and its span.

What is not a count is left alone: a number without a measure word (years, dates, 文号,
5G, 12345热线, phone numbers, version names), ordinals (第一, 第二十五条, heading numbers),
numbers inside 《》 titles, run-in markers (一是), and fixed expressions ("三定", "十四五",
"八五"普法, 一把手, 一站式, 两个维护, 四个意识, 三项制度 …).

The extractor is one compiled regular expression and a constant amount of work per match, so
it is linear in the text; the checker and the drafter's grounding share it.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from drafter.report import Report

# Measure word -> unit family. Only numbers of the same family are compared or added.
UNIT_FAMILIES: dict[str, str] = {
    **dict.fromkeys("件份项个条部篇卷本册", "item"),
    **dict.fromkeys("人名位", "person"),
    "人次": "person_time", "件次": "item_time",
    "批": "batch", "批次": "batch",
    **dict.fromkeys("期场次轮堂", "session"),
    "%": "percent", "个百分点": "point", "百分点": "point",
    "元": "money",
    **dict.fromkeys("家户所", "org"),
    **dict.fromkeys("起宗", "case"),
    "天": "duration", "个工作日": "duration", "工作日": "duration", "个月": "duration",
    "小时": "duration", "户次": "org_time", "家次": "org_time",
    "公顷": "area", "亩": "area", "平方米": "area", "公里": "length", "千米": "length",
    "吨": "weight", "立方米": "volume", "平方公里": "area_km", "美元": "money_usd",
    "张": "sheet", "对": "pair", "株": "plant", "笔": "transaction", "页": "page", "学时": "hours",
    # Things counted one by one (执法记录仪316台, 隐患241处, 楼栋1034栋, 救援队伍28支 …).
    **dict.fromkeys(("台", "辆", "艘"), "device"), "处": "site", "栋": "building", "座": "structure",
    "套": "set", "间": "room", "支": "team", "种": "kind", "场次": "session", "个次": "item_time",
}
FAMILY_NAMES: dict[str, str] = {
    "item": "件/份/项/个/条", "person": "人/名/位", "person_time": "人次", "item_time": "件次",
    "batch": "批/批次", "session": "期/场/次/轮", "percent": "%", "point": "个百分点",
    "money": "元/万元/亿元", "org": "家/户/所", "case": "起/宗", "duration": "天/个工作日/个月",
    "org_time": "户次/家次", "area": "公顷/亩/平方米", "length": "公里", "weight": "吨",
    "device": "台/辆/艘", "site": "处", "building": "栋", "structure": "座", "set": "套", "room": "间",
    "team": "支", "kind": "种", "volume": "立方米", "area_km": "平方公里", "money_usd": "美元/万美元/亿美元",
    "sheet": "张", "pair": "对", "plant": "株", "transaction": "笔", "page": "页", "hours": "学时",
}

_CN_CHARS = "零〇一二两三四五六七八九十百千万亿"
# A figure: a number and a measure word (required), or 百分之… The lookahead lets the regex
# engine skip quickly to characters that can start a number.
_QTY_RE = re.compile(
    rf"(?=[\d{_CN_CHARS}])(?:百分之(?P<pcn>[零〇一二两三四五六七八九十百点]+)"
    r"|(?:(?P<ar>\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"|(?P<cn>[{_CN_CHARS}]+(?:点[零〇一二三四五六七八九]+)?))"
    r"[ \u3000]?(?P<s1>[万亿])?(?P<more>余|多)?(?P<s2>[万亿])?[ \u3000]?"
    r"(?P<unit>个百分点|百分点|人次|件次|户次|家次|批次|场次|个次|个工作日|工作日|个月|小时|学时|公顷|平方公里|平方米|立方米|公里|千米|美元"
    r"|[%％件份项个条部篇卷本册人名位批期场次轮堂家户所起宗天元亩吨台辆艘处栋座套间支种张对株笔页])"
    r"(?P<post>左右|以上|以下|以内|余)?)"
)
# Approximation words before a number, matched backwards from the number.
_PRE_WORDS = ("大约", "约", "将近", "接近", "近", "逾", "超过", "多达", "不少于", "不低于", "至少",
              "不超过", "不足", "不到", "少于", "上")
_PRE_RE = re.compile(f"(?:{'|'.join(_PRE_WORDS)})$")
# What may stand right before a number that one of those words ends at: its last character,
# or a line break ($ also matches before a final newline).
_PRE_LAST = frozenset(w[-1] for w in _PRE_WORDS) | {"\n"}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
_HAS_FULLWIDTH = re.compile("[０-９]")

# Spans that hold numbers which are not counts. Every alternative starts with a character,
# not a class: the engine then jumps to the characters that can start one (a class in front
# would have it try every position, four times slower).
_SKIP_RE = re.compile(
    r"《[^《》\n]*(?:《[^《》\n]*》[^《》\n]*)*》"           # titles (one nesting level)
    + "".join(rf"|{re.escape(b)}\s*\d{{4}}\s*[〕\]】)）]\s*\d+\s*号" for b in "〔[【(（")  # 〔2021〕23号
    + r"|两个(?:维护|确立|结合|大局|责任)|四个(?:意识|自信|全面|服从)|三个(?:代表|务必|区分)"
    r"|五位一体|三项制度|五个一|一件事|跑一次|一次(?:性|办|办结|告知|就办)|一条龙|一人一|一户一"
    r"|一企一|一案一|千家万户|一把手|一站式|一张网|一盘棋|一个窗口|一个中心"
)
# A Chinese numeral right after one of these is part of a word (统一, 唯一, 之一, 逐一 …).
_CN_WORD_BEFORE = set("第每统唯逐之专划均同单合万其任某周星初高整不这那哪独看")
# Measure word + next character that make an ordinary word (统一部署, 一个人 …), Chinese only.
_CN_UNIT_WORDS = {
    "部署", "部门", "部分", "部位", "条件", "条例", "条款", "项目", "期间", "期限", "期待", "期望",
    "场所", "场景", "场地", "名义", "名称", "名单", "人民", "人员", "人士", "家庭", "家长", "所有",
    "所以", "所在", "所属", "位置", "位于", "批准", "批复", "批评", "个人", "个别", "个体", "个性",
    "份额", "起来", "起草", "起步", "起点", "宗旨", "户籍", "篇章", "次要", "次序", "本身", "本质",
    "本领", "天然", "天下", "元素", "轮流", "人口", "人才", "人大",
    "处理", "处罚", "处置", "处长", "处室", "处分", "处于", "种类", "种植", "种子", "支持", "支付",
    "支出", "支部", "支队", "座谈", "台账", "台风", "台阶", "间隔", "套餐",
    "张贴", "张榜", "对象", "对接", "对于", "对照", "对话", "对口", "对标", "对外", "对比", "对应", "对一",
    "对待", "对策", "对付", "笔录", "笔试", "页面", "张皮", "张牌", "笔账", "对多",
    *("对" + d for d in "0123456789"),  # 1对1帮扶: a pairing, not a count of pairs
}
# The measure words of things counted one by one: their words above (5处室, 3支部) are left
# alone after Arabic digits too.
_THING_UNITS = frozenset("台辆艘处栋座套间支种张对株笔页")
_LONE_YI_UNITS = {"名", "人次", "件次", "期", "场", "家", "所", "位"}
_BOUNDARY = "，。；、：,;:！？!?（）()“”\"《》【】[]\n\t"
_AFTER = 10  # characters after a measure word read as what it counts (``Quantity.after``)
# The boundary marks of a text, found once: a label runs back to the last one before its number.
_BOUNDARY_MARK = re.compile(rf"[{re.escape(_BOUNDARY)}]")
# Filler words before and after a label (in the order the patterns try them). Most labels
# have none: a startswith/endswith test spares the pattern (the suffix one is tried at
# every position of the label).
_PREFIX_WORDS = ("其中", "另有", "另外", "此外", "同时", "并且", "并", "还", "已经", "已", "均", "先后",
                 "分别", "累计", "共计", "总计", "合计", "一共", "总共", "共有", "共", "全年度", "全年",
                 "年内", "本年度", "本年", "今年", "当年", "一年来", "截至目前", "目前", "现有")
_SUFFIX_WORDS = ("分别为", "分别", "均为", "均达到", "均达", "约为", "达到", "共计", "合计", "总计", "累计",
                 "保持", "总数", "数量", "仅有", "只有", "仅", "为", "达", "共", "计", "有", "了", "是")
# Words a label may end with whose last character is also a filler word: the label keeps
# them whole (查处违法行为53起, not 违法行; 开展统计12次).
_KEEP_ENDINGS = ("行为", "作为", "成为", "认为", "视为", "称为", "因为", "统计", "设计", "会计", "审计",
                 "估计", "所有", "具有", "拥有", "持有", "占有", "为了", "除了", "不仅")
_LABEL_PREFIX = re.compile(f"^(?:{'|'.join(_PREFIX_WORDS)})+")
_LABEL_SUFFIX = re.compile(f"(?:{'|'.join(_SUFFIX_WORDS)})+$")
_SCOPES = {"其中": "part", "另有": "part", "累计": "cumulative", "新增": "new"}
_SCOPE_PREFIX = re.compile(r"^(?:其中|另有|累计|新增|全年度|全年|本年度|年内|共计|合计|总计|一共|总共|共)")

_APPROX_PRE = {
    "约": "about", "大约": "about", "多达": "about",
    "近": "under", "将近": "under", "接近": "under", "不足": "under", "不到": "under",
    "少于": "under", "不超过": "under",
    "逾": "more", "超过": "more", "上": "more",
    "不少于": "floor", "不低于": "floor", "至少": "floor",
}
_APPROX_POST = {"余": "more", "以上": "more", "左右": "about", "以下": "under", "以内": "under"}
_SINGLE_CN = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9, "十": 10,
              "百": 100, "千": 1000, "万": 10000}


@dataclass(slots=True)
class Quantity:
    """One count, amount or percentage found in a text.

    ``value`` is normalised: scale applied (1.2万人次 → 12000, ``scale`` 10000, ``unit``
    人次; 412.6万元 → 4126000, ``unit`` 元) and 百分之九十五 → 95 with ``is_percent``.
    ``raw`` is the text as written including approximation words (``约300人``).
    ``approx_kind`` is ``more`` (余/多/逾/超过/以上: at least ``value``), ``about`` (约/左右),
    ``under`` (近/不到: at most ``value``), ``floor`` (不少于: no upper bound) or None;
    ``tolerance`` is the absolute width that goes with it, so the true value lies in
    ``[low, high]``. ``label`` is the words right before the number without filler
    (共/全年/其中 …), e.g. 清理规范性文件; ``after`` the words right after the measure word
    (846名执法人员 → 执法人员); ``label_start`` is where the label's clause begins (after the
    previous boundary, 全年/共 included), so a finding can quote "全年共清理…10份". ``scope`` is ``part`` (after 其中), ``new`` (新增),
    ``cumulative`` (累计), ``year`` (全年/本年度/共/合计: the whole year's total) or None. ``start``/``end`` are offsets
    (``base_offset`` added); ``line`` is filled by :func:`quantities`.
    """

    value: float
    raw: str
    unit: str | None
    family: str | None
    approx: bool
    tolerance: float
    label: str
    start: int
    end: int
    is_percent: bool
    scale: int = 1
    approx_kind: str | None = None
    decimals: int = 0
    after: str = ""
    scope: str | None = None
    line: int | None = None
    label_start: int = 0

    @property
    def low(self) -> float:
        if self.approx_kind in ("more", "floor"):
            return self.value
        return self.value - self.tolerance

    @property
    def high(self) -> float:
        if self.approx_kind == "under":
            return self.value
        return self.value + self.tolerance

    def overlaps(self, other: "Quantity") -> bool:
        """Whether the two could denote the same number given their approximations."""
        return self.low <= other.high + 1e-9 and other.low <= self.high + 1e-9

    def display(self) -> str:
        return self.raw.strip()


def shown_matches(stated: Quantity, computed: float) -> bool:
    """Whether ``computed`` rounds (or truncates) to the digits shown in ``stated`` — the one
    rounding rule for recomputed figures (the checker's rates, the drafter's grounding)."""
    unit = 10.0 ** -stated.decimals
    v = stated.value
    return abs(computed - v) <= unit / 2 + 1e-9 or v - 1e-9 <= computed < v + unit


@lru_cache(maxsize=4096)
def cn_to_number(s: str) -> float | None:
    """Value of a Chinese numeral (一百二十, 两千三百, 三点五) via cn2an; None if invalid."""
    if len(s) == 1 and s in _SINGLE_CN:  # the common case; spares the 0.2 s cn2an import
        return float(_SINGLE_CN[s])
    import cn2an

    try:
        return float(cn2an.cn2an(s, "normal"))
    except (ValueError, KeyError, IndexError, OverflowError):  # Overflow: 九九九… past a float
        return None


def _step(value: float) -> float:
    """The rounding step a writer used: 260 → 10, 500 → 100, 1.2万 (12000) → 1000."""
    if value < 10 or math.isinf(value) or value != int(value):  # inf: digits past a float
        return 1.0
    n = int(value)
    step = 1
    while n % 10 == 0 and n >= 10:
        n //= 10
        step *= 10
    return float(step)


def _skip_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SKIP_RE.finditer(text)]


@lru_cache(maxsize=4096)  # labels recur within a report and across a unit's reports
def _clean_label(raw: str) -> tuple[str, str | None]:
    """(label without filler words, scope implied by the filler)."""
    label = raw.strip(" \u3000")
    if "其中" in label:
        label = label[label.rindex("其中"):]
    scope = None
    m = _SCOPE_PREFIX.match(label)
    if m:
        scope = _SCOPES.get(m.group(), "year")
    if label.startswith(_PREFIX_WORDS):
        label = _LABEL_PREFIX.sub("", label)
    label = without_tail(label)
    if scope is None and label.startswith("新增"):
        scope = "new"
    return label, scope


def without_tail(label: str) -> str:
    """``label`` without the filler words it ends with (办结为, 罚没款合计, 清理文件共), whole
    words kept (违法行为, 统计); the label itself when nothing else would be left."""
    if not label.endswith(_SUFFIX_WORDS):
        return label
    cut = _LABEL_SUFFIX.search(label).start()
    for word in _KEEP_ENDINGS:  # a word the cut would split keeps its last character
        j = label.rfind(word, 0, cut + len(word) - 1)
        if j >= 0 and j < cut < j + len(word):
            cut = j + len(word)
    return label[:cut] or label


def extract_quantities(text: str, base_offset: int = 0) -> list[Quantity]:
    """Every count, amount and percentage in ``text`` (see the module docstring).

    Offsets in the result are ``base_offset`` + the index in ``text``.
    """
    norm = text.translate(_FULLWIDTH) if _HAS_FULLWIDTH.search(text) else text
    skips: list[tuple[int, int]] | None = None  # found with the first number (most have none)
    si = 0
    marks: list[int] | None = None  # where the boundary marks are (with the first number)
    out: list[Quantity] = []
    prev_end = 0
    for m in _QTY_RE.finditer(norm):
        pcn, ar, cn, s1, more, s2, unit, post = m.groups()  # (in the pattern's order)
        num_start = m.start()
        pm = _PRE_RE.search(norm, max(0, num_start - 3), num_start) \
            if num_start and norm[num_start - 1] in _PRE_LAST else None
        pre = pm.group() if pm else None
        start = pm.start() if pm else num_start
        end = m.end()
        # Skip spans (titles, 文号, fixed expressions).
        if skips is None:
            skips = _skip_spans(norm)
        while si < len(skips) and skips[si][1] <= num_start:
            si += 1
        if si < len(skips) and skips[si][0] <= num_start < skips[si][1]:
            continue
        before = norm[num_start - 1] if num_start > 0 else ""
        if before and before in "第每":
            continue
        if ar is not None:
            if before and (before.isascii() and (before.isalnum() or before in ".-/#_")):
                continue
            if unit in _THING_UNITS and norm[m.end("unit") - 1:m.end("unit") + 1] in _CN_UNIT_WORDS:
                continue
            value = float(ar.replace(",", ""))
            decimals = len(ar.split(".")[1]) if "." in ar else 0
        elif cn is not None:
            if before in _CN_WORD_BEFORE:
                continue
            if unit and norm[m.end("unit") - 1:m.end("unit") + 1] in _CN_UNIT_WORDS:
                continue
            if cn == "一" and unit not in _LONE_YI_UNITS:
                continue
            if cn.strip("百千万亿") == "" and not (pre in ("上", "近", "逾", "约")
                                                 or more or post):
                continue  # 千家万户, 百姓 … ; 上百/千余 are fine
            got = cn_to_number(cn)
            if got is None:
                continue
            value = got
            decimals = len(cn.split("点")[1]) if "点" in cn else 0
        else:
            got = cn_to_number(pcn)
            if got is None:
                continue
            value = got
            decimals = len(pcn.split("点")[1]) if "点" in pcn else 0
        if pre == "上" and not (cn and cn in "百千万"):
            pre, start = None, num_start
        scale = 1
        for s in (s1, s2):
            if s:
                scale *= 10000 if s == "万" else 100000000
        if cn is not None and cn[-1] in "万亿" and len(cn) > 1:
            scale = 10000 if cn[-1] == "万" else 100000000  # cn2an already applied it
        elif scale > 1:
            value *= scale
        if pcn is not None:
            unit = "%"
        elif unit == "％":
            unit = "%"
        is_percent = unit == "%"
        kind = (_APPROX_PRE.get(pre) if pre else None) or (
            "more" if more else None) or _APPROX_POST.get(post or "")
        if kind is None and post == "余":
            kind = "more"
        if kind == "floor":
            tol = math.inf
        elif kind == "more":
            tol = _step(value)
        elif kind in ("about", "under"):
            tol = max(_step(value) / 2, 0.1 * value)
        else:
            tol = 0.0
        # Label: the words back to the nearest boundary, the previous number or 其中.
        if marks is None:
            marks = [b.start() for b in _BOUNDARY_MARK.finditer(norm)]
        bi = bisect.bisect_left(marks, start)  # the marks before the number
        lstart = max(prev_end, start - 24, marks[bi - 1] + 1 if bi else 0)
        raw_label = norm[lstart:start]
        label, scope = _clean_label(raw_label)
        if not raw_label.strip() and out and out[-1].end - base_offset == start:
            label, scope = out[-1].label, out[-1].scope  # 20批500余人次: the same thing twice
        ls = start - len(raw_label)
        while ls < start and norm[ls] in " \u3000":
            ls += 1
        # What follows, up to the next boundary mark (found above) and _AFTER characters.
        bi = bisect.bisect_left(marks, end, bi)
        after = norm[end:min(end + _AFTER, marks[bi] if bi < len(marks) else len(norm))]
        # Positional (in field order: a report has ~100 figures, keywords cost 3x as much):
        # value, raw, unit, family, approx, tolerance, label, start, end, is_percent, scale,
        # approx_kind, decimals, after, scope, line, label_start.
        out.append(Quantity(
            value, text[start:end], unit, UNIT_FAMILIES.get(unit or ""), kind is not None, tol,
            label, base_offset + start, base_offset + end, is_percent, scale, kind, decimals,
            after, scope, None, base_offset + ls))
        prev_end = end
    _mark_parts(norm, out, base_offset)
    return out


_SENTENCE_END = re.compile(r"[。！？；;!?\n]")


def _mark_parts(text: str, qs: list[Quantity], base: int) -> None:
    """Quantities after 其中 in the same sentence are parts (scope ``part``)."""
    first = text.find("其中")
    if first < 0:
        return
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    for q in qs:
        s = q.start - base
        if q.scope is not None or s <= first:
            continue  # (a figure up to the first 其中 has none before it)
        i = bisect.bisect_right(ends, s)
        lo = ends[i - 1] if i else 0
        if "其中" in text[lo:s]:
            q.scope = "part"


def quantities(report: "Report") -> list[Quantity]:
    """Every quantity of a report's paragraphs (not the 成文日期), each with its line.

    Pure and deterministic: rules read it as ``ctx.quantities``.
    """
    out: list[Quantity] = []
    for p in report.paragraphs:
        if p.role in ("blank", "date") or not p.text:
            continue
        for q in extract_quantities(p.text, p.offset):
            q.line = p.line
            out.append(q)
    return out
