"""`drafter facts template|convert|check`: the Excel facts workbook (事实采集表.xlsx)."""

from __future__ import annotations

from pathlib import Path

import click

from drafter.errors import OutputError


@click.group(short_help="事实采集表（Excel）：生成模板、与 YAML 互相转换、检查")
def facts() -> None:
    """事实文件工具：生成 Excel 事实采集表，在 Excel 与 YAML 之间转换，检查填写是否正确。

    \b
    drafter facts template -o 事实采集表.xlsx                      空白采集表
    drafter facts template -o 事实采集表.xlsx --corpus corpus --unit shili-kegongxin
                                                                  用上一年度资料预填
    drafter facts convert 事实采集表.xlsx -o facts.yaml            Excel → YAML（反之亦可）
    drafter facts check 事实采集表.xlsx                            检查并列出全部填写问题
    """


@facts.command(short_help="生成 Excel 事实采集表（可用上一年度资料预填）")
@click.option("-o", "--output", required=True, metavar="OUT.xlsx", help="输出的采集表文件（.xlsx）")
@click.option("--corpus", metavar="DIR", help="语料库文件夹（corpus/<单位>/<年度>/）：用上一年度资料预填")
@click.option("--unit", metavar="SLUG", help="语料库中的单位文件夹名（语料库只有一个单位时可省略）")
@click.option("--year", type=click.IntRange(2000, 2100), metavar="YYYY",
              help="要填报的年度（默认：语料库中最近一年的下一年）")
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件")
def template(output: str, corpus: str | None, unit: str | None, year: int | None, force: bool) -> int:
    """生成事实采集表：基本信息、去年计划落实、举措和成效、数据指标、第一责任人履职、
    问题与原因、下一年度安排、其他情况、人员与机构，附填写说明、下拉列表和数据校验。

    \b
    用 --corpus 时预填上一年度的单位信息、指标名称和上年数值（本年数值留空）、去年计划事项。
    """
    from drafter.api import workbook_template
    from drafter.io import atomic_write_bytes, check_output_path

    out = _xlsx_path(output)
    check_output_path(out, force)
    if (unit or year) and not corpus:
        raise OutputError("--unit/--year 需要与 --corpus 一起使用", "例如 --corpus corpus --unit shili-kegongxin")
    data, notes = workbook_template(corpus, unit, year)
    atomic_write_bytes(out, data, force=force)
    click.echo(f"已写出：{out}")
    for note in notes:
        click.echo(f"预填：{note}")
    return 0


@facts.command(short_help="在 Excel 采集表与 YAML 事实文件之间转换")
@click.argument("source", metavar="IN")
@click.option("-o", "--output", required=True, metavar="OUT", help="输出文件：.yaml 或 .xlsx（与输入相反）")
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件")
def convert(source: str, output: str, force: bool) -> int:
    """把 Excel 采集表转成 YAML 事实文件，或把 YAML 事实文件转成 Excel 采集表。

    转换前完整检查输入；有填写错误时指出工作表、单元格和字段，不写出任何文件。
    """
    from drafter.facts import load_facts
    from drafter.facts.xlsx import facts_to_xlsx_bytes, facts_to_yaml
    from drafter.io import atomic_write_bytes, check_output_path

    src, out = Path(source), Path(output)
    kinds = (src.suffix.lower(), out.suffix.lower())
    yaml_exts = (".yaml", ".yml")
    if not ((kinds[0] == ".xlsx" and kinds[1] in yaml_exts) or (kinds[0] in yaml_exts and kinds[1] == ".xlsx")):
        raise OutputError(f"{out}：只能在 .xlsx 与 .yaml 之间转换（现为 {kinds[0] or '无扩展名'} → "
                          f"{kinds[1] or '无扩展名'}）", "例如 drafter facts convert 事实采集表.xlsx -o facts.yaml")
    check_output_path(out, force)
    model = load_facts(src)
    if kinds[1] == ".xlsx":
        data = facts_to_xlsx_bytes(model)
    else:
        data = facts_to_yaml(model, src.name).encode("utf-8")
    atomic_write_bytes(out, data, force=force)
    click.echo(f"已写出：{out}（{model.unit.name} {model.year} 年度）")
    return 0


@facts.command(short_help="检查事实文件（.xlsx/.yaml），一次列出全部填写问题")
@click.argument("source", metavar="FACTS")
def check(source: str) -> int:
    """检查事实采集表或 YAML 事实文件，一次列出全部问题：采集表指明工作表、单元格和列名，
    YAML 指明行号和字段。

    \b
    退出码：0 填写正确；1 可以起草，但有需要补充的内容（如未写原因，初稿中会出现【待补充】）；
    2 有填写错误，须改正后才能起草。
    """
    from drafter.facts.load import inspect_facts

    result = inspect_facts(source)
    if result.errors:
        click.echo(f"{source}：发现 {len(result.errors)} 处填写错误，改正后才能起草：", err=True)
        _list(result.errors)
        if result.notices:
            click.echo(f"另有 {len(result.notices)} 处需要补充：", err=True)
            _list(result.notices)
        raise SystemExit(2)
    model = result.facts
    n_items = sum(len(model.sections.items(k)) for k in ("measures", "leadership", "other"))
    summary = (f"{model.unit.name} {model.year} 年度；{len(model.all_metrics())} 个数据指标，"
               f"{n_items} 项工作，{len(model.sections.shortcomings)} 个问题，"
               f"{len(model.sections.plans)} 项下一年度安排")
    if result.notices:
        click.echo(f"{source}：可以起草（{summary}），但有 {len(result.notices)} 处需要补充：", err=True)
        _list(result.notices)
        return 1
    click.echo(f"{source}：填写正确（{summary}）")
    return 0


def _list(lines) -> None:
    for where, field, msg in lines:
        # YAML: (file:line, field path, message); workbook: (file, "", sheet/cell: message)
        click.echo(f"  - {where}：字段 {field}：{msg}" if field else f"  - {msg}", err=True)


def _xlsx_path(output: str) -> Path:
    out = Path(output)
    if out.suffix.lower() != ".xlsx":
        raise OutputError(f"{out}：采集表应以 .xlsx 结尾", "例如 -o 事实采集表.xlsx")
    return out
