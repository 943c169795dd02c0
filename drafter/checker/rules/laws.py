"""LAW — law and document titles: 《》 titles checked against the law lexicon (laws.yaml).

Every 《…》 that looks like a law, regulation, Party rule or policy document is looked up in
``data/laws.yaml`` (see :mod:`drafter.text.laws`): known titles and accepted short names
pass; known mis-namings, distorted year ranges and one-character slips of a known title are
errors (LAW001), and so are a word of up to two characters inserted or dropped and 法/条例
swapped (see :func:`drafter.text.laws.near_slip`); a repealed document cited as current is a warning (LAW002); a document title
the lexicon does not know is reported once as unverified (LAW003, info — local documents are
legitimate). Mis-named systems (依法行政公示制度) are LAW004.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from drafter.checker.context import CheckContext, per_report
from drafter.checker.finding import Edit, Hit
from drafter.checker.registry import rule
from drafter.text.laws import LawLexicon, Match, law_lexicon, law_lexicon_with, punct_key
from drafter.text.titles import BookTitle, book_titles
from drafter.report import Report

# Endings of document titles (after bracketed qualifiers such as （试行） are removed).
DOC_SUFFIX = re.compile(
    r"(?:法|法典|条例|规定|办法|细则|纲要|规划|意见|决定|决议|通知|方案|准则|规则|解释|计划|"
    r"要点|章程|守则|制度|措施|清单|指引|指南|通告|公告|批复|规范|规程|纪要)$")
# Titles of books, papers, lecture series, contracts: not citations of a document.
NOT_A_DOCUMENT = re.compile(r"讲座|系列|读本|日报|晚报|杂志|手册|汇编|选编|文选|教材|丛书|专栏|"
                            r"栏目|合同|协议|答问|问答|解读")
# Signs that a title is a local or departmental document (not in a national lexicon).
LOCAL_SIGNS = re.compile(r"[省市县区州旗盟镇乡]|街道|局|委员会|办公室|中共.{1,12}委|关于印发|"
                         r"关于转发|本单位|我局|我委")
_QUALIFIER = re.compile(r"[（(][^（）()]{1,12}[)）]$")
# Words near a citation that show it is mentioned as past or replaced, not cited as current:
# "原《信访条例》", "取代《…》", "《信访条例》已废止", "《…》同时失效".
HISTORIC_BEFORE = re.compile(r"(?:原|旧|原有)$|废止|失效|取代|替代|代替|修订前|修改前")
HISTORIC_AFTER = re.compile(r"^[^，。；]{0,12}?(?:废止|失效|取代|替代|代替|修订前|修改前)")


@dataclass(frozen=True)
class Citation:
    """One title to check: the span to quote and the title text (nested marks included)."""

    start: int
    end: int
    title: str
    outer: BookTitle
    nested: bool


def looks_like_document(title: str) -> bool:
    """Whether a 《》 title names a law/regulation/policy document (by its ending), rather
    than a book, paper, lecture series or contract."""
    t = punct_key(title)
    if NOT_A_DOCUMENT.search(t):
        return False
    while (m := _QUALIFIER.search(t)) and m.start() > 0:
        t = t[:m.start()]
    return bool(DOC_SUFFIX.search(t))


def citations(report: Report) -> list[Citation]:
    """Every 《》 title of the report and the titles nested in them, in text order."""
    out: list[Citation] = []
    for p in report.paragraphs:
        if "《" not in p.text:
            continue
        for bt in book_titles(p.text, p.offset):
            out.append(Citation(bt.start, bt.end, bt.title, bt, False))
            for nb in bt.nested:
                out.append(Citation(nb.start, nb.end, nb.title, bt, True))
    return out


def lexicon(ctx: CheckContext) -> LawLexicon:
    """The national lexicon, plus the local titles of the drafter.toml when one is given."""
    cfg = getattr(ctx.options, "config", None)
    local = cfg.local.titles if cfg is not None else ()
    return law_lexicon_with(local) if local else law_lexicon()


@per_report
def _matches(ctx: CheckContext) -> list[tuple[Citation, Match | None]]:
    lex = lexicon(ctx)
    return [(c, lex.match(c.title)) for c in citations(ctx.report)]


def _sentence_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The parts of the sentence before ``start`` and after ``end``."""
    i = start
    while i > 0 and text[i - 1] not in "。；！？\n":
        i -= 1
    j = end
    while j < len(text) and text[j] not in "。；！？\n":
        j += 1
    return text[i:start], text[end:j]


def merged_titles(lex: LawLexicon, title: str) -> list[str]:
    """The known titles a 《》 holds between 、 (《中华人民共和国民法典、土地管理法》), when every
    part is one; else nothing."""
    if "、" not in title:
        return []
    parts = [p.strip() for p in title.split("、")]
    ok = all(p and (m := lex.match(p)) is not None and m.how == "exact" for p in parts)
    return parts if ok else []


def other_document(title: str, m: Match) -> bool:
    """Whether a one-character replacement more likely names another document than a slip:
    the characters do not sound alike (a slip from the IME list does: 条列/条例, 法治/法制)
    and the written character makes a word with a neighbour (林业 for 农业; 坏境 for 环境 is
    no word, so a slip) — except between two national laws (《中华人民共和国…法》): their
    names are a closed set the lexicon holds, so one character off one of them is a slip
    (《…突发事件应急法》 for 应对法), reported as a warning (:func:`_national_slip`)."""
    return _word_replaced(title, m) and not _national_slip(title, m)


_NATIONAL_LAW = re.compile(r"中华人民共和国\S{1,20}法")


def _national_slip(title: str, m: Match) -> bool:
    return bool(_NATIONAL_LAW.fullmatch(punct_key(title)) and _NATIONAL_LAW.fullmatch(m.right))


def _word_replaced(title: str, m: Match) -> bool:
    """One character replaced by one that does not sound alike and makes a word with a
    neighbour (see :func:`other_document`)."""
    from drafter.text import segment

    if m.how != "fuzzy" or m.ops != ("replace",):
        return False
    wrong, right = m.changed
    if segment.same_sound(wrong, right):
        return False
    t = punct_key(title)
    i = t.find(wrong)
    pairs = [t[max(0, i - 1):i + 1], t[i:i + 2]] if i >= 0 else []
    return any(len(w) == 2 and segment.has_word(w) for w in pairs)


@rule("LAW001", "unknown-law-title", severity="error",
      summary="法规、文件名称写错（与已知名称相差一两字、年份区间不全、已知误称）")
def unknown_law_title(ctx: CheckContext) -> Iterator[Hit]:
    """引用的法规或文件名称与已知名称接近但不一致。

    **作用 What it does**
    把每个《》中的名称（含〈〉内嵌名称）与法规词库（laws.yaml）比对：名称或公认简称一致的通过；
    命中已知误称（《政府信息化公开条例》《重大行政决策程序条例》）、年份区间不完整
    （《法治政府建设实施纲要(2021-2025)》缺“年”）、把“法治”写成“法制”，或与已知名称只差一个字
    （多字、漏字、错字）、多出或漏掉一个两字以内的词（《信访工作管理条例》《法治政府实施纲要》）、
    较长的名称中漏掉连续几个字（《法治政府建设督察工作规定》漏“与责任落实”，至多6个字）或多出
    连续几个字（至多4个字），
    或只把“法”“条例”写反（《行政复议条例》）时报错，并给出正确名称。只差标点（半角括号、连字符）的交给 FMT 规则。
    错字如果读音不同且本身能组成词（《林业行政处罚程序规定》与《农业行政处罚程序规定》），
    可能是另一份文件，由 LAW003 提示核对；但国家法律（《中华人民共和国……法》）的名称是封闭的
    一组，词库已收录，与其中之一只差这样一个字（《中华人民共和国突发事件应急法》）仍按误写
    报告，级别为警告（词库可能尚未收录新近通过的法律）。
    一对书名号内用顿号写了两个以上已知名称（《中华人民共和国民法典、土地管理法》）时，提示各用
    一对书名号。

    **为什么重要 Why it matters**
    法规名称写错是审核中最显眼的硬伤，会让人怀疑报告所述工作的依据是否准确。

    **示例 Example**
    组织干部职工学习《政府信息化公开条例》，主动公开政府信息。

    **应改为 Use instead**
    组织干部职工学习《中华人民共和国政府信息公开条例》，主动公开政府信息。
    """
    lex = lexicon(ctx)
    for c, m in _matches(ctx):
        if m is None and (parts := merged_titles(lex, c.title)):
            yield Hit(c.start, c.end, f"一对书名号内写了{len(parts)}个名称，应各用一对书名号",
                      suggestion="".join(f"《{p}》" for p in parts))
            continue
        if m is None or m.how == "exact":
            continue
        right = f"《{m.right}》" if not c.nested else f"〈{m.right}〉"
        edits = None
        if m.how == "misnamed":
            msg = f"名称有误：应为{right}"
            edits = (Edit(c.start + 1, c.end - 1, m.right),)
        elif m.how == "year-range":
            msg = f"名称中的年份区间不完整或有误：应为{right}"
            edits = (Edit(c.start + 1, c.end - 1, m.right),)
        elif other_document(c.title, m):
            continue  # reported by LAW003 as unverified, with the near title
        else:
            wrong, ok = m.changed
            if m.ops == ("kind",):
                msg = f"名称与{right}只差文件类别（“{wrong}”疑为“{ok}”之误），疑为误写"
                if wrong == "条例":
                    msg += "；如指已被该法取代的旧条例，应改引现行法律"
            elif len(m.ops) > 2:
                what = f"多了“{wrong}”" if m.ops[0] == "insert" else f"漏了“{ok}”"
                msg = f"名称与{right}相比{what}（{len(m.ops)}个字），疑为误写"
            elif len(m.ops) > 1:
                what = f"多了“{wrong}”" if m.ops[0] == "insert" else f"少了“{ok}”"
                msg = f"名称与{right}相差一词（{what}），疑为误写"
            else:
                what = {"insert": "多了一个字", "delete": "少了一个字",
                        "replace": f"“{wrong}”疑为“{ok}”之误"}.get(m.ops[0], "有误")
                msg = f"名称与{right}只差一字（{what}），疑为误写"
        # A national law whose slip makes a word: a warning (the lexicon may lack a new law).
        yield Hit(c.start, c.end, msg, suggestion=right, edits=edits,
                  severity="warning" if _word_replaced(c.title, m) else None)


@rule("LAW002", "repealed-law-cited", severity="warning",
      summary="引用已废止或已被取代的法规、文件作为现行依据")
def repealed_law_cited(ctx: CheckContext) -> Iterator[Hit]:
    """把已经废止或被取代的法规、文件当作现行依据引用。

    **作用 What it does**
    词库中标为已废止（status: repealed）的文件，在废止当年及以后年度的报告中被引用、且上下文
    没有“原”“废止”“取代”等说明时给出警告，并给出替代它的文件。报告年度取自标题、导语或
    成文日期；无法确定年度时只作提示。

    **为什么重要 Why it matters**
    《信访条例》已于2022年5月1日被《信访工作条例》取代；以废止文件为依据说明工作依据陈旧，
    也会被督察指出。

    **示例 Example**
    （2023年度报告）严格按照《信访条例》规定办理信访事项。

    **应改为 Use instead**
    严格按照《信访工作条例》规定办理信访事项。
    """
    year = ctx.reporting_year[0] if ctx.reporting_year else None
    text = ctx.text
    for c, m in _matches(ctx):
        if m is None or m.how != "exact" or m.entry is None or not m.entry.repealed:
            continue
        e = m.entry
        before, after = _sentence_around(text, c.start, c.end)
        repl = f"《{e.replaced_by}》" if e.replaced_by else None
        # "原《信访条例》", "《信访条例》已废止", "由《信访条例》转为《信访工作条例》": not cited as current.
        if HISTORIC_BEFORE.search(before[-12:]) or HISTORIC_AFTER.search(after) or \
                (e.replaced_by and e.replaced_by in before + after):
            continue
        when = f"已于{e.repealed_on.year}年{e.repealed_on.month}月{e.repealed_on.day}日废止" \
            if e.repealed_on else "已废止或被取代"
        instead = f"，应引用{repl}" if repl else ""
        if year is None:
            yield Hit(c.start, c.end, f"《{e.title}》{when}{instead}（未能确定报告年度）",
                      suggestion=repl, severity="info")
        elif e.repealed_on is None or year >= e.repealed_on.year:
            yield Hit(c.start, c.end, f"《{e.title}》{when}，{year}年度报告不宜作为现行依据引用"
                      f"{instead}", suggestion=repl)


@rule("LAW003", "unverified-law-title", severity="info",
      summary="文件名称不在法规词库中，未能核实（地方、部门文件可忽略）")
def unverified_law_title(ctx: CheckContext) -> Iterator[Hit]:
    """《》中的文件名称不在法规词库中，无法核实。

    **作用 What it does**
    名称以“法、条例、规定、办法、意见、通知、方案、要点……”结尾、看起来是法规或文件，但词库中
    没有、也不与任何已知名称相近时，每个名称提示一次。书名、报刊、讲座、合同等不提示。
    与已知名称只差一个读音不同、又能自成词语的字时（《林业行政处罚程序规定》与
    《农业行政处罚程序规定》），可能是另一份文件，也在此提示核对。
    印发、转发已知文件的通知（《关于印发〈……〉的通知》）视为已知。

    **为什么重要 Why it matters**
    地方和部门文件数量众多，词库无法收全；提示审核人员对照原文核对名称，而不是判定为错误。

    本地的法规和文件名称可写入配置文件 drafter.toml 的 ``[[titles]]``（见 docs/config.md），
    写入后即作为已知名称核对：引用其旧名称或写错一两个字、文件类别（方案/纲要）时由 LAW001 报告。

    **示例 Example**
    按照《示例省法治政府建设年度报告工作规定》按时报送年度报告。

    **应改为 Use instead**
    核对文件的正式名称和文号；确认无误可忽略本提示。
    """
    lex = lexicon(ctx)
    matched = _matches(ctx)
    known_outer = {id(c.outer) for c, m in matched
                   if c.nested and m is not None and not other_document(c.title, m)}
    seen: set[str] = set()
    for c, m in matched:
        if m is not None and other_document(c.title, m):
            yield Hit(c.start, c.end, f"文件名称未能在法规词库中核实；与《{m.right}》只差一字"
                      f"（“{m.changed[0]}”/“{m.changed[1]}”），请核对是否写错",
                      suggestion=f"《{m.right}》")
            continue
        if m is not None or c.nested or id(c.outer) in known_outer or merged_titles(lex, c.title):
            continue  # (two known titles in one 《》: LAW001's)
        key = punct_key(c.title)
        if key in seen or not looks_like_document(c.title):
            continue
        seen.add(key)
        if any(lex.is_known(n.title) for n in c.outer.nested):
            continue
        kind = "地方或部门文件，" if LOCAL_SIGNS.search(key) else ""
        yield Hit(c.start, c.end, f"文件名称未能在法规词库中核实（{kind}请对照原文核对名称）")


@rule("LAW004", "misnamed-system", severity="warning",
      summary="制度名称写错（如“依法行政公示制度”应为“行政执法公示制度”）")
def misnamed_system(ctx: CheckContext) -> Iterator[Hit]:
    """法定制度的名称写错。

    **作用 What it does**
    在全文中查找词库 misnamed_systems 中记录的制度误称（如“依法行政公示制度”），给出正式名称。

    **为什么重要 Why it matters**
    行政执法“三项制度”（行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度）有
    国办发〔2018〕118号确定的正式名称，写错说明对制度理解不准确。

    **示例 Example**
    全面推行依法行政公示制度，及时公开执法信息。

    **应改为 Use instead**
    全面推行行政执法公示制度，及时公开执法信息。
    """
    for i, m in lexicon(ctx).system(ctx.text):
        yield Hit(i, i + len(m.wrong), f"制度名称有误：“{m.wrong}”应为“{m.right}”",
                  suggestion=m.right)
