"""Shared by the LLM tests: a good model answer per section of ``tests/data/llm_facts.yaml``,
the phrases that tell the model's text from the template's, and the routing of the scripted
server (:mod:`evaluations.openai_server`)."""

from __future__ import annotations

from pathlib import Path

from evaluations.openai_server import ScriptedServer

FACTS = Path(__file__).resolve().parent / "data" / "llm_facts.yaml"

ROUTE = {"measures": "主要举措和成效", "shortcomings": "存在的不足和原因",
         "leadership": "第一责任人职责情况", "plans": "主要安排", "other": "其他需要报告的情况"}
GOOD = {
    "measures": "（一）健全依法决策机制\n我局严格落实《重大行政决策程序暂行条例》，全年审查合同48份，"
                "聘请示例市正衡律师事务所律师周明担任法律顾问，为依法决策提供专业支撑。\n"
                "（二）深化法治宣传教育\n我局举办法治培训6期，培训260余人次；清理规范性文件10件，"
                "其中继续有效5件、修改3件、废止2件。",
    "shortcomings": "对照法治政府建设要求，我局工作仍有差距：执法人员法律素养有待提升。"
                    "究其原因，主要是培训的针对性不强，以案释法不够。",
    "leadership": "韩景川同志切实履行第一责任人职责，主持召开党组会议专题研究法治政府建设工作。",
    "plans": "（一）加强行政执法队伍建设\n我局将于2024年组织执法人员全员轮训，持续提升执法水平。",
    "other": "我局积极配合示例市司法局完成年度法治督察。",
}
# A phrase only the model's text has (the template never writes it), per section.
MARK = {"measures": "为依法决策提供专业支撑", "shortcomings": "我局工作仍有差距",
        "leadership": "切实履行第一责任人职责", "plans": "持续提升执法水平",
        "other": "我局积极配合"}
# A phrase only the template's fallback has.
TEMPLATE_MARK = {"measures": "严格落实《重大行政决策程序暂行条例》，审查合同48份"}


def script(server: ScriptedServer, **overrides) -> None:
    """Route every section: ``overrides[key]`` (replies) or the good text."""
    for key, match in ROUTE.items():
        replies = overrides.get(key, (GOOD[key],))
        server.on(match, *replies)
