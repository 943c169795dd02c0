"""`drafter draft FACTS [-o OUT.docx] [--corpus DIR] [--backend template|llm] [--model NAME]
[--run-dir DIR] [--force]`."""

from __future__ import annotations

import sys

import click


@click.command(short_help="从事实文件起草报告（.docx，默认离线模板）")
@click.argument("facts", metavar="FACTS")
@click.option("-o", "--output", metavar="OUT.docx",
              help="输出文件（默认：事实文件旁的“{单位}{年度}年度法治政府建设情况报告.docx”）")
@click.option("--corpus", metavar="DIR",
              help="语料库文件夹（corpus/<单位>/<年度>/）；默认：事实文件所在的语料库")
@click.option("--backend", default="template", show_default=True, metavar="template|llm",
              help="起草方式：template（离线模板，不联网）或 llm（需配置大模型接口）")
@click.option("--model", metavar="NAME", help="大模型名称（仅 --backend llm；也可设 DRAFTER_MODEL）")
@click.option("--run-dir", metavar="DIR", help="把各阶段结果（plan.json、sections/、run-report）写入此文件夹")
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件")
@click.option("--concurrency", type=click.IntRange(min=1), default=5, show_default=True,
              metavar="N", help="同时起草的部分数（仅 --backend llm）")
@click.option("--no-cache", is_flag=True, help="不使用大模型回复缓存，重新请求（仅 --backend llm）")
@click.option("--color/--no-color", default=None, help="彩色输出（默认仅在终端中启用）")
def draft(facts: str, output: str | None, corpus: str | None, backend: str, model: str | None,
          run_dir: str | None, force: bool, color: bool | None, concurrency: int = 5,
          no_cache: bool = False) -> int:
    """从事实文件（YAML）起草法治政府建设年度报告，审核后写出 .docx。

    \b
    起草后先用全部审核规则检查草稿并列出问题，再写出 .docx。缺少事实的法定部分
    写成醒目的【待补充：……】标记，不会被略去。
    退出码：0 无错误；1 有错误级问题或待补充内容（.docx 仍会写出，请在 Word 中修改）；
    2 事实文件或参数有误（不写出任何文件）。
    """
    from drafter.checker.output import FileResult, render_text
    from drafter.cli.progress import TerminalProgress
    from drafter.pipeline import DraftRequest, draft as run_draft

    request = DraftRequest(facts, output, corpus=corpus, backend=backend, model=model,
                           run_dir=run_dir, force=force, concurrency=concurrency, cache=not no_cache)
    # The template drafts in milliseconds: a progress bar only for a model.
    with TerminalProgress(enabled=False if backend == "template" else None) as events:
        result = run_draft(request, events=events)
    use_color = sys.stdout.isatty() if color is None else color
    text = render_text([FileResult(str(result.output), result.findings)], color=use_color)
    # render_text ends with a files summary; a draft is one file, so say it as a draft.
    text = text.rsplit("\n", 1)[0] if "\n" in text else ""
    s = result.summary
    text += ("\n" if text else "") + (f"草稿审核：{s['errors']} 个错误，{s['warnings']} 个警告，"
                                       f"{s['infos']} 个提示")
    if use_color:
        from rich.console import Console

        Console(highlight=False, soft_wrap=True).print(text)
    else:
        click.echo(text)
    for line in summary_lines(result, run_dir):
        click.echo(line)
    return result.exit_code


def summary_lines(result, run_dir: str | None) -> list[str]:
    """What was written and what still needs the staff's attention, in Chinese."""
    r = result.report
    lines = [f"已写出：{result.output}（{r.characters} 字，{len(r.body_paragraphs())} 段，"
             f"用时 {sum(result.timings_ms.values()):.0f} 毫秒）"]
    if result.gaps:
        lines.append(f"待补充 {len(result.gaps)} 处（请在事实文件中补充后重新起草，或在 Word 中补写）：")
        lines += [f"  - {g.text}" + (f"：{g.hint}" if g.hint else "") for g in result.gaps]
    if result.confirms:
        lines.append(f"待核实 {len(result.confirms)} 处（已在 Word 中用批注“待核实”标出，请核实后定稿）：")
        lines += [f"  - {c['text']}" for c in result.confirms]
    plan = result.plan
    if plan.unanswered_plans:
        lines.append(f"上年计划未回应 {len(plan.unanswered_plans)} 项（来源：{plan.previous_plans_source}）：")
        lines += [f"  - 第{p.number}项：{p.text}" for p in plan.unanswered_plans]
    elif plan.previous_plans:
        lines.append(f"上年计划 {len(plan.previous_plans)} 项均已回应")
    if plan.unused_metrics:
        lines.append("事实文件中未使用的指标：" + "、".join(plan.unused_metrics))
    lines += result.backend_summary  # llm: calls, and which sections were repaired or fell back
    for note in result.notes + plan.notes:
        lines.append(f"说明：{note}")
    if run_dir:
        lines.append(f"运行记录：{run_dir}/run-report.md")
    return lines
