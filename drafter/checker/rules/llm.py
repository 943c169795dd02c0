"""LLM001–LLM005: the codes of findings made by LLM-assisted review (``drafter check --llm``).

These rules are documentation only: ``check_report`` never runs them (``source="llm"``).
Their findings come from :mod:`drafter.review`, which sends each part of a report to the
configured model, reads the findings it proposes and keeps only those that survive
verification against the text (``drafter/review/verify.py``). Their pass/fail cases in
``checker/cases/LLM.yaml`` are verifier cases: a chunk of report text and one proposed
finding, kept (fail) or dropped (pass).
"""

from __future__ import annotations

from typing import Iterator

from drafter.checker.context import CheckContext
from drafter.checker.finding import Hit
from drafter.checker.registry import rule


def _none(ctx: CheckContext) -> Iterator[Hit]:
    return iter(())


@rule("LLM001", "llm-typo", severity="warning", category="typo", source="llm",
      summary="大模型审读发现的错别字（形近、音近、的地得、字序颠倒），已对照原文核实")
def llm_typo(ctx: CheckContext) -> Iterator[Hit]:
    """大模型审读出的错别字，经 drafter 对照原文核实后报告（仅 `drafter check --llm`）。

    **作用 What it does**
    把报告按部分（开头、各一级标题部分、结尾）发给用户配置的大模型，模型提出“错别字”
    （kind: typo）建议后，drafter 逐条核实：引文必须在该部分原文中逐字出现；只出现一次，
    或出现多次但每一处都是同一个错字；建议只改动一两个字（编辑距离不超过 2，长度差不超过 1）；
    不改数字、人名和词库中的《》法规名称；改后的写法比原写法更可信——改后的文字组成词典里的词
    或更常见的词语，“的/地/得”按后面一个词的词性判断，数字后面接上量词（如“2019以来年”
    改为“2019年以来”）。核实不了“更可信”或改动过大的，降为提示；引文不在原文中、改动数字或
    人名、与规则在同一位置重复的，丢弃。级别最高为警告，不影响退出码（除非 `--llm-strict`）。

    **为什么重要 Why it matters**
    规则只能查出词表里列出的错别字；普通词语中的形近字、音近字（如“上岗”写成“上冈”）没有
    词表能穷尽，人工审读才能发现。模型能读出来，但也会编造引文、把对的改成错的；drafter 只
    报告经得起原文核对的建议。

    **示例 Example**
    全县执法人员全部持证上冈，执法案卷逐项名确责任人。

    **应改为 Use instead**
    全县执法人员全部持证上岗，执法案卷逐项明确责任人。
    """
    return _none(ctx)


@rule("LLM002", "llm-law-title", severity="warning", category="law", source="llm",
      summary="大模型指出的文件、法规名称问题（词库之外的名称前后不一致等），请核实")
def llm_law_title(ctx: CheckContext) -> Iterator[Hit]:
    """大模型指出的文件、法规名称问题，只作“请核实”提示（仅 `drafter check --llm`）。

    **作用 What it does**
    模型提出的 law 类建议：引文必须在原文中逐字出现；引文若是法规词库中的名称（现行或已废止），
    或建议改动了这样的名称，一律丢弃——词库中的名称由 LAW 规则核对，模型不能判它“写错”。
    词库之外的名称（地方文件、本单位文件）模型认为写错、与前文写法不一致时，作为警告报告，
    消息注明“请核实”，从不作为错误。

    **为什么重要 Why it matters**
    地方文件和本单位文件不在任何词库中，同一文件在一份报告里前后写成两个名称（“工作要点”与
    “工作要求”），规则查不出来，审读才能发现。反过来，模型常把现行法规的正确名称“纠正”成
    错的，这类建议必须挡住。

    **示例 Example**
    审议通过《示例县2023年依法行政工作要点》……年底对照《示例县2023年依法行政工作要求》开展督查。

    **应改为 Use instead**
    审议通过《示例县2023年依法行政工作要点》……年底对照《示例县2023年依法行政工作要点》开展督查。
    """
    return _none(ctx)


@rule("LLM003", "llm-term", severity="warning", category="name", source="llm",
      summary="大模型指出的名称、术语写法问题（小组名称与标题不一致、荣誉称号两种写法等）")
def llm_term(ctx: CheckContext) -> Iterator[Hit]:
    """大模型指出的专有名称、固定术语写法问题（仅 `drafter check --llm`）。

    **作用 What it does**
    模型提出的 term 类建议（机构、领导小组、荣誉称号、固定提法的写法）：引文必须在原文中
    逐字出现；出现多次时，只有给出了替换文字（每一处都同样写错）才在每一处报告，否则作为
    有歧义丢弃；与规则在同一位置重复、改动词库中《》法规名称的，丢弃。

    **为什么重要 Why it matters**
    同一个领导小组在小标题和正文里名称不同、一句话里一个荣誉称号两种写法、“双随机、一公开”
    写成别的样子，读者会以为是两件事；这些写法因单位而异，没有词表能列全。

    **示例 Example**
    （一）健全依法治县工作领导小组。……县依法行政工作领导小组全年召开会议3次。

    **应改为 Use instead**
    （一）健全依法治县工作领导小组。……县依法治县工作领导小组全年召开会议3次。
    """
    return _none(ctx)


@rule("LLM004", "llm-logic", severity="warning", category="fact", source="llm",
      summary="大模型指出的逻辑问题（原因解释不了问题、安排不回应不足等），请人工判断")
def llm_logic(ctx: CheckContext) -> Iterator[Hit]:
    """大模型指出的逻辑问题，供审核人员判断（仅 `drafter check --llm`）。

    **作用 What it does**
    模型提出的 logic 类意见：原因分析解释不了前面的问题、下一年度安排没有回应本年的不足、
    前后表述矛盾。drafter 只能核实引文在原文中逐字出现且没有歧义、与规则不重复，不能核实
    意见本身是否成立，所以这类意见只作警告，由审核人员判断。“安排”部分的请求附带“存在的
    不足”部分的文字，模型才能比较二者。

    **为什么重要 Why it matters**
    原因与问题脱节、计划与不足脱节是上级审核时最常退回的问题之一，规则只能检查有没有写，
    不能检查写得对不对。

    **示例 Example**
    存在的不足：执法人员专业化水平不高。……究其原因，客观上是全县经济总量持续增长。

    **应改为 Use instead**
    究其原因，客观上是执法人员培训机会少、专业人才引进难。
    """
    return _none(ctx)


@rule("LLM005", "llm-style", severity="info", category="style", source="llm",
      summary="大模型指出的文风、用词问题（口语化、搭配不当等），供参考")
def llm_style(ctx: CheckContext) -> Iterator[Hit]:
    """大模型指出的文风、用词问题，供参考（仅 `drafter check --llm`）。

    **作用 What it does**
    模型提出的 style 类意见（口语化、搭配不当、表述不规范）：引文必须在原文中逐字出现且没有
    歧义；建议与原文相同（“无需修改”）、与规则在同一位置重复的，丢弃。留下的只作提示。

    **为什么重要 Why it matters**
    公文语体要求庄重、准确；口语化的说法、不当的搭配规则难以穷举，审读时顺手指出即可。

    **示例 Example**
    我局执法工作搞得比较好，群众反映挺满意。

    **应改为 Use instead**
    我局执法工作成效明显，群众满意度较高。
    """
    return _none(ctx)
