"""PH — placeholders: template residue left in a report (XX, ××, 【待补充】, 共……件, {{var}} …).

The patterns are data (``data/placeholders.yaml``), each with a source and the reason it
cannot hit a real word; :mod:`drafter.text.placeholders` finds them (grounding uses it too).
"""

from __future__ import annotations

from typing import Iterator

from drafter.checker.context import CheckContext
from drafter.checker.finding import Hit
from drafter.checker.registry import rule
from drafter.text.placeholders import find_placeholders


@rule("PH001", "placeholder-residue", severity="error",
      summary="残留模板占位符（XX、××、【待补充】、共……件、{{变量}} 等）")
def placeholder_residue(ctx: CheckContext) -> Iterator[Hit]:
    """正文中残留模板占位符，数字、名称或日期没有填写。

    **作用 What it does**
    查找起草模板留下的占位内容：“XX局”“20XX年”“XX人次”“X件”“××”“○○县”、下划线填空
    “____”、空括号“【】”“《》”、待填写标记“【待补充】”“（此处填写…）”“[填写]”、TODO、
    模板变量“{{单位名称}}”、以省略号代替的数字“共……件”、未填写的日期“  年 月 日”，以及
    单位、职务、日期前的“某某”。“某些”“某种”“某一”“X光”“X射线”“5G”“Windows XP”等正常
    词语和依法隐名的“张某某”不报告。模式表见 data/placeholders.yaml。

    **为什么重要 Why it matters**
    占位符说明报告还没有写完，报送出去会直接暴露“套模板”，属于必须改正的错误。

    **示例 Example**
    全年共开展普法宣传活动XX场，覆盖群众……人次。

    **应改为 Use instead**
    填入实际数字：全年共开展普法宣传活动36场，覆盖群众1.2万人次。
    """
    patterns = ctx.placeholder_patterns
    if not patterns:
        return
    for p in ctx.report.paragraphs:
        if not p.text.strip():
            continue
        for s, e, pat in find_placeholders(p.text, patterns):
            quote = p.text[s:e]
            yield Hit(p.offset + s, p.offset + e, f"残留{pat.what}“{quote}”，内容没有填写",
                      suggestion="填入实际内容，或删除该处")
