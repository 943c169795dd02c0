"""The elements around a report's sections, in the forms reports take (REPORT-RULES.md §2
"Submitted vs published"): the title, 主送机关, 署名 and 成文日期 of a report as submitted; the
unit and date printed under the title of a report as published; and a cover letter (报送函:
title, 文号, 主送, a sentence or two, 署名, 日期) before the report.

:func:`read_front` finds them in the paragraphs before the first heading, so every rule sees
each element wherever the form puts it (a date under the title, or the cover letter's date,
is still the 成文日期 for the deadline rules). :func:`decide_form` says which form the text
shows and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drafter.report.model import CoverLetter, Paragraph

# The 成文日期 line, also in its malformed forms (23年3月16日, 2023.3.16, 2023-03-16,
# 2023/3/16, 二〇二三年三月十六日): the line is still the date line; DAT003 reports the form.
# A date printed under the title of a published report is in brackets: "（2024年1月31日）".
_DATE_BODY = (
    r"(?:(?P<y>[0-9０-９]{4}|[0-9０-９]{2}|[〇零一二三四五六七八九○Ｏ]{4})\s*年\s*"
    r"(?P<m>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]"
    r"|[0-9０-９]{2}(?:[0-9０-９]{2})?(?P<sep>[.\-/．])[0-9０-９]{1,2}(?P=sep)[0-9０-９]{1,2}[日号]?)")
DATE_RE = re.compile(rf"^\s*{_DATE_BODY}\s*$")
BRACKETED_DATE_RE = re.compile(rf"^\s*[（(]\s*{_DATE_BODY}\s*[）)]\s*$")
# 发文字号: 机关代字〔年份〕序号号 (GB/T 9704 7.2.4); wrong brackets are still a 文号 line
# (FMT rules report them), and so is a number left as a placeholder (〔2026〕XX号: PH001's).
DOC_NUMBER_RE = re.compile(
    r"^\s*[\u4e00-\u9fff]{1,12}\s*[〔\[【(（［]\s*(?:19|20)\d\d\s*[〕\]】)）］]\s*第?\s*(?:\d{1,4}|[XxＸｘ×]{1,4})\s*号\s*$")
_UNIT_SUFFIX = re.compile(
    r"(?:局|政府|委员会|办公室|中心|办事处|厅|委|院|部|会|所|队|站|处|科|公司|集团|党组|管委会|街道)$")
_RECIPIENT_END = re.compile(r"[：:]\s*$")
_RECIPIENT_PART = re.compile(
    r"(?:政府|党委|[市县区州省]委|委员会|人大常委会|局|厅|办|委|部|院|室|组|处|中心|单位|部门|街道|镇|乡)$")
# A cover letter's title: 关于报送……的报告 / ……的函 / 报送……的报告.
_COVER_TITLE = re.compile(r"报送|呈报|上报|的函$|函$")
# 附件, the attachment label (GB/T 9704-2012 7.3.4 and 7.3.7): "附件：" opens the 附件说明
# under the text (ATTACHMENT_NOTE), "附件" or "附件1" heads an attachment itself.
_ATTACHMENT_WORD = r"附\s*件"
_ATTACHMENT = re.compile(rf"^\s*{_ATTACHMENT_WORD}\s*\d*\s*[：:]?")
ATTACHMENT_NOTE = re.compile(rf"^\s*{_ATTACHMENT_WORD}\s*[：:]")


def is_date_line(p: Paragraph) -> bool:
    """A line that is a date only, bare or in brackets."""
    return bool(DATE_RE.match(p.text) or BRACKETED_DATE_RE.match(p.text))


def looks_like_title(p: Paragraph, is_heading: bool = False) -> bool:
    t = p.text.strip()
    return (len(t) <= 60 and not t.endswith(tuple("。，；：:;,")) and not is_heading
            and ("报告" in t or "情况" in t))


def looks_like_recipient(p: Paragraph) -> bool:
    t = p.text.strip()
    if not _RECIPIENT_END.search(t) or len(t) > 80 or "。" in t or "如下" in t:
        return False
    parts = [x.strip() for x in re.split(r"[、，,；;]", t.rstrip("：: ")) if x.strip()]
    return bool(parts) and all(len(x) <= 30 for x in parts) and any(
        _RECIPIENT_PART.search(x) for x in parts)


def recipients_of(p: Paragraph) -> list[str]:
    return [r for r in re.split(r"[、，,；;]", p.text.strip().rstrip("：:")) if r.strip()]


def looks_like_signature(p: Paragraph) -> bool:
    t = p.text.strip()
    return (len(t) <= 40 and not t.endswith(tuple("。；;，,：:")) and "。" not in t
            and bool(_UNIT_SUFFIX.search(t)))


def looks_like_note(p: Paragraph) -> bool:
    t = p.text.strip()
    return bool(re.fullmatch(r"[（(][^）)]{1,20}[）)]", t)) and ("公开" in t or "发布" in t)


# What may follow the 成文日期 and its 附注 without being the report: attachments (附件1…,
# GB/T 9704-2012 7.3.7), the 版记 (抄送：…, "××办公室 2025年2月10日印发", 7.4), and a web
# page's footer (【打印本页】【关闭窗口】).
_AFTER_DATE = re.compile(
    rf"^\s*(?:{_ATTACHMENT_WORD}\s*\d*\s*(?:[：:].*)?$|抄\s*送\s*[：:]"
    r"|.{0,30}\d{4}\s*年.{0,10}印\s*发\s*$"
    r"|[【\[]?(?:打印本页|打印此页|关闭窗口|返回顶部|打印|关闭)[】\]]?(?:\s*[【\[]?(?:打印本页|打印此页|关闭窗口"
    r"|返回顶部|打印|关闭|收藏|分享)[】\]]?)*\s*$)")


def starts_after_date(p: Paragraph) -> bool:
    """Whether ``p`` begins what follows a report's 成文日期 (attachments, 版记, web footer)."""
    return bool(_AFTER_DATE.match(p.text))


def is_doc_number(p: Paragraph) -> bool:
    return bool(DOC_NUMBER_RE.match(p.text))


@dataclass
class Front:
    """What :func:`read_front` found before the first heading. ``rest`` are the paragraphs
    left for the lead."""

    cover: CoverLetter | None = None
    title: list[Paragraph] = field(default_factory=list)
    doc_number: Paragraph | None = None
    recipient: Paragraph | None = None
    signature: Paragraph | None = None  # the unit under the title
    date: Paragraph | None = None  # the date under the title
    rest: list[Paragraph] = field(default_factory=list)


def find_cover_letter(front: list[Paragraph]) -> tuple[CoverLetter, int] | None:
    """A cover letter at the start of ``front`` (the paragraphs before the first heading) and
    the index where the report itself starts (its title), or None.

    A cover letter is recognised by its shape, not its words: a title (under its 发文字号, GB/T
    9704-2012 7.2.4), then within a few lines a date line — and its 附注 such as （此件公开发布）
    (7.3.6) — followed by the report's own title; and between the title and the date a 文号 or
    a 主送机关 line, so an ordinary report with a date under its title is not taken for one."""
    s = 1 if front and is_doc_number(front[0]) else 0  # the 文号 above the letter's title
    if len(front) < s + 4 or not (looks_like_title(front[s]) or _COVER_TITLE.search(front[s].text)):
        return None
    for d in range(s + 2, min(len(front) - 1, s + 12)):
        if not DATE_RE.match(front[d].text):
            continue
        t = d + 1
        while t < len(front) and looks_like_note(front[t]):
            t += 1  # the letter's 附注 under its date: （此件公开发布）
        if t < len(front) and _ATTACHMENT.match(front[t].text) and len(front[t].text.strip()) <= 6:
            t += 1  # "附件" on a line of its own before the report's title
        if t >= len(front) or not looks_like_title(front[t]):
            return None
        inner = front[s + 1:d]
        doc = front[0] if s else next((p for p in inner[:2] if is_doc_number(p)), None)
        rec = next((p for p in inner if looks_like_recipient(p)), None)
        if doc is None and rec is None:
            return None
        sig = front[d - 1] if looks_like_signature(front[d - 1]) and front[d - 1] is not rec else None
        cover = CoverLetter(paragraphs=front[:t], title=front[s], doc_number=doc, recipient=rec,
                            recipients=recipients_of(rec) if rec is not None else [],
                            signature=sig, date=front[d])
        return cover, t
    return None


def _masthead(p: Paragraph, nxt: Paragraph) -> bool:
    """Whether ``p`` is the 版头 above a document (GB/T 9704-2012 7.2.3: "××人民政府文件"), or
    the unit's name as a letterhead right above a 发文字号."""
    t = p.text.strip()
    if len(t) > 30 or not re.fullmatch(r"[\u4e00-\u9fff（）()]{2,30}", t):
        return False
    return t.endswith("文件") or (bool(_UNIT_SUFFIX.search(t)) and is_doc_number(nxt))


def _title_first_line(p: Paragraph, nxt: Paragraph) -> bool:
    """Whether ``p`` is the first line of a title laid out on two (GB/T 9704-2012 7.3.1: a long
    title in two or more lines): the unit's name, or the title up to its 关于…年度, with the
    rest of the title ("关于……的报告", "2024年度法治政府建设情况报告", "法治政府建设情况的报告")
    on the next line."""
    t, n = p.text.strip(), nxt.text.strip()
    if looks_like_title(p) or not looks_like_title(nxt) or not n.endswith("报告") or len(t) > 40:
        return False
    if t.endswith(tuple("。，；：:;,、）)")) or t.endswith("文件") or DATE_RE.match(t):
        return False  # a sentence, a 版头 (××人民政府文件), a date
    return bool(_UNIT_SUFFIX.search(t)) or "关于" in t


def read_front(front: list[Paragraph]) -> Front:
    """The cover letter, title, elements under the title and 主送机关 of the paragraphs before
    the first heading (see the module docstring); roles are set on the paragraphs."""
    out = Front()
    if len(front) > 2 and _masthead(front[0], front[1]):
        front[0].role = "masthead"
        front = front[1:]
    found = find_cover_letter(front)
    i = 0
    if found is not None:
        out.cover, i = found
        for p in out.cover.paragraphs:
            p.role = "cover"
        out.doc_number = out.cover.doc_number
    elif len(front) > 1 and is_doc_number(front[0]) and (
            looks_like_title(front[1]) or (len(front) > 2 and _title_first_line(front[1], front[2]))):
        # 发文字号 above the title (GB/T 9704-2012 7.2.4: a report the unit itself issues).
        out.doc_number = front[0]
        front[0].role = "doc_number"
        i = 1
    if i + 1 < len(front) and _title_first_line(front[i], front[i + 1]):
        out.title += front[i:i + 2]  # "青山区城市管理综合行政执法局⏎关于2024年度……的报告"
        i += 2
    elif i < len(front) and looks_like_title(front[i]):
        out.title.append(front[i])
        i += 1
        # A title wrapped over two lines: the second line finishes it.
        if (i < len(front) and looks_like_title(front[i]) and not out.title[0].text.rstrip()
                .endswith("报告") and front[i].text.strip().endswith("报告")):
            out.title.append(front[i])
            i += 1
    if out.title:
        for p in out.title:
            p.role = "title"
        # Under the title of a published report: a 文号, the unit and/or the date.
        for _ in range(3):
            if i >= len(front):
                break
            p = front[i]
            if out.doc_number is None and is_doc_number(p):
                out.doc_number = p
                p.role = "doc_number"
            elif out.date is None and is_date_line(p):
                out.date = p
                p.role = "date"
            elif (out.signature is None and out.date is None and looks_like_signature(p)
                  and i + 1 < len(front) and is_date_line(front[i + 1])):
                out.signature = p
                p.role = "signature"
            else:
                break
            i += 1
    if i < len(front) and looks_like_recipient(front[i]):
        out.recipient = front[i]
        front[i].role = "recipient"
        i += 1
    out.rest = front[i:]
    return out


def decide_form(cover: CoverLetter | None, recipient: Paragraph | None,
                under_title: bool) -> tuple[str, list[str]]:
    """``submitted`` or ``published``, with the reasons (Chinese) for ``published``."""
    reasons = []
    if cover is not None:
        what = "、".join(n for n, p in (("文号", cover.doc_number), ("主送机关", cover.recipient),
                                       ("署名", cover.signature), ("日期", cover.date)) if p)
        reasons.append(f"报告前有报送函（{what}）" if what else "报告前有报送函")
    if under_title:
        reasons.append("标题下署有单位或日期")
    if recipient is None and (cover is None or cover.recipient is None):
        reasons.append("没有主送机关")
    return ("published" if reasons else "submitted"), reasons
