"""The `drafter` command: thin wrappers over the API; every user-facing text in Chinese.

Exit codes (DESIGN.md): 0 no error finding; 1 at least one error finding; 2 bad input or
usage, with one Chinese line on stderr and never a traceback.
"""

from __future__ import annotations

import gc
import sys
from importlib import import_module

from drafter.cli import early

early.start()  # `drafter check FOLDER`: the segmenter service loads from now on (drafter.cli.early)

# A command builds its data (modules, lexicons, a report) once and keeps most of it to the
# end: with CPython's default thresholds (700 allocations) the cyclic collector ran ~250
# times in one `drafter draft`, ~0.18 s of CPU for almost nothing to free. Collecting 30x
# less often keeps that to a few collections; cyclic garbage is still collected.
GC_THRESHOLDS = (20000, 20, 20)
gc.set_threshold(*GC_THRESHOLDS)

from drafter.cache import CodeCache, PatternCache  # noqa: E402

# Before anything compiles a pattern or defines a dataclass: the programs and the generated
# methods' code earlier runs compiled are looked up (drafter.cache), so a cold start does not
# compile them again.
_PATTERNS = PatternCache()
_PATTERNS.preload()
_CODE = CodeCache()
_CODE.install()

import click  # noqa: E402

from drafter.errors import DrafterError  # noqa: E402

# (module under drafter.cli, attribute) of each sub-command; each module keeps its heavy
# imports inside the command so start-up stays fast.
COMMANDS = [("check", "check"), ("rules", "rules")]
OPTIONAL_COMMANDS = [("draft", "draft"), ("facts", "facts"), ("corpus", "corpus"), ("eval_", "eval_"), ("serve", "serve")]

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="drafter", message="drafter %(version)s")
def cli() -> None:
    """drafter —— 法治政府建设年度报告 起草与审核工具。

    \b
    drafter draft FACTS -o 报告.docx   从事实文件起草报告（默认离线模板）
    drafter check 报告.docx ...        审核一份或多份报告
    drafter rules [规则编号]            查看审核规则说明
    drafter corpus add 往年报告.docx    把往年报告导入语料库（预填采集表、核对去年计划）
    drafter serve                      启动网页版，在浏览器中起草和审核
    """
    if click.get_current_context().invoked_subcommand != "check":
        steady()  # (check: once its rules are loaded)


for mod, attr in COMMANDS:
    cli.add_command(getattr(import_module(f"drafter.cli.{mod}"), attr))
for mod, attr in OPTIONAL_COMMANDS:
    try:
        cli.add_command(getattr(import_module(f"drafter.cli.{mod}"), attr))
    except ModuleNotFoundError as e:
        if e.name != f"drafter.cli.{mod}":
            raise


# Outputs are written atomically (drafter.io): an interrupted run leaves whole files or none.
INTERRUPTED = "已中断，没有留下写了一半的文件（可重新运行）"


class Terminated(KeyboardInterrupt):
    """SIGTERM (a timeout, a stopped job): ended as Ctrl-C ends a command — nothing
    half-written; a folder check's waiting batches are dropped and its workers end after the
    batch they are checking — with status 143 (128 + SIGTERM)."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated()


def _interrupted(e: BaseException | None) -> int:
    return 143 if isinstance(e, Terminated) else 130


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(code)


def _param_name(param: click.Parameter | None) -> str:
    """How the user wrote the parameter: "--format" for an option, "PATH" for an argument."""
    if param is None:
        return "参数"
    if isinstance(param, click.Option) and param.opts:
        return "/".join(param.opts)
    return param.human_readable_name


def _bad_value(e: click.exceptions.BadParameter) -> str:
    """Click's reason in Chinese (its own text is English)."""
    t = e.param.type if e.param is not None else None
    if isinstance(t, click.Choice):
        return "只能是 " + "、".join(str(c) for c in t.choices)
    if isinstance(t, click.IntRange):
        lo = "" if t.min is None else f"不小于 {t.min}"
        hi = "" if t.max is None else f"不大于 {t.max}"
        return "应为整数" + (f"（{'，'.join(x for x in (lo, hi) if x)}）" if lo or hi else "")
    if t is click.INT:
        return "应为整数"
    if t is click.FLOAT:
        return "应为数字"
    return "取值不正确"


def _usage_message(e: click.exceptions.UsageError) -> str:
    text = e.format_message()
    cmd = e.ctx.command_path if e.ctx is not None else "drafter"
    hint = f"运行 {cmd} --help 查看用法"
    if isinstance(e, click.exceptions.NoSuchOption):
        return f"未知选项 {e.option_name}（{hint}）"
    if isinstance(e, click.exceptions.MissingParameter):
        return f"缺少参数 {_param_name(e.param)}（{hint}）"
    if isinstance(e, click.exceptions.BadParameter):
        return f"参数 {_param_name(e.param)} 不正确：{_bad_value(e)}（{hint}）"
    if isinstance(e, click.exceptions.BadOptionUsage):
        return f"选项 {e.option_name} 缺少取值（{hint}）"
    if text.startswith("No such command"):
        name = text.split("'")[1] if "'" in text else ""
        return f"没有“{name}”这个命令（运行 drafter --help 查看全部命令）"
    if "unexpected extra argument" in text:
        return f"多余的参数（{hint}）"
    return f"{cmd} 的用法不正确（{hint}）"


def main(argv: list[str] | None = None) -> None:
    try:
        _main(argv)
    finally:
        _save_patterns()


def run() -> None:
    """The ``drafter`` program (console script, ``python -m drafter``): :func:`main`, then a
    quick exit. SIGTERM ends it as Ctrl-C does (:class:`Terminated`), status 143.

    Once the command has returned every output is written and closed (atomically, see
    drafter.io), so the interpreter's teardown — freeing every module, lexicon and the
    segmenter's dictionary one object at a time, ~0.2 s after a draft — only delays the
    prompt. After the exit handlers have run and stdout/stderr are flushed, the process ends
    with its exit code. When another non-daemon thread is still running (none of ours is),
    the ordinary exit waits for it instead.
    """
    import os
    import signal

    # Modules, rules and lexicons loaded at start live to the end: a collection while they
    # load (one of ~20,000 young objects, 10-20 ms) would find nothing to free. Off until the
    # command's own work begins (steady()).
    gc.disable()
    signal.signal(signal.SIGTERM, _on_sigterm)
    # A forked child (a check worker, the segmenter service) is stopped with SIGTERM: there it
    # keeps its default action.
    os.register_at_fork(after_in_child=lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL))
    try:
        main()
        code: object = 0
    except SystemExit as e:
        code = e.code
    except KeyboardInterrupt as e:  # one that came after the command's own handling
        code = _interrupted(e)
    _quick_exit(code)


def steady() -> None:
    """The command's imports are done and its own work begins. When the program turned the
    collector off for them (:func:`run`): what exists now lives to the end, so it is frozen
    out of every collection, and collection starts again. In-process callers (tests) keep the
    collector as they have it: nothing happens."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _quick_exit(code: object) -> None:
    import atexit
    import os
    import signal
    import threading

    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the command is over: no interrupt now

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): printed to stderr, status 1 (as Python does)
        print(code, file=sys.stderr)
        status = 1
    others = [t for t in threading.enumerate()
              if t is not threading.current_thread() and not t.daemon and t.is_alive()]
    if others:
        sys.exit(status)
    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):  # a closed pipe (drafter … | head): nothing left to say
        pass
    os._exit(status)


def _save_patterns() -> None:
    """Store the patterns and the dataclass code this run compiled, for the next one. Only
    ever saves time: a failure or a Ctrl-C here loses the entry, never changes how the run
    ends (its exit code and message are already decided)."""
    for stored in (_PATTERNS, _CODE):
        try:
            stored.save()
        except (Exception, KeyboardInterrupt):
            pass


def _main(argv: list[str] | None) -> None:
    try:
        rv = cli.main(args=argv, prog_name="drafter", standalone_mode=False)
    except DrafterError as e:
        _fail(e.one_line(), e.exit_code)
    except click.exceptions.UsageError as e:
        if type(e).__name__ == "NoArgsIsHelpError" and e.ctx is not None:
            click.echo(e.ctx.get_help())  # a bare `drafter` / `drafter facts`: show the help
            sys.exit(0)
        _fail(_usage_message(e))
    except click.exceptions.Abort as e:
        # click turns Ctrl-C inside a command into Abort (after a newline on stderr, so the
        # message starts after the terminal's "^C").
        if isinstance(e.__cause__, KeyboardInterrupt):
            _fail(INTERRUPTED, _interrupted(e.__cause__))
        _fail("已取消", 130)
    except KeyboardInterrupt as e:
        _fail(INTERRUPTED, _interrupted(e))
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(rv if isinstance(rv, int) else 0)
