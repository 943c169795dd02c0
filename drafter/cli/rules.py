"""`drafter rules [ID]`: the rule documentation, generated from the registry."""

from __future__ import annotations

import click


@click.command(short_help="查看审核规则及其说明")
@click.argument("rule_id", required=False, metavar="[ID]")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text",
              show_default=True, help="输出格式")
def rules(rule_id: str | None, fmt: str) -> int:
    """列出全部规则；给出编号（如 LAW001）或前缀（如 LAW）时打印其完整说明和示例。"""
    from drafter.checker.docs import render_rules

    click.echo(render_rules(rule_id, fmt))
    return 0
