"""Who wrote an earlier report, read from its text for import: the unit's name (title, 署名,
the line under a published title, else the one name in the text that fits the self-reference
and the recipient's place), its corpus slug (pinyin, e.g. 荥阳市科工信局 → xingyang-kegongxin)
and whether two written names are one unit (全称 and 简称: 荥阳市科技工业和信息化局 /
荥阳市科工信局).

Nothing is guessed: each function returns None when the text does not say, and every name
comes with the line it was read from.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from drafter.report import Report

# The last characters of a unit's name: departments, governments, agencies.
UNIT_SUFFIXES = ("人民政府", "委员会", "办公室", "办事处", "管委会", "政府", "局", "委", "办", "厅",
                 "中心", "署", "院", "队", "站", "所", "处")
_SUFFIX_RE = "|".join(UNIT_SUFFIXES)
_UNIT_NAME = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,30}}(?:{_SUFFIX_RE})$")
_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:自治州|自治县|省|市|县|区|州|旗|盟)")
_LEVELS = {"省": "sheng", "市": "shi", "县": "xian", "区": "qu", "州": "zhou", "旗": "qi",
           "盟": "meng", "自治县": "zizhixian", "自治州": "zizhizhou"}
_TITLE_UNIT = re.compile(r"^\s*([\u4e00-\u9fff（）()]{2,30}?)(?:关于)?(?:报送)?"
                         r"(?:20\d\d|二[〇零○][一二三四五六七八九〇零○]{2})\s*年")
_SELF = re.compile(r"(?:我|本)(?:局|委|办|厅|中心|院|署|队|站|所|处|区|县|市|州|旗|镇|乡|街道)")
_SUPERIOR = re.compile(r"在([^，,。；在]{2,24}?)的(?:正确|坚强|坚强有力|有力|统一|直接)?领导")


@dataclass(frozen=True)
class Found:
    """A value read from the report: ``value``, the 1-based ``line`` and how it was found
    (``how``, Chinese, for the import's notes)."""

    value: str
    line: int
    how: str


def unit_name(report: "Report") -> Found | None:
    """The unit's full name: the title (…关于… / …2023年度…), the 署名, the line under a
    published title, else the one name in the body that ends like the self-reference (我局 →
    …局) and starts with the recipient's place (荥阳市人民政府 → 荥阳市…局)."""
    from drafter.report.info import unit_name as titled

    title = report.title
    name = titled(report)
    if name and title is not None and title.text.strip().startswith(name):
        return Found(name, title.line, "标题")
    if title is not None:
        m = _TITLE_UNIT.match(title.text)
        if m and _UNIT_NAME.match(m.group(1)):
            return Found(m.group(1), title.line, "标题")
    sig = report.signature
    if sig is not None and _UNIT_NAME.match(sig.text.strip()):
        return Found(sig.text.strip(), sig.line, "署名")
    for p in report.lead[:2]:  # published form: the unit on its own line under the title
        if _UNIT_NAME.match(p.text.strip()):
            return Found(p.text.strip(), p.line, "标题下的署名")
    return _name_in_body(report)


def _name_in_body(report: "Report") -> Found | None:
    self_ref = self_reference(report)
    place = next((p for r in report.recipients if (p := split_place(r)[0])), None)
    if self_ref is None or place is None or self_ref.value[1:] in ("区", "县", "市", "州", "旗"):
        return None
    pattern = re.compile(rf"{re.escape(place)}[\u4e00-\u9fff]{{1,10}}?{re.escape(self_ref.value[1:])}")
    found: dict[str, int] = {}
    for p in report.paragraphs:
        if p.role in ("blank", "recipient", "date"):
            continue
        for m in pattern.finditer(p.text):
            found.setdefault(m.group(), p.line)
    if len(found) != 1:
        return None  # none, or several units of that place: the text does not say which
    name, line = next(iter(found.items()))
    return Found(name, line, "正文")


def unit_type(name: str) -> str | None:
    """government (…人民政府) or department (…局/委/办 …) from a unit's name; None otherwise."""
    if re.search(r"(?:人民政府|[省市县区州旗镇乡]政府)$", name) and not name.endswith(("政府办公室", "政府办")):
        return "government"
    if _UNIT_NAME.match(name):
        return "department"
    return None


def self_reference(report: "Report", name: str | None = None) -> Found | None:
    """How the report calls itself (我局, 我委, 我县 …): the most frequent form of the unit's own
    kind when its ``name`` says the kind (a 局 is 我局/本局, not 本市: "本市发生的案例" in a
    bureau's report names the city), else the most frequent form; None when there is none."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for p in report.paragraphs:
        if p.role in ("blank", "title", "recipient", "date"):
            continue
        for m in _SELF.finditer(p.text):
            counts[m.group()] += 1
            first.setdefault(m.group(), p.line)
    kind = self_kind(name) if name else None
    if kind is not None:
        counts = Counter({w: n for w, n in counts.items() if w[1:] == kind})
    if not counts:
        return None
    word, _n = counts.most_common(1)[0]
    return Found(word, first[word], "正文")


# What a unit calls itself by (我局, 我县): the kind at the end of its name.
_KIND_OF_NAME = re.compile(r"(?:(局|委|办|厅|中心|院|署|队|站|所|处)|(区|县|市|州|旗|镇|乡)人民政府|(街道)办事处)$")


def self_kind(name: str) -> str | None:
    """The kind a unit's self-reference names: 局 for 示例市应急管理局, 县 for 示例县人民政府,
    街道 for 示例街道办事处; None when the name does not end in one."""
    m = _KIND_OF_NAME.search(name)
    return next((g for g in m.groups() if g), None) if m else None


def superior(report: "Report") -> Found | None:
    """Whose leadership the lead names (在市委、市政府的坚强领导下 → 市委、市政府)."""
    for p in report.lead[:3]:
        m = _SUPERIOR.search(p.text)
        if m:
            return Found(m.group(1).strip(), p.line, "开头段")
    return None


# ---- slugs --------------------------------------------------------------------------------

def split_place(name: str) -> tuple[str, str]:
    """(place, rest): 荥阳市科技工业和信息化局 → (荥阳市, 科技工业和信息化局); ("", name) when
    the name does not start with a place."""
    m = _PLACE.match(name)
    if not m or m.end() >= len(name):
        return "", name
    end = m.end()
    if m.group().endswith("州") and name[end:end + 1] in ("市", "县", "区") and end + 1 < len(name):
        end += 1  # 霁州市, 郑州市: 州 is part of the city's name
    return name[:end], name[end:]


def infer_slug(name: str, text: str = "") -> str | None:
    """A corpus folder name for a unit: the place's pinyin, then the unit's short form —
    the level for a government (云梁县人民政府 → yunliang-xian), else the department's
    abbreviation as the text writes it (科工信局 → kegongxin), else its full name without the
    suffix (shichangjianduguanli). None when the name has no Chinese to spell."""
    place, rest = split_place(name)
    stem, level = place, ""
    for lv in sorted(_LEVELS, key=len, reverse=True):
        if place.endswith(lv) and len(place) > len(lv):
            stem, level = place[: -len(lv)], lv
            break
    if rest in ("人民政府", "政府"):
        body = _LEVELS.get(level, "")
    else:
        core, suffix = _core(rest)
        short = _abbreviation(core, suffix, text) if text else None
        body = _spell(short or core)
    parts = [p for p in (_spell(stem) if stem else "", body) if p]
    slug = "-".join(parts)
    return slug or None


def _spell(chars: str) -> str:
    from pypinyin import lazy_pinyin

    return re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(chars, errors="ignore")).lower())


def _core(rest: str) -> tuple[str, str]:
    for suffix in UNIT_SUFFIXES:
        if rest.endswith(suffix) and len(rest) > len(suffix):
            return rest[: -len(suffix)], suffix
    return rest, ""


def _abbreviation(core: str, suffix: str, text: str) -> str | None:
    """The shortest most frequent abbreviation of ``core`` the text uses before ``suffix``
    (科技工业和信息化 + 局: 科工信局 → 科工信)."""
    if not suffix or len(core) < 3:
        return None
    counts: Counter[str] = Counter()
    for m in re.finditer(re.escape(suffix), text):
        j = m.start()
        if text[max(0, j - len(core)):j] == core:
            continue  # the full name itself
        for n in range(2, len(core)):
            cand = text[max(0, j - n):j]
            if len(cand) == n and cand[0] == core[0] and is_subsequence(cand, core):
                counts[cand] += 1
    if not counts:
        return None
    return min(counts, key=lambda c: (-counts[c], len(c)))


def is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def same_unit(a: str | None, b: str | None) -> bool:
    """Whether two written names are one unit: equal, or one the other's abbreviation — the
    same place and suffix, the shorter's characters in the longer's order (荥阳市科工信局 /
    荥阳市科技工业和信息化局, 澄渠县市场监管局 / 澄渠县市场监督管理局)."""
    if not a or not b:
        return False
    if a == b:
        return True
    (pa, ra), (pb, rb) = split_place(a), split_place(b)
    if not pa or pa != pb:
        return False
    (ca, sa), (cb, sb) = _core(ra), _core(rb)
    if not sa or sa != sb or min(len(ca), len(cb)) < 2:
        return False
    short, long = sorted((ca, cb), key=len)
    return short[0] == long[0] and is_subsequence(short, long)
