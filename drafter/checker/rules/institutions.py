"""INS — institutions: bodies abolished in the 2018 reform named as current, and 法制 where the
fixed collocation is 法治.

Lexicons: ``checker/data/institutions.yaml`` (old name → current name, with sources) and
``checker/data/fixed_terms.yaml`` (法制→法治 collocations and the legitimate 法制 terms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Iterator

from drafter.checker.context import CheckContext
from drafter.checker.finding import Hit
from drafter.checker.registry import rule

# An administrative-level character just before a body name belongs to it ("市法制办").
_LEVEL_PREFIX = "市县区省州镇乡旗"
_SENTENCE_END = "。！？；!?;\n"
# 局 followed by these is a word, not a body: 法治文化局面, 工作局势, 局限, 局部, 局域.
_NOT_A_BODY = set("面势限部域")


def _load(name: str) -> Any:
    from drafter.datafiles import load_data

    return load_data(name) or {}


@dataclass(frozen=True)
class OldName:
    name: str
    current: str
    current_province: str | None
    unless_before: re.Pattern[str] | None
    severity: str | None
    source: str
    local: bool = False  # from drafter.toml: a full name, no level prefix before it


@dataclass(frozen=True)
class InstitutionLexicon:
    names: tuple[OldName, ...]
    regex: re.Pattern[str]
    before: re.Pattern[str]
    around: re.Pattern[str]
    window_before: int
    window_after: int

    def entry(self, name: str) -> OldName:
        return next(n for n in self.names if n.name == name)


@cache
def institution_lexicon() -> InstitutionLexicon:
    data = _load("institutions.yaml")
    names: list[OldName] = []
    for e in data["abolished"]:
        ub = re.compile(e["unless_before"]) if e.get("unless_before") else None
        for n in e["names"]:
            names.append(OldName(n, e["current"], e.get("current_province"), ub,
                                 e.get("severity"), e["source"]))
    alternation = "|".join(re.escape(n.name) for n in sorted(names, key=lambda n: -len(n.name)))
    hist = data["history"]
    return InstitutionLexicon(tuple(names), re.compile(alternation), re.compile(hist["before"]),
                              re.compile(hist["around"]), int(hist["window_before"]),
                              int(hist["window_after"]))


@cache
def institution_lexicon_with(local: tuple[Any, ...]) -> InstitutionLexicon:
    """The lexicon plus a locality's own renamed bodies (``drafter.toml`` ``[[institutions]]``:
    :class:`drafter.config.LocalInstitution` — each former name is an old name of ``name``)."""
    base = institution_lexicon()
    extra = tuple(OldName(f, i.name, None, None, None, i.source or "drafter.toml", True)
                  for i in local for f in i.former)
    names = base.names + extra
    alternation = "|".join(re.escape(n.name) for n in sorted(names, key=lambda n: -len(n.name)))
    return InstitutionLexicon(names, re.compile(alternation), base.before, base.around,
                              base.window_before, base.window_after)


def lexicon_for(ctx: CheckContext) -> InstitutionLexicon:
    cfg = getattr(ctx.options, "config", None)
    local = cfg.local.institutions if cfg is not None else ()
    return institution_lexicon_with(local) if any(i.former for i in local) else institution_lexicon()


def _sentence_window(text: str, start: int, end: int, before: int, after: int) -> tuple[str, str]:
    """Text before and after a match, cut at sentence ends and at the window sizes."""
    lo = max(0, start - before)
    left = text[lo:start]
    cut = max(left.rfind(ch) for ch in _SENTENCE_END)
    if cut >= 0:
        left = left[cut + 1:]
    right = text[end:end + after]
    cuts = [i for ch in _SENTENCE_END if (i := right.find(ch)) >= 0]
    if cuts:
        right = right[:min(cuts)]
    return left, right


def _inside_book_title(text: str, pos: int) -> bool:
    """True when ``pos`` lies inside 《…》 (a cited document keeps its historical wording)."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    open_ = text.rfind("《", line_start, pos)
    return open_ >= 0 and text.rfind("》", open_, pos) < 0 and text.find("》", pos, line_end) >= 0


def find_abolished(text: str, lex: InstitutionLexicon | None = None
                   ) -> Iterator[tuple[int, int, OldName, str]]:
    """(start, end, entry, level prefix) of each old name used as a current body in ``text``."""
    lex = lex or institution_lexicon()
    for m in lex.regex.finditer(text):
        entry = lex.entry(m.group(0))
        if entry.unless_before and entry.unless_before.search(text[max(0, m.start() - 8):m.start()]):
            continue
        if _inside_book_title(text, m.start()) or text[m.end():m.end() + 1] in _NOT_A_BODY:
            continue
        left, right = _sentence_window(text, m.start(), m.end(), lex.window_before,
                                       lex.window_after)
        if lex.before.search(left) or lex.around.search(left) or lex.around.search(right):
            continue
        start = m.start()
        prefix = ""
        if start > 0 and text[start - 1] in _LEVEL_PREFIX and not entry.local:
            start -= 1
            prefix = text[start]
        yield start, m.end(), entry, prefix


@rule("INS001", "abolished-institution", severity="warning",
      summary="使用机构改革后已撤销或更名的机构名称（法制办、工商局、环保局……）")
def abolished_institution(ctx: CheckContext) -> Iterator[Hit]:
    """把2018年机构改革中已撤销、更名的机构当作现行机构使用。

    **作用 What it does**
    按 checker/data/institutions.yaml（依据《深化党和国家机构改革方案》《国务院机构改革方案》和
    各地机构改革方案）查找已撤销的机构名称：法制办→司法局，工商局、质监局、食药监局→市场监督
    管理局，国土资源局→自然资源（和规划）局，环保局→生态环境局，农业局、农委→农业农村局，
    文化局、广电局、旅游局、文广新局→文化广电和旅游局，卫计委→卫生健康委员会，安监局→应急
    管理局，国税局、地税局→国家税务总局××税务局，监察局→监察委员会，扶贫办→乡村振兴局等。
    同一句中出现“原”“前身”“改革前”“撤销”“整合”“组建”“划入”“更名”等表示历史沿革的词，或名称
    出现在《》引用的文件标题中时，不报告。部门列举中不带“局”字的旧名称（“会同公安、国土资源、交通运输
    等部门”中的“国土资源”，以及环保、工商、质监、食药监、安监、卫计等）也报告，前面有“原”的除外。

    本地机构的更名（如“××市行政服务中心管理办公室”改为“××市行政审批服务局”）可写入配置文件
    drafter.toml 的 ``[[institutions]]``（name 与 former），同样报告。

    **为什么重要 Why it matters**
    机构改革已过去多年，仍写“报法制办备案”说明内容照抄旧材料，工作流程也可能没有按新体制办理。

    **示例 Example**
    及时将处理决定报法制办备案。

    **应改为 Use instead**
    及时将处理决定报市司法局备案。（回顾历史时写“原市法制办”。）
    """
    text = ctx.text
    for start, end, entry, prefix in find_abolished(text, lexicon_for(ctx)):
        current = entry.current_province if (prefix == "省" and entry.current_province) \
            else entry.current
        old = text[start:end]
        yield Hit(start, end,
                  f"“{old}”已在机构改革中撤销或更名，现为“{prefix}{current}”",
                  suggestion=f"{prefix}{current}", severity=entry.severity)
    for start, end, current in bare_in_lists(text):
        yield Hit(start, end, f"“{text[start:end]}”部门已在机构改革中撤销或更名，现为“{current}”部门",
                  suggestion=current)


# A list of departments: "公安、国土资源、交通运输等部门"; its first item may follow a verb.
_LIST_END = re.compile(r"等(?:相关|有关)?(?:职能)?(?:部门|单位)")
_LIST_LEAD = re.compile(r"^(?:联合|会同|协调|组织|牵头|督促|推动|配合|与|同|和|由|对)+")


@cache
def _bare_names() -> dict[str, str]:
    return {n: e["current"] for e in _load("institutions.yaml").get("bare_in_lists") or []
            for n in e["names"]}


def bare_in_lists(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, current name) of each old department named bare in a list of departments
    (institutions.yaml ``bare_in_lists``); 原国土资源 (history) is left alone."""
    if "等" not in text:
        return
    names = _bare_names()
    for m in _LIST_END.finditer(text):
        lo = m.start()
        while lo > 0 and text[lo - 1] not in "，。；：（“\n,;:(":
            lo -= 1
        items = text[lo:m.start()].split("、")
        if len(items) < 2:
            continue
        at = lo
        for k, item in enumerate(items):
            name = _LIST_LEAD.sub("", item) if k == 0 else item
            start = at + len(item) - len(name)
            if name in names and not (start and text[start - 1] == "原"):
                yield start, start + len(name), names[name]
            at += len(item) + 1


@dataclass(frozen=True)
class FazhiTerm:
    wrong: str
    right: str
    severity: str | None
    source: str


@cache
def fazhi_terms() -> tuple[tuple[FazhiTerm, ...], tuple[str, ...]]:
    data = _load("fixed_terms.yaml")
    terms = tuple(sorted((FazhiTerm(e["wrong"], e["right"], e.get("severity"), e["source"])
                          for e in data["wrong_to_right"]), key=lambda t: -len(t.wrong)))
    legit = tuple(sorted((e["term"] for e in data["legitimate"]), key=len, reverse=True))
    return terms, legit


def find_fazhi(text: str) -> Iterator[tuple[int, int, FazhiTerm]]:
    terms, legit = fazhi_terms()
    protected: list[tuple[int, int]] = []
    for t in legit:
        if t in text:
            protected += [(m.start(), m.end()) for m in re.finditer(re.escape(t), text)]
    taken: list[tuple[int, int]] = []
    for t in terms:
        if t.wrong not in text:
            continue
        for m in re.finditer(re.escape(t.wrong), text):
            s, e = m.start(), m.end()
            if any(ps <= s and e <= pe for ps, pe in protected):
                continue
            if any(s < te and ts < e for ts, te in taken) or _inside_book_title(text, s):
                continue
            taken.append((s, e))
            yield s, e, t


@rule("INS002", "fazhi-collocation", severity="warning",
      summary="固定搭配应用“法治”而写成“法制”（法制氛围、法制政府、法制宣传教育……）")
def fazhi_collocation(ctx: CheckContext) -> Iterator[Hit]:
    """固定搭配中应写“法治”的地方写成了“法制”。

    **作用 What it does**
    按 checker/data/fixed_terms.yaml 查找“法制政府”“法制氛围”“法制宣传教育”“法制意识”
    “法制观念”“法制思维”“法制建设第一责任人”“法制副校长”等搭配（每条注明出处），建议改为
    “法治……”。“重大执法决定法制审核”“法制审核”“法制机构”“法制科/股/处”“法制工作机构”
    “全国人大常委会法制工作委员会”“法制日报”“社会主义法制”等正确用法不报告；单独的“法制建设”
    也不报告。引用文件标题（《》内）时不报告。

    **为什么重要 Why it matters**
    “法治”与“法制”含义不同，现行文件统一使用“法治政府”“法治宣传教育”等表述，写错显得业务
    不熟，也是审核中常被指出的问题。

    **示例 Example**
    努力营造良好的法制氛围。

    **应改为 Use instead**
    努力营造良好的法治氛围。
    """
    text = ctx.text
    for s, e, t in find_fazhi(text):
        yield Hit(s, e, f"“{t.wrong}”应为“{t.right}”（依据：{t.source}）",
                  suggestion=t.right, severity=t.severity)
