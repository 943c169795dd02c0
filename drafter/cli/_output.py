"""Printing a check's results: the one output block of `drafter check` (plain, --fix, --annotate)."""

from __future__ import annotations

import sys
from typing import Iterable

import click


def emit(results: list, fmt: str, color: bool | None, notes: Iterable[str] = (),
         llm_strict: bool = False) -> int:
    """Print ``results`` (FileResults) as JSON or text, then ``notes`` to stderr.

    Findings and the summary line go to stdout (JSON stays machine-readable); with LLM
    review, the text summary adds what it sent and what became of the model's proposals.
    Remarks about what was done (files written, edits withheld) always go to stderr, after
    the findings. Colour (rich) only when ``color`` is True, or None and stdout is a terminal.
    Returns the exit code: 1 when there is an error finding (or, with ``llm_strict``, an LLM
    warning), else 0.
    """
    from drafter.checker.output import render_json, render_text, summary

    if fmt == "json":
        click.echo(render_json(results))
    else:
        use_color = sys.stdout.isatty() if color is None else color
        text = render_text(results, color=use_color)
        if any(getattr(r, "review", None) is not None for r in results):
            from drafter.review.summary import summary_lines

            lines = summary_lines(results)
            if use_color:
                from rich.markup import escape

                lines = [escape(x) for x in lines]
            text = "\n".join([text, *lines])
        if use_color:
            from rich.console import Console

            Console(highlight=False, soft_wrap=True).print(text)
        else:
            click.echo(text)
    for n in notes:
        click.echo(n, err=True)
    if summary(results)["errors"]:
        return 1
    strict_hit = llm_strict and any(f.source == "llm" and f.severity != "info"
                                    for r in results for f in r.findings)
    return 1 if strict_hit else 0
