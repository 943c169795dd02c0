"""`drafter corpus add|list`: earlier reports into the corpus, and what the corpus holds."""

from __future__ import annotations

import sys

import click

from drafter.errors import InputError

NEED_YES = ("未在终端中运行，无法确认推断出的单位编号和年度",
            "确认无误请加 --yes，或用 --unit/--year 直接指定")


@click.group(short_help="语料库：导入往年报告、查看已有年度")
def corpus() -> None:
    """语料库 corpus/<单位>/<年度>/：往年的报告和事实文件，供下一年预填采集表、核对去年计划
    落实情况（PLN）和同比数字（FAC）。

    \b
    drafter corpus add 2023年报告.docx --unit xingyang-kgx --year 2023   导入往年报告
    drafter corpus add 报告/*.docx --yes                                 单位和年度由报告推断
    drafter corpus list                                                   查看语料库中的单位和年度
    """


@corpus.command(short_help="导入往年报告（复制原文件，提取事实文件）")
@click.argument("reports", nargs=-1, required=True, metavar="REPORT...")
@click.option("--unit", metavar="SLUG", help="单位编号（语料库中的文件夹名，如 xingyang-kgx）；不写时由单位名称的拼音推断")
@click.option("--year", type=click.IntRange(2000, 2100), metavar="YYYY",
              help="报告年度；不写时从标题、开头段或成文日期读出")
@click.option("--corpus", "corpus_dir", default="corpus", show_default=True, metavar="DIR",
              help="语料库文件夹（不存在时新建）")
@click.option("--force", is_flag=True, help="替换语料库中已有的同一年度")
@click.option("--yes", "-y", is_flag=True, help="不询问，直接采用推断出的单位编号和年度（脚本中使用）")
@click.option("--llm", is_flag=True,
              help="再请大模型改进指标名称和事项划分（OPENAI_BASE_URL 等环境变量；只采用原文中找得到的）")
@click.option("--model", metavar="NAME", help="--llm 使用的模型名称（默认取环境变量 DRAFTER_MODEL）")
def add(reports: tuple[str, ...], unit: str | None, year: int | None, corpus_dir: str,
        force: bool, yes: bool, llm: bool, model: str | None) -> int:
    """把往年的报告（.docx/.doc/.wps/.txt/.md）导入语料库 corpus/<单位>/<年度>/：原文件
    按原样复制为 report.<扩展名>，同时离线读出 facts.yaml —— 单位、主送机关、年度、成文日期，
    各部分的事项和语句，全部数字（名称、数值、单位、约数、分项），人员和机构，下一年度安排。

    \b
    每项都注明出处行号（source: report, line N）并标为待核实（confirm: true）；报告中没有、
    读不出的内容不猜测，列在 imported.missing 中。已有的年度不覆盖（--force 替换），
    导入失败时不留下任何文件。加 --llm 时把报告文字发给配置的大模型服务，改进指标名称和
    事项划分；名称和标题中的每个词都须出自原文，否则舍弃。
    """
    from drafter.api import import_reports, plan_imports

    if llm:  # a missing endpoint is reported before any report is read
        from drafter.import_refine import Refiner

        Refiner.from_env(model)
    plans = plan_imports(list(reports), unit, year)
    if any(p.inferred for p in plans):
        for p in plans:
            click.echo(f"{p.path}：单位编号 {p.slug}（{p.slug_how or '--unit 指定'}），"
                       f"{p.year}年度（{p.year_how or '--year 指定'}）")
        if not yes:
            if not sys.stdin.isatty():
                raise InputError(*NEED_YES)
            if not click.confirm("按以上单位编号和年度导入？", default=True):
                raise InputError("未导入", "可用 --unit/--year 指定单位编号和年度后重试")
    done = import_reports(corpus=corpus_dir, force=force, plans=plans, llm=llm, model=model)
    for imp in done:
        _report(imp)
    return 0


def _report(imp) -> None:
    ex = imp.extraction
    d = ex.data
    sections = d.get("sections", {})
    counts = "、".join(f"{label}{len(sections.get(k, []))}项" for k, label in
                       (("measures", "举措"), ("leadership", "第一责任人履职"),
                        ("shortcomings", "不足"), ("plans", "下一年度安排")))
    click.echo(f"已导入：{imp.folder}（{imp.plan.report_name}、facts.yaml）")
    click.echo(f"  单位：{d['unit'].get('name') or '（未读出）'}；{len(d.get('metrics', []))}个指标，"
               f"{len(d.get('people', []))}名人员；{counts}")
    click.echo("  每项都注明了出处行号并标为待核实（confirm: true），请对照原报告核实")
    for line in ex.notes:
        click.echo(f"  说明：{line}")
    for line in ex.missing:
        click.echo(f"  未导入：{line}")


@corpus.command("list", short_help="列出语料库中的单位和年度")
@click.option("--corpus", "corpus_dir", default="corpus", show_default=True, metavar="DIR",
              help="语料库文件夹")
def list_(corpus_dir: str) -> int:
    """列出语料库中的每个单位和年度：有哪些文件、是否为导入（待核实）、指标和下一年度安排的数量。"""
    from drafter.api import corpus_years

    rows = corpus_years(corpus_dir)
    if not rows:
        click.echo(f"{corpus_dir}：语料库中还没有任何年度（用 drafter corpus add 导入往年报告）")
        return 0
    for r in rows:
        what = "、".join(r["files"])
        if r["problem"]:
            detail = f"事实文件无法使用：{r['problem']}"
        elif r["metrics"] is None:
            detail = "只有报告，没有事实文件"
        else:
            detail = f"{r['metrics']}个指标，{r['plans']}项下一年度安排"
            if r["imported"]:
                detail += "；由报告导入，待核实"
        name = f" {r['name']}" if r["name"] else ""
        click.echo(f"{r['unit']}{name} {r['year']}年度：{what}（{detail}）")
    return 0
