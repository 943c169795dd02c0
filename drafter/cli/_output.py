"""Printing a check's results: the one output block of `drafter check` (plain, --fix, --annotate)."""

from __future__ import annotations

import sys
from typing import Iterable

import click


def emit(results: list, fmt: str, color: bool | None, notes: Iterable[str] = ()) -> int:
    """Print ``results`` (FileResults) as JSON or text, then ``notes`` to stderr.

    Findings and the summary line go to stdout (JSON stays machine-readable); remarks about
    what was done (files written, edits withheld) always go to stderr, after the findings.
    Colour (rich) only when ``color`` is True, or None and stdout is a terminal.
    Returns the exit code: 1 when there is an error finding, else 0.
    """
    from drafter.checker.output import render_json, render_text, summary

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
    for n in notes:
        click.echo(n, err=True)
    return 1 if summary(results)["errors"] else 0
