"""`drafter check PATH...`."""

from __future__ import annotations

import sys

import click

from drafter.errors import DrafterError


@click.command(short_help="审核报告（.txt/.md/.docx，文件或文件夹）")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="输出格式：text（逐条）或 json（机器可读）")
@click.option("--facts", "facts_path", metavar="FACTS", help="事实文件（YAML/XLSX），其中的人名、数字作为核对依据")
@click.option("--select", metavar="IDS", help="只运行这些规则（编号或前缀，逗号分隔，如 LAW,CNT001）")
@click.option("--ignore", metavar="IDS", help="不运行这些规则（编号或前缀，逗号分隔）")
@click.option("--profile", metavar="NAME", help="地方口径配置（截止日期、版式宽严等）")
@click.option("--color/--no-color", default=None, help="彩色输出（默认仅在终端中启用）")
def check(paths: tuple[str, ...], fmt: str, facts_path: str | None, select: str | None,
          ignore: str | None, profile: str | None, color: bool | None) -> int:
    """审核一份或多份报告，按规则输出问题清单。

    PATH 可以是文件或文件夹（递归查找 .txt/.md/.docx）。退出码：0 无错误；1 有错误级问题；
    2 输入或用法有误。
    """
    from drafter.api import check_paths
    from drafter.checker.output import render_json, render_text, summary

    try:
        results = check_paths(list(paths), select=select, ignore=ignore, facts=facts_path,
                              profile=profile)
    except ValueError as e:
        raise DrafterError(f"未知的规则编号或前缀“{e}”", "运行 drafter rules 查看全部规则") from None
    if fmt == "json":
        click.echo(render_json(results))
    else:
        use_color = sys.stdout.isatty() if color is None else color
        text = render_text(results, color=use_color)
        if use_color:
            from rich.console import Console

            Console(highlight=False, soft_wrap=True).print(text)
        else:
            click.echo(text)
    return 1 if summary(results)["errors"] else 0
