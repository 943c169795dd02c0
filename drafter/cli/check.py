"""`drafter check PATH...`."""

from __future__ import annotations

import os

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
@click.option("--previous", metavar="FILE",
              help="上一年度报告（.txt/.md/.docx）：核对其“下一年度安排”在本年是否得到回应")
@click.option("--corpus", metavar="DIR",
              help="语料库文件夹（corpus/<单位>/<年度>/）：从中取本单位上一年度的计划和数据")
@click.option("--form", type=click.Choice(["auto", "submitted", "published"]), default=None,
              help="报告版式：submitted 报送稿（须有主送机关、署名、成文日期）、published 公开稿"
                   "（可无主送机关，单位和日期可在标题下，可前附报送函）、auto 按文本判断并说明"
                   "（默认，或取配置文件 [check] form）")
@click.option("--config", "config_path", metavar="FILE",
              help="配置文件（默认：当前文件夹下的 drafter.toml，如有）：地方口径、本地法规文件"
                   "名称、机构名称、人名，见 docs/config.md")
@click.option("--color/--no-color", default=None, help="彩色输出（默认仅在终端中启用）")
@click.option("--fix", "do_fix", is_flag=True,
              help="自动修正可安全修正的问题（标点全半角、〈〉、空格、断行、繁体字、文号括号），"
                   "写入 -o 指定的文件；不改动人名、数字和法规名称")
@click.option("--no-track", is_flag=True,
              help="与 --fix 一起用于 .docx：直接改正，不以 Word 修订（审阅 → 修订）形式标出")
@click.option("-o", "--output", metavar="OUT", help="--fix 的输出文件（与原文件同类型）")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件；--fix 不带 -o 时直接修改原文件")
@click.option("--annotate", metavar="OUT.docx",
              help="把每个问题写成 Word 批注（作者 drafter），另存为 OUT.docx；原文件不改动，"
                   ".txt/.md 先按 GB/T 9704 排为 .docx；只能用于一个文件")
@click.option("--export", "export", metavar="REVIEW.xlsx|.docx|.csv",
              help="另存审核意见表：所有文件的问题逐条列出（序号、文件、单位、位置、所在部分、类别、级别、"
                   "规则、原文、问题、修改建议、来源），同一段同一规则的问题合为一条；.xlsx 另有各单位汇总，"
                   ".docx 为公文格式、每个单位一张表，.csv 为 UTF-8（Excel 可直接打开）")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="并行审核的进程数（多个文件时有效；0 表示每个 CPU 核一个）；输出顺序不变")
@click.option("--llm", is_flag=True,
              help="在规则之外，再用大模型审读（规则 LLM001–LLM005）：报告按部分发给 OPENAI_BASE_URL "
                   "指定的服务，模型提出的每条意见都先对照原文核实；不加此项时不建立任何网络连接")
@click.option("--model", metavar="NAME", help="--llm 使用的模型名称（默认取环境变量 DRAFTER_MODEL）")
@click.option("--llm-strict", is_flag=True,
              help="（含 --llm）大模型发现的警告也使退出码为 1；默认大模型意见不影响退出码")
def check(paths: tuple[str, ...], fmt: str, facts_path: str | None, select: str | None,
          ignore: str | None, profile: str | None, color: bool | None, do_fix: bool = False,
          output: str | None = None, force: bool = False, annotate: str | None = None,
          jobs: int = 0, previous: str | None = None, corpus: str | None = None,
          export: str | None = None, no_track: bool = False,
          form: str | None = None, config_path: str | None = None,
          llm: bool = False, model: str | None = None, llm_strict: bool = False) -> int:
    """审核一份或多份报告，按规则输出问题清单。

    PATH 可以是文件或文件夹（递归查找 .txt/.md/.docx）。退出码：0 无错误；1 有错误级问题；
    2 输入或用法有误。加 --llm 时另用大模型审读，意见经核实后列出（来源 llm），级别最高为警告。
    """
    # A folder checked in worker processes shares one word segmenter: started first thing (or
    # before this command loaded, drafter.cli.early), it loads while the rest of drafter does
    # (drafter.text.segment_service; check_paths starts none of its own while one runs).
    segmenter = _folder_segmenter(paths, jobs, llm or llm_strict or do_fix or bool(output)
                                  or bool(annotate))
    try:
        return _check(paths, fmt, facts_path, select, ignore, profile, color, do_fix, output,
                      force, annotate, jobs, previous, corpus, export, no_track, form,
                      config_path, llm, model, llm_strict)
    finally:
        if segmenter is not None:
            segmenter.stop(wait=False)  # (the program ends now)


def _folder_segmenter(paths: tuple[str, ...], jobs: int, other_mode: bool):
    """A started SegmenterService when ``paths`` name folders holding at least
    ``SHARE_FROM_FILES`` files (counted by name only, before drafter has loaded anything
    else) for a pool to check — the one the program started first thing when there is one
    (:mod:`drafter.cli.early`) — else None."""
    from drafter.cli import early

    started = early.adopt()
    if started is not None:
        return started
    if jobs == 1 or other_mode or not any(os.path.isdir(p) for p in paths):
        return None  # (the cold check of one file imports nothing for it)
    from drafter.text.segment_service import SHARE_FROM_FILES, SegmenterService

    if early.holds_files(paths, SHARE_FROM_FILES):
        service = SegmenterService()
        return service if service.start() else None
    return None


def _check(paths, fmt, facts_path, select, ignore, profile, color, do_fix, output, force,
           annotate, jobs, previous, corpus, export, no_track, form, config_path, llm, model,
           llm_strict) -> int:
    from drafter.api import CheckRequest, check_paths
    from drafter.cli import steady
    from drafter.cli._output import emit

    # One request for every mode: the check, its --fix and its --annotate use the same
    # options and rules (facts, last year's report, corpus, profile, form, config, selection).
    if model and not (llm or llm_strict):
        raise DrafterError("--model 只能与 --llm 一起使用", "如需大模型辅助审核，请加 --llm")
    if (llm or llm_strict) and (do_fix or output):
        raise DrafterError("--llm 不能与 --fix/-o 同时使用", "大模型意见不自动修改；请先 --fix，再对修正后的文件加 --llm 审核")
    request = CheckRequest(paths=list(paths), select=select, ignore=ignore, facts=facts_path,
                           previous=previous, corpus=corpus, profile=profile, jobs=jobs,
                           form=form, config=config_path,
                           llm=llm or llm_strict, model=model, llm_strict=llm_strict)
    if export and (annotate or do_fix or output):
        raise DrafterError("--export 不能与 --annotate/--fix 同时使用",
                           "请分两次运行：先审核并导出审核意见表，再修正或批注")
    if no_track and not do_fix:
        raise DrafterError("--no-track 只能与 --fix 一起使用", "例如 --fix --no-track -o 修正稿.docx")
    if annotate or do_fix or output or export:
        steady()
    if annotate:
        if do_fix or output:
            raise DrafterError("--annotate 不能与 --fix/-o 同时使用", "请先修正（--fix），再对修正后的文件批注")
        from drafter.cli.annotate import run_annotate

        return run_annotate(request, annotate, fmt, color, force)
    if do_fix or output:
        return _fix(request, fmt, color, output, force, do_fix, track=not no_track)
    if export:
        return _export(request, fmt, color, export, force, llm_strict)
    request.prepare()  # (check_paths' first step) the rules are loaded: the check begins
    steady()
    return emit(check_paths(request), fmt, color, llm_strict=llm_strict)


def _export(request, fmt: str, color: bool | None, export: str, force: bool,
            llm_strict: bool = False) -> int:
    """Check, print the findings as usual, and write the 审核意见表."""
    from drafter.api import check_paths
    from drafter.checker.export import check_export_path, export_review
    from drafter.cli._output import emit

    check_export_path(export, force)  # before any report is read
    results = check_paths(request.prepare())
    path, rows = export_review(results, export, force=force)
    return emit(results, fmt, color, [f"已写出审核意见表：{path}（{len(results)} 个文件，{rows} 条意见）"],
                llm_strict=llm_strict)


def _fix(request, fmt: str, color: bool | None, output: str | None, force: bool,
         do_fix: bool, track: bool = True) -> int:
    """`drafter check FILE --fix -o OUT` (or `--fix --force` in place): fix, write, re-check."""
    from pathlib import Path

    from drafter.api import fix_file
    from drafter.checker.output import FileResult, summary
    from drafter.cli._output import emit

    if not do_fix:
        raise DrafterError("-o/--output 只能与 --fix 一起使用", "如需输出修正后的文件，请加 --fix")
    files = request.files()
    if output and len(files) != 1:
        raise DrafterError(f"-o 只能用于一个文件（现有 {len(files)} 个）",
                           "多个文件请逐个修正，或用 --fix --force 直接修改原文件")
    request.prepare()
    results, messages = [], []
    for src in files:
        notes: list[str] = []
        applied, left = fix_file(src, output, force, request=request, notes=notes, track=track)
        target = Path(output) if output else Path(src)
        results.append(FileResult(path=str(target), findings=left))
        remaining = summary([results[-1]])
        how = "（Word 修订，可在“审阅”中逐条接受或拒绝）" if track and Path(src).suffix.lower() == ".docx" else ""
        messages.append(f"{src}：已自动修正 {applied} 处{how}，写入 {target}；仍有 "
                        f"{remaining['errors']} 个错误、{remaining['warnings']} 个警告、"
                        f"{remaining['infos']} 个提示需人工处理")
        messages += [f"{src}：{n}" for n in notes]
    return emit(results, fmt, color, messages)
