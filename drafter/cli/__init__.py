"""The `drafter` command: thin wrappers over the API; every user-facing text in Chinese.

Exit codes (DESIGN.md): 0 no error finding; 1 at least one error finding; 2 bad input or
usage, with one Chinese line on stderr and never a traceback.
"""

from __future__ import annotations

import sys
from importlib import import_module

import click

from drafter.errors import DrafterError

# (module under drafter.cli, attribute) of each sub-command; each module keeps its heavy
# imports inside the command so start-up stays fast.
COMMANDS = [("check", "check"), ("rules", "rules")]
OPTIONAL_COMMANDS = [("draft", "draft"), ("facts", "facts"), ("eval_", "eval_"), ("serve", "serve")]

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="drafter", message="drafter %(version)s")
def cli() -> None:
    """drafter —— 法治政府建设年度报告 起草与审核工具。

    \b
    drafter draft FACTS -o 报告.docx   从事实文件起草报告（默认离线模板）
    drafter check 报告.docx ...        审核一份或多份报告
    drafter rules [规则编号]            查看审核规则说明
    drafter serve                      启动网页版，在浏览器中起草和审核
    """


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


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    try:
        rv = cli.main(args=argv, prog_name="drafter", standalone_mode=False)
    except DrafterError as e:
        _fail(e.one_line(), e.exit_code)
    except click.exceptions.NoSuchOption as e:
        _fail(f"未知选项 {e.option_name}（运行 drafter --help 查看用法）")
    except click.exceptions.MissingParameter as e:
        name = e.param.human_readable_name if e.param else "参数"
        _fail(f"缺少参数 {name}（运行 drafter --help 查看用法）")
    except click.exceptions.BadParameter as e:
        name = e.param.human_readable_name if e.param else "参数"
        _fail(f"参数 {name} 不正确：{e.format_message()}（运行 drafter --help 查看用法）")
    except click.exceptions.UsageError as e:
        _fail(f"用法错误：{e.format_message()}（运行 drafter --help 查看用法）")
    except click.exceptions.Abort as e:
        # click turns Ctrl-C inside a command into Abort (after a newline on stderr, so the
        # message starts after the terminal's "^C").
        if isinstance(e.__cause__, KeyboardInterrupt):
            _fail(INTERRUPTED, 130)
        _fail("已取消", 130)
    except KeyboardInterrupt:
        _fail(INTERRUPTED, 130)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(rv if isinstance(rv, int) else 0)
