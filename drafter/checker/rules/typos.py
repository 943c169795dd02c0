"""TYP — typos: traditional or variant characters in simplified text (found by converting with
OpenCC t2s) and the confusion lexicon (``checker/data/confusions.yaml``: 间题→问题, 部暑→部署,
认真的组织→认真地组织 …).

Only the variant-character fixes carry Edits: replacing 決 with 决 cannot change the meaning,
whereas a confusion pair is a suggestion a person must confirm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Iterator

from drafter.checker.context import CheckContext, per_report
from drafter.checker.finding import Edit, Hit
from drafter.checker.registry import rule
from drafter.text.phrases import PhraseIndex

# Characters OpenCC t2s changes on their own but which 《通用规范汉字表》(2013) keeps as standard
# in names and terms: 乾 (乾坤, personal names), 昇/陞 (personal names), 吒 (哪吒), 噁 (二噁英).
STANDARD_IN_SIMPLIFIED = frozenset("乾昇陞吒噁")
# A paragraph at least this traditional is a quotation in traditional script: one finding for it.
TRADITIONAL_SHARE = 0.2
TRADITIONAL_MIN = 5


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def variant_chars(text: str) -> list[tuple[int, str, str]]:
    """(index, character, simplified form) for each traditional/variant character in ``text``."""
    if text.isascii():
        return []
    conv = _t2s().convert(text)
    if conv == text:
        return []
    pairs: list[tuple[int, str, str]] = []
    if len(conv) == len(text):
        pairs = [(i, a, b) for i, (a, b) in enumerate(zip(text, conv)) if a != b]
    else:  # a phrase conversion changed the length: align the two strings
        from difflib import SequenceMatcher

        for op, i1, i2, j1, j2 in SequenceMatcher(None, text, conv, autojunk=False).get_opcodes():
            if op == "replace" and i2 - i1 == j2 - j1:
                pairs += [(i1 + k, text[i1 + k], conv[j1 + k]) for k in range(i2 - i1)
                          if text[i1 + k] != conv[j1 + k]]
    return [(i, a, b) for i, a, b in pairs if a not in STANDARD_IN_SIMPLIFIED]


def _hanzi_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


@rule("TYP001", "variant-character", severity="warning",
      summary="简体文本中夹有繁体字或异体字（如“決”“後”“裏”）")
def variant_character(ctx: CheckContext) -> Iterator[Hit]:
    """简体中文报告中夹有繁体字、异体字。

    **作用 What it does**
    用 OpenCC（t2s，繁体到简体，按词转换）转换每一段，逐字比较，转换前后不同的字即为繁体或
    异体字，建议改为简体并附上安全修正（`--fix` 会直接替换）。书名号内的文件标题同样检查。
    某段大部分是繁体（引用的繁体原文）时，整段只报告一次。《通用规范汉字表》保留的“乾”
    （乾坤、人名）、“昇”“陞”（人名）、“吒”“噁”不报告。

    **为什么重要 Why it matters**
    繁体字多来自输入法切换或从港澳台网页复制，夹在简体公文中十分显眼，违反《国家通用语言
    文字法》对公文用字的要求。

    **示例 Example**
    进一步完善重大问题法律论证、集体決策、专家咨询制度。

    **应改为 Use instead**
    进一步完善重大问题法律论证、集体决策、专家咨询制度。
    """
    if to_simplified(ctx.text) == ctx.text:
        return  # no entry of OpenCC's spans a line break: no paragraph has anything to convert
    for p in ctx.report.paragraphs:
        found = variant_chars(p.text)
        if not found:
            continue
        hanzi = _hanzi_count(p.text)
        if len(found) >= TRADITIONAL_MIN and len(found) >= TRADITIONAL_SHARE * hanzi:
            i, a, b = found[0]
            yield Hit(p.offset + i, p.offset + i + 1,
                      f"本段是繁体字（{len(found)}处），简体报告应改为简体",
                      suggestion=_t2s().convert(p.text[i:i + 12]) + "……",
                      edits=tuple(Edit(p.offset + j, p.offset + j + 1, s) for j, _, s in found))
            continue
        for i, a, b in found:
            around = p.text[max(0, i - 4):i + 4].replace("\n", "")
            yield Hit(p.offset + i, p.offset + i + 1,
                      f"“{a}”是繁体字或异体字，应为简体“{b}”（“{around}”）",
                      suggestion=b, edits=(Edit(p.offset + i, p.offset + i + 1, b),))


def to_simplified(text: str) -> str:
    """``text`` converted to simplified characters (OpenCC t2s)."""
    return _t2s().convert(text) if not text.isascii() else text


@dataclass(frozen=True)
class Confusion:
    wrong: str
    right: str
    kind: str  # word | de-di | context
    unless_before: tuple[str, ...]  # text right AFTER `wrong` starting with one of these: silent
    unless_after: tuple[str, ...]  # text right BEFORE `wrong` ending with one of these: silent
    only_before: re.Pattern[str] | None  # context entries: the text after must match this
    when: str | None
    source: str


@cache
def confusions() -> tuple[Confusion, ...]:
    """The confusion lexicon (checker/data/confusions.yaml); empty if the file is absent."""
    from drafter.datafiles import load_data

    data = load_data("confusions.yaml") or {}
    out = []
    for e in data.get("entries", []):
        pat = e.get("only_before_pattern")
        out.append(Confusion(str(e["wrong"]), str(e["right"]), e.get("kind", "word"),
                             tuple(e.get("unless_before") or ()),
                             tuple(e.get("unless_after") or ()),
                             re.compile(pat) if pat else None, e.get("when"), e["source"]))
    gen = data.get("de_di_pattern")
    if gen:  # adverbial × verb: "有序的推行" → "有序地推行"
        listed = {c.wrong for c in out}
        for adv in gen["adverbs"]:
            for verb in gen["verbs"]:
                if f"{adv}的{verb}" not in listed:
                    out.append(Confusion(f"{adv}的{verb}", f"{adv}地{verb}", "de-di",
                                         tuple(gen.get("unless_before") or ()),
                                         tuple(gen.get("unless_after") or ()), None, None,
                                         gen["source"]))
    return tuple(out)


@cache
def _confusion_index() -> PhraseIndex:
    return PhraseIndex(c.wrong for c in confusions())


def confusion_hits(text: str) -> list[tuple[int, int, Confusion]]:
    """Every occurrence of every lexicon entry (all kinds) in ``text`` whose context allows it,
    overlaps included, by position (longer entries first, then lexicon order)."""
    entries = confusions()
    hits: list[tuple[int, int, Confusion]] = []
    for start, end, i in _confusion_index().find_all(text):
        c = entries[i]
        after, before = text[end:end + 8], text[max(0, start - 8):start]
        if not (any(after.startswith(x) for x in c.unless_before)
                or any(before.endswith(x) for x in c.unless_after)
                or (c.only_before is not None and not c.only_before.match(after))):
            hits.append((start, end, c))
    return hits


def _of_kinds(hits: list[tuple[int, int, Confusion]],
              kinds: tuple[str, ...]) -> list[tuple[int, int, Confusion]]:
    """The hits of ``kinds``, overlaps going to the earlier, then the longer entry."""
    out: list[tuple[int, int, Confusion]] = []
    for h in hits:
        if h[2].kind not in kinds or (out and h[0] < out[-1][1]):
            continue
        out.append(h)
    return out


def find_confusions(text: str, kinds: tuple[str, ...]) -> list[tuple[int, int, Confusion]]:
    """Occurrences of lexicon entries of ``kinds`` in ``text``; overlaps go to the longer entry."""
    return _of_kinds(confusion_hits(text), kinds)


@per_report
def _report_confusions(ctx: CheckContext) -> list[tuple[int, int, Confusion]]:
    """The lexicon scan of the report, shared by TYP002 and TYP003."""
    return confusion_hits(ctx.text)


@rule("TYP002", "confused-word", severity="warning",
      summary="错别字（如“间题”“部暑”“贯切”“再接再励”）")
def confused_word(ctx: CheckContext) -> Iterator[Hit]:
    """公文中常见的错别字和误用词。

    **作用 What it does**
    按 checker/data/confusions.yaml（每条注明出处，如《现代汉语词典》）查找常见错别字：
    “间题”（问题）、“部暑”（部署）、“贯切”（贯彻）、“再接再励”（再接再厉）等；以及只在特定语境
    下才算错的用法，如后接时间的“截止2023年底”（截至）。每条词目带有排除条件（如“间题”后接
    “材”“库”不报告），避免误报正常词语。只给出建议，不自动修改。

    **为什么重要 Why it matters**
    错别字是报告审核中最容易被发现、也最影响观感的问题。

    **示例 Example**
    进一步完善重大间题法律论证制度，按照安排部暑开展工作。

    **应改为 Use instead**
    进一步完善重大问题法律论证制度，按照安排部署开展工作。
    """
    for s, e, c in _of_kinds(_report_confusions(ctx), ("word", "context")):
        msg = f"“{c.wrong}”疑为错别字，应为“{c.right}”"
        if c.kind == "context" and c.when:
            msg += f"（{c.when}）"
        yield Hit(s, e, msg, suggestion=c.right)


@rule("TYP003", "de-instead-of-di", severity="warning",
      summary="状语后误用“的”，应为“地”（如“认真的组织”）")
def de_instead_of_di(ctx: CheckContext) -> Iterator[Hit]:
    """修饰动词的状语后面用了“的”，应该用“地”。

    **作用 What it does**
    按 checker/data/confusions.yaml 中 de-di 类词目和通用搭配（de_di_pattern：常见状语“认真、
    积极、有序……”×常见动词“推行、推进、开展……”）查找“认真的组织”“有序的推行”“扎实的开展”
    这类“形容词/副词 + 的 + 动词”的写法，建议改为“地”。词表之外，还按状语的形式查找
    （de_di_generalized）：“××性”“××化”（系统性的梳理、常态化的开展）、“高/严+标准、质量、
    效率……”（高标准的推动）和顿号连接的并列状语（依法、审慎的适用；分类、精准的实施），其后
    是带宾语的动词时报告（用结巴分词判断动词之后是否还有宾语；宾语用“对、把”提前、动词在分句
    末尾时也报告：对排查出的纠纷精准、高效的化解）。后面是名词性成分时（“得到
    及时的处理”“有效的化解机制”“高标准的实施方案”）或动词前有“进行、实现”等使其名词化的
    词（进行系统性的梳理）时不报告。只给出建议，不自动修改。

    **为什么重要 Why it matters**
    《现代汉语词典》：“地”用在状语后，“的”用在定语后。“的”“地”不分是公文校对的常见问题。

    **示例 Example**
    按照计划要求认真的组织学习。

    **应改为 Use instead**
    按照计划要求认真地组织学习。
    """
    from drafter.checker.dedi import de_for_di

    text = ctx.text
    taken: list[tuple[int, int]] = []
    for s, e, c in _of_kinds(_report_confusions(ctx), ("de-di",)):
        taken.append((s, e))
        yield Hit(s, e, f"“{c.wrong}”中修饰动词的状语后应用“地”：“{c.right}”", suggestion=c.right)
    for d in de_for_di(text):
        if any(a <= d.at < b for a, b in taken):
            continue
        wrong = text[d.start:d.end]
        right = wrong[:d.at - d.start] + "地" + wrong[d.at - d.start + 1:]
        yield Hit(d.start, d.end, f"“{wrong}”中“{d.adverbial}”修饰动词“{d.verb}”，状语后应用“地”："
                  f"“{right}”", suggestion=right)


_TITLE_SPAN = re.compile(r"《[^《》\n]*(?:《[^《》\n]*》[^《》\n]*)*》")


@rule("TYP004", "near-miss-phrase", severity="warning",
      summary="固定用语中有一个音近或形近的错字（如“全面推荐依法行政”“规范行文件”“营商环竟”）")
def near_miss_phrase(ctx: CheckContext) -> Iterator[Hit]:
    """固定用语中有一个字写成了音近或形近的字。

    **作用 What it does**
    把正文与本类报告的已知用语逐一比对：纲要、督察规定等文件的用语和公文常用搭配
    （checker/data/phrases.yaml，逐组注明出处）、从本项目的干净报告中统计出的常用搭配
    （phrases_mined.txt）、法规名称和简称、现行机构名称、固定术语和错别字词库的正确写法。
    某处文字与一个已知用语只差一个字，且两字读音相同或相近（pypinyin：同音，或声母相同、
    韵母只差一个字母，如 jin/jian）或字形相近（四角号码相同，见 data/four_corner.txt），
    而这处文字本身又不是已知用语时，提示疑为错字并给出正确用语。三个字的用语（多方面、
    全方位）须整体不成词时才报告；“的/地/得”（TYP003）、“法制/法治”（INS002）、“作/做”不在此列；书名号内的文件名称由
    LAW 规则核对；错别字词库已收录的错字（“部暑”）由 TYP002 报告，这里不再重复。只给出建议，不自动修改。

    **为什么重要 Why it matters**
    输入法选错同音字是报告中最常见的错别字来源，错在“依法行政”“合法性审查”这类人人熟悉的
    用语里尤其显眼；错别字词库只能收录见过的写法，这条规则按已知用语找出没见过的错字。

    **示例 Example**
    全面推荐依法行政，对拟出台的文件全部进行合法性审察。

    **应改为 Use instead**
    全面推进依法行政，对拟出台的文件全部进行合法性审查。

    **修正 Fix safety**
    不自动修改：读音或字形相近的字也可能是作者本意（另一个词），须人工确认。

    **参考 References**
    已知用语及出处见 checker/data/phrases.yaml；常用搭配由 ``python -m evaluations.mine_phrases``
    从本项目的干净报告中统计（六字以上的搭配用于查找，较短的只作为已知用语）；字形相近按
    四角号码（data/four_corner.txt 文件头注明出处）。
    """
    from drafter.checker.nearmiss import near_misses

    text = ctx.text
    # Running text only: not the 成文日期, not a 《》 title (the LAW rules check titles).
    skip = [(p.offset, p.end) for p in ctx.report.paragraphs if p.role in ("blank", "date")]
    skip += [m.span() for m in _TITLE_SPAN.finditer(text)]
    # A slip the confusion lexicon names (TYP002: 部暑) is reported there, once.
    listed = [(a, b) for a, b, _ in _of_kinds(_report_confusions(ctx), ("word", "context"))]
    for nm in near_misses(text):
        if any(a < nm.end and nm.start < b for a, b in skip):
            continue
        at = nm.start + nm.index
        if any(a <= at < b for a, b in listed):
            continue
        yield Hit(nm.start, nm.end,
                  f"“{nm.written}”疑为“{nm.phrase}”之误（“{nm.wrong}”与“{nm.right}”"
                  f"{_alike(nm.wrong, nm.right)}）", suggestion=nm.phrase)


def _alike(a: str, b: str) -> str:
    from drafter.text.segment import same_sound, similar_sound
    from drafter.text.shapes import look_alike

    if look_alike(a, b) and same_sound(a, b):
        return "音同形近"
    if look_alike(a, b):
        return "形近"
    return "同音" if same_sound(a, b) else "音近" if similar_sound(a, b) else "相近"
