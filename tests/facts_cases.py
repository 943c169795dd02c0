"""A small valid facts file (``BASE``) and its broken variants (``BAD``: kind, mutation, line,
field path, a phrase of the message) — shared by the facts, draft-CLI and workbook tests."""

from __future__ import annotations

BASE = """\
unit:
  name: 示例市科学技术和工业信息化局
  short: 我局
  type: department
recipients: [中共示例市委, 示例市人民政府]
year: 2023
date: 2024-02-20
metrics:
  - id: docs
    label: 清理规范性文件
    value: 10
    unit: 件
    exhaustive: true
  - {id: kept, label: 继续有效, value: 5, unit: 件, part_of: docs}
  - {id: revised, label: 修改, value: 3, unit: 件, part_of: docs}
  - {id: repealed, label: 废止, value: 2, unit: 件, part_of: docs}
people:
  - {id: adviser, name: 林思远, role: 法律顾问, org: 示例市明理律师事务所, title: 律师}
sections:
  measures:
    - title: 加强规范性文件管理
      facts:
        - 全年{docs}
        - 聘请{adviser.full}担任法律顾问
      metrics:
        - {id: train, label: 培训干部职工, value: 260, approx: 余, unit: 人次}
  shortcomings:
    - problem: 法治宣传的针对性还不够强
      causes: [对企业法律需求调研不够]
"""


def _sub(old: str, new: str):
    def f(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return f


# (kind, mutation, line, field path, a phrase of the Chinese message)
BAD = [
    ("yaml-syntax", _sub("year: 2023", "year: 2023\n  oops: [1"), 7, None, "YAML 语法错误"),
    ("tab-indent", _sub("  short: 我局", "\tshort: 我局"), 3, None, "Tab"),
    ("missing-field", _sub("  name: 示例市科学技术和工业信息化局\n", ""), 1, "unit.name", "缺少必填字段"),
    ("missing-causes", _sub("      causes: [对企业法律需求调研不够]\n", ""), 28,
     "sections.shortcomings[0].causes", "缺少必填字段"),
    ("wrong-type-value", _sub("value: 5,", 'value: "五",'), 14, "metrics[1].value", "应为数字"),
    ("wrong-type-list", _sub("recipients: [中共示例市委, 示例市人民政府]", "recipients:\n  a: b"), 5,
     "recipients", "应为列表"),
    ("parts-exceed-total", _sub("value: 3,", "value: 4,"), 11, "metrics[0].value", "超过总数"),
    ("exhaustive-sum", _sub("value: 3,", "value: 2,"), 11, "metrics[0].value", "不等于总数"),
    ("unknown-section", _sub("  measures:", "  achievements:"), 20, "sections.achievements",
     "未知的部分名称"),
    ("unknown-field", _sub("  type: department", "  typo: department"), 4, "unit.typo", "未知字段"),
    ("negative-count", _sub("value: 260", "value: -3"), 26, "sections.measures[0].metrics[0].value",
     "不能为负数"),
    ("date-before-year-end", _sub("date: 2024-02-20", "date: 2023-12-20"), 7, "date", "不晚于报告年度结束"),
    ("date-too-late", _sub("date: 2024-02-20", "date: 2025-02-20"), 7, "date", "不在2024年"),
    ("date-invalid", _sub("date: 2024-02-20", "date: 2024年2月30日"), 7, "date", "不是有效日期"),
    ("unknown-metric-reference", _sub("全年{docs}", "全年{docz}"), 23, "sections.measures[0].facts[0]",
     "未定义的编号"),
    ("unknown-metric-in-list", _sub("      metrics:\n", "      metrics:\n        - nosuch\n"), 26,
     "sections.measures[0].metrics[0]", "未定义"),
    ("unknown-part-of", _sub("part_of: docs}", "part_of: doc}"), 14, "metrics[1].part_of", "未定义的指标"),
    ("duplicate-metric-id", _sub("id: train", "id: docs"), 26, "sections.measures[0].metrics[0].id", "重复"),
    ("wrong-year-type", _sub("year: 2023", "year: 2023年"), 6, "year", "四位数字年份"),
    ("year-quoted", _sub("year: 2023", 'year: "2023"'), 6, "year", "四位数字年份"),
    ("bad-approx", _sub("approx: 余", "approx: 左右"), 26, "sections.measures[0].metrics[0].approx", "只能是"),
    ("bad-unit-type", _sub("type: department", "type: bureau"), 4, "unit.type", "只能是"),
    ("unit-mismatch", _sub("{id: kept, label: 继续有效, value: 5, unit: 件", "{id: kept, label: 继续有效, value: 5, unit: 份"),
     14, "metrics[1].unit", "不一致"),
    ("bad-attribute", _sub("{adviser.full}", "{adviser.phone}"), 24, "sections.measures[0].facts[1]",
     "未知属性"),
    ("trend-without-previous", _sub("全年{docs}", "全年{docs.trend}"), 23,
     "sections.measures[0].facts[0]", "previous_value"),
    ("unbalanced-brace", _sub("全年{docs}", "全年{docs"), 23, "sections.measures[0].facts[0]", "花括号"),
    ("empty-recipients", _sub("recipients: [中共示例市委, 示例市人民政府]", "recipients: []"), 5,
     "recipients", "至少需要1项"),
    ("placeholder-unquoted-at-start", _sub("        - 全年{docs}", "        - {docs}，全部公布"), 23, None,
     "要用引号括起来"),
    ("placeholder-in-flow-list", _sub("      causes: [对企业法律需求调研不够]", "      causes: [{docs}不够]"), 29,
     None, "要用引号括起来"),
    ("placeholder-alone-unquoted", _sub("        - 全年{docs}", "        - {docs}"), 23,
     "sections.measures[0].facts[0]", "要用引号括起来"),
    ("bad-font-profile", _sub("date: 2024-02-20", "date: 2024-02-20\nfont_profile: fancy"), 8,
     "font_profile", "未知的字体方案"),
]
