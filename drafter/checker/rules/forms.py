"""STR — the elements around the sections (标题, 主送机关, 署名, 成文日期) in the form the report
takes: as submitted (a 公文) or as published (no 主送机关, unit and date under the title, a
cover letter before it). See REPORT-RULES.md §2 "Submitted vs published" and
:mod:`drafter.report.forms`.

``--form auto`` (the default) checks a report in the form its text shows (``Report.form``)
and says so in STR014 when that is the published form; ``--form submitted|published``
decides it.
"""

from __future__ import annotations

from typing import Iterator

from drafter.checker.context import CheckContext
from drafter.checker.finding import Hit
from drafter.checker.registry import rule
from drafter.report import Report

FORM_NAMES = {"submitted": "报送稿", "published": "公开稿"}
PLACE_NAMES = {"under-title": "标题下", "cover": "报送函", "end": "文末"}


def check_form(ctx: CheckContext) -> str:
    """The form the report is checked as: the one ``--form`` names, else the one its text
    shows."""
    form = getattr(ctx.options, "form", "auto") or "auto"
    return ctx.report.form if form == "auto" else form


def _front_anchor(report: Report) -> int:
    return report.paragraphs[0].offset if report.paragraphs else 0


def _end_anchor(report: Report) -> int:
    last = [p for p in report.paragraphs if p.text.strip()]
    return last[-1].end if last else 0


@rule("STR008", "missing-title", severity="error", summary="缺少标题")
def missing_title(ctx: CheckContext) -> Iterator[Hit]:
    """报告没有标题。

    **作用 What it does**
    第一段不是标题（不含“报告”等字样、以标点结尾或就是主送机关）时报错。报告前有报送函时，
    看报送函之后的报告标题。

    **为什么重要 Why it matters**
    GB/T 9704 要求公文有标题；年度报告的标题一般为“××关于××年度法治政府建设情况的报告”。

    **示例 Example**
    报告第一行就是“市人民政府：”。

    **应改为 Use instead**
    在首行加标题：示例市科学技术和工业信息化局关于2023年度法治政府建设情况的报告
    """
    r = ctx.report
    if r.title is None and r.paragraphs:
        at = next((p.offset for p in r.paragraphs if p.text.strip() and p.role != "cover"), 0)
        yield Hit(at, at, "报告缺少标题",
                  suggestion="在首行加标题，如“××关于××年度法治政府建设情况的报告”")


@rule("STR009", "missing-recipient", severity="error", summary="报送稿缺少主送机关")
def missing_recipient(ctx: CheckContext) -> Iterator[Hit]:
    """报送稿没有主送机关。

    **作用 What it does**
    报送稿（标题、主送机关、正文、署名、成文日期）的标题之后、报告前的报送函中都没有以冒号
    结尾的主送机关一行时报错。公开稿（网站、公众号发布的版本）通常不写主送机关，不报告；
    ``--form auto`` 时没有主送机关的报告按公开稿审核，并由 STR014 说明，如为报送稿请用
    ``--form submitted``。

    **为什么重要 Why it matters**
    年度报告须向本级党委、政府和上一级主管部门报送，报送稿的主送机关不可缺少。

    **示例 Example**
    （--form submitted）标题之后直接是正文。

    **应改为 Use instead**
    标题下一行写“市委、市政府：”或“市人民政府：”。

    **参考 References**
    GB/T 9704-2012 7.2.4 主送机关；REPORT-RULES.md §2 Submitted vs published。
    """
    r = ctx.report
    if r.recipient_paragraph is None and r.paragraphs and check_form(ctx) == "submitted":
        at = r.title.end if r.title else _front_anchor(r)
        yield Hit(at, at, "报送稿缺少主送机关", suggestion="在标题下一行写主送机关，以全角冒号结尾")


def _unit_named_in_title(report: Report) -> bool:
    from drafter.report.info import unit_name

    return report.title is not None and bool(unit_name(report)) and \
        (unit_name(report) or "") in report.title.text


@rule("STR010", "missing-signature", severity="error", summary="缺少署名（发文机关）")
def missing_signature(ctx: CheckContext) -> Iterator[Hit]:
    """报告末尾没有署名。

    **作用 What it does**
    正文之后、成文日期之前没有发文机关署名时报错。公开稿的署名可以在标题下（“××局”一行）
    或在报告前的报送函中；公开稿标题中已有单位名称时不报告，标题中也没有时给出警告。

    **为什么重要 Why it matters**
    GB/T 9704 规定不加盖印章的公文在正文之后右空二字编排发文机关署名。

    **示例 Example**
    正文最后一段之后直接是“2024年2月26日”。

    **应改为 Use instead**
    在成文日期上一行写发文机关全称。
    """
    r = ctx.report
    if r.signature is not None or not r.paragraphs:
        return
    at = r.date.offset if r.date is not None and r.element_places.get("date") == "end" \
        else _end_anchor(r)
    if check_form(ctx) == "published":
        if _unit_named_in_title(r):
            return
        yield Hit(at, at, "报告没有署名，标题中也没有单位名称", severity="warning",
                  suggestion="在标题下或文末写明发文机关全称")
        return
    yield Hit(at, at, "报告缺少署名（发文机关名称）", suggestion="在成文日期上一行写发文机关全称")


@rule("STR011", "missing-date", severity="error", summary="缺少成文日期")
def missing_date(ctx: CheckContext) -> Iterator[Hit]:
    """报告没有成文日期。

    **作用 What it does**
    文末（附注之前）、标题下（公开稿：“（2024年1月31日）”）和报告前的报送函中都没有
    “××××年×月×日”形式的日期时报告：报送稿为错误，公开稿为警告（无法核对报送和公开期限）。

    **为什么重要 Why it matters**
    成文日期是公文生效和判断是否按时报送的依据。

    **示例 Example**
    署名之后没有日期。

    **应改为 Use instead**
    在署名下一行写成文日期，如“2024年2月26日”。
    """
    r = ctx.report
    if r.date is None and r.paragraphs:
        at = _end_anchor(r)
        if check_form(ctx) == "published":
            yield Hit(at, at, "报告没有成文日期，无法核对报送和公开期限", severity="warning",
                      suggestion="在文末或标题下注明成文日期，如“2024年2月26日”")
            return
        yield Hit(at, at, "报告缺少成文日期", suggestion="在署名下一行写成文日期，如“2024年2月26日”")


@rule("STR014", "report-form", severity="info",
      summary="按公开稿审核（无主送机关、标题下署单位和日期或前附报送函）的说明")
def report_form(ctx: CheckContext) -> Iterator[Hit]:
    """说明报告按哪种版式审核，以及各要素在哪里找到。

    **作用 What it does**
    ``--form auto``（默认）时，报告呈现为公开稿——没有主送机关、标题下署单位和日期，或前面
    附有报送函（标题、文号、主送机关、署名、日期）——时给出一条提示：按公开稿审核，缺少主送
    机关不报错；标题下或报送函中的署名、日期视为报告的署名和成文日期，用于期限等规则。
    报送稿（有主送机关，署名和日期在文末）不提示。

    **为什么重要 Why it matters**
    同一份报告有报送和公开两种版式（REPORT-RULES.md §2）。审核人应知道程序按哪一种审核，
    必要时用 ``--form submitted`` 按报送稿要求审核。

    **示例 Example**
    ××局2023年度法治政府建设情况报告 ⏎ ××局 ⏎ （2024年1月31日） ⏎ 2023年，我局……

    **应改为 Use instead**
    无需修改；如为报送稿，在标题下写主送机关，或用 ``--form submitted`` 审核。
    """
    r = ctx.report
    if getattr(ctx.options, "form", "auto") not in (None, "auto") or r.form != "published":
        return
    places = "，".join(f"{name}取自{PLACE_NAMES[r.element_places[k]]}"
                      for k, name in (("recipient", "主送机关"), ("signature", "署名"), ("date", "成文日期"))
                      if r.element_places.get(k) in ("under-title", "cover"))
    msg = f"按公开稿审核：{'；'.join(r.form_reasons)}" + (f"（{places}）" if places else "")
    msg += "。如为报送稿，请用 --form submitted 审核"
    at = r.title.offset if r.title is not None else _front_anchor(r)
    yield Hit(at, at, msg)
