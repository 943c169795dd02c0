"""`drafter eval` — run the evaluations and benchmarks of ``evaluations/``."""

from __future__ import annotations

import click

from drafter.errors import ConfigError


@click.command("eval", short_help="运行评测和基准（召回率、误报、起草质量、速度）")
@click.option("--quick", is_flag=True, help="快速模式：每种变异 1 处，吞吐量用 100 份报告")
@click.option("--write-results", is_flag=True, help="把打印的结果写入 evaluations/RESULTS.md")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="变异测试的进程数（默认每个 CPU 核一个）")
@click.option("--offline", is_flag=True,
              help="不启动本机测试服务器：不评测大模型起草和网页（不建立任何网络连接）")
def eval_(quick: bool, write_results: bool, jobs: int | None, offline: bool) -> int:
    """运行全部评测和基准，打印结果表（Markdown）。

    审核：变异测试（每类缺陷的召回率）、干净报告的误报、精确率、按规则统计；起草：法定部分、
    事实召回、事实外数字、审核错误；基准：冷启动审核、500 份报告吞吐量、内存、起草用时、
    大模型并发。需要源码目录中的 evaluations/（含 cases/reports）。
    """
    main = _load_main()
    argv = (["--quick"] if quick else []) + (["--write-results"] if write_results else []) + \
        (["--jobs", str(jobs)] if jobs else []) + (["--offline"] if offline else [])
    return main(argv)


def _load_main():
    """``evaluations.__main__.main``: installed, or beside the drafter package in a checkout."""
    import sys
    from pathlib import Path

    try:
        from evaluations.__main__ import main
    except ModuleNotFoundError as e:
        if not (e.name or "").startswith("evaluations"):
            raise
        root = Path(__file__).resolve().parents[2]
        if not (root / "evaluations" / "__main__.py").exists():
            raise ConfigError("找不到 evaluations 评测包",
                              "请在 drafter 源码目录中以开发模式安装（pip install -e .）后运行") from None
        sys.path.insert(0, str(root))
        from evaluations.__main__ import main
    return main
