"""Benchmark of the LLM backend (``python -m evaluations.bench_llm``): whole-process wall time,
the cache, the import cost of the LLM path, and concurrency.

Drafts the sample report (``corpus/shili-kegongxin/2023/facts.yaml``) with ``--backend llm``
against the scripted server of the tests (``evaluations/openai_server.py``, a real local HTTP
socket) whose every answer takes ``--latency`` seconds (default 1.0). The stand-in model writes
each section from the facts its prompt carries (``evaluations.drafting_eval.model_reply``), so
every answer is acceptable at the first try: one call per section.

Printed:

- **whole process** — ``python -m drafter draft … --backend llm`` in a new process, the median
  of ``--repeats`` runs: the first run (empty cache), a re-run answered from the cache (0 calls),
  and the template backend on the same facts for comparison; wall and CPU seconds;
- **imports** — what the LLM path imports beyond the template path (a new process importing
  the pipeline, then also the LLM backend and httpx), and what langchain-openai would cost
  when it is installed (it is not used: see docs/llm.md);
- **concurrency** — in-process: the drafting stage's wall next to the sum of the calls'
  latencies, for the sample with a fifth section at ``--concurrency`` 5 and 4.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "shili-kegongxin" / "2023" / "facts.yaml"
OTHER = """
  other:
    - title: 其他需要报告的情况
      facts:
        - 配合{sfj}完成年度法治政府建设督察，对督察反馈的问题逐项整改
"""


def _with_other(src: Path, dest: Path) -> Path:
    """The sample facts with an ``other`` section (a fifth section to draft)."""
    text = src.read_text(encoding="utf-8")
    head, sep, tail = text.partition("  plans:")
    if not sep:
        raise SystemExit(f"{src}：找不到 sections.plans，无法加入第五部分")
    dest.write_text(head + OTHER.lstrip("\n") + sep + tail, encoding="utf-8")
    return dest


def _timed(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall s, CPU s, return code) of a new process."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    cp = subprocess.run(args, env=env, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return wall, cpu, cp.returncode


def whole_process(server, tmp: Path, repeats: int) -> list[str]:
    """The sample drafted by new processes: first run, cached re-run, template."""
    base = dict(os.environ, OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="local",
                DRAFTER_MODEL="scripted-bench")
    draft = [sys.executable, "-m", "drafter", "draft", str(SAMPLE), "-o", str(tmp / "bench.docx"), "--force"]
    rows: dict[str, list[tuple[float, float, int]]] = {"first": [], "cached": [], "template": []}
    calls: dict[str, list[int]] = {"first": [], "cached": []}
    for i in range(repeats):
        env = dict(base, DRAFTER_CACHE_DIR=str(tmp / f"cache-whole-{i}"))
        for label in ("first", "cached"):
            before = len(server.requests)
            rows[label].append(_timed(draft + ["--backend", "llm"], env))
            calls[label].append(len(server.requests) - before)
        rows["template"].append(_timed(draft, base))

    def med(label: str) -> str:
        walls = [w for w, _, _ in rows[label]]
        cpus = [c for _, c, _ in rows[label]]
        codes = sorted({c for _, _, c in rows[label]})
        return (f"墙钟中位数 {statistics.median(walls):.2f} 秒（最快 {min(walls):.2f}），"
                f"CPU {statistics.median(cpus):.2f} 秒，退出码 {codes}")
    return [f"整个进程（新进程运行 drafter draft 样例，{repeats} 次取中位数）：",
            f"  大模型首次（空缓存，调用 {calls['first'][0]} 次）：{med('first')}",
            f"  大模型缓存重跑（调用 {calls['cached'][0]} 次）：{med('cached')}",
            f"  对照：模板起草：{med('template')}"]


def imports(repeats: int = 3) -> list[str]:
    """Import time of the template path vs the LLM path (new processes, median)."""
    def cost(code: str) -> float:
        return statistics.median(_timed([sys.executable, "-c", code], dict(os.environ))[0]
                                 for _ in range(repeats))
    base = cost("import drafter.pipeline")
    llm = cost("import drafter.pipeline, drafter.backends.llm, drafter.backends.llm_http, httpx")
    lines = [f"导入开销（新进程，{repeats} 次中位数）：模板路径 {base:.2f} 秒；大模型路径 {llm:.2f} 秒"
             f"（多 {llm - base:.2f} 秒：httpx 与大模型后端）"]
    import importlib.util

    if importlib.util.find_spec("langchain_openai") is not None:
        lc = cost("import drafter.pipeline, langchain_openai, openai.resources.chat")
        lines.append(f"  对照：若经 langchain-openai（ChatOpenAI）调用，导入需 {lc:.2f} 秒（多 {lc - base:.2f} 秒），"
                     "故大模型后端直接用 httpx 讲 OpenAI 协议")
    return lines


def _draft_in_process(facts: Path, out: Path, concurrency: int):
    from drafter.backends.llm import LLMBackend
    from drafter.pipeline import draft

    be = LLMBackend(concurrency=concurrency)
    t0 = time.perf_counter()
    result = draft(facts, out, backend=be, force=True)
    return result, be, time.perf_counter() - t0


def concurrency_case(name: str, facts: Path, tmp: Path, server, concurrency: int) -> list[str]:
    os.environ["DRAFTER_CACHE_DIR"] = str(tmp / f"cache-{name}-{concurrency}")
    before = len(server.requests)
    result, be, total = _draft_in_process(facts, tmp / f"{name}.docx", concurrency)
    r = be.report()
    statuses = "、".join(f"{s['key']}:{s['status_text']}" for s in r["sections"])
    return [f"{name}（{len(result.plan.sections)} 个部分，--concurrency {concurrency}）：起草墙钟 {r['wall_s']:.2f} 秒"
            f"（整个流程 {total:.2f} 秒）；各次调用延迟之和 {r['sequential_s']:.2f} 秒；"
            f"调用 {len(server.requests) - before} 次；{statuses}"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--latency", type=float, default=1.0, help="每次调用的延迟（秒）")
    ap.add_argument("--repeats", type=int, default=3, help="整个进程的重复次数（取中位数）")
    args = ap.parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from evaluations.drafting_eval import model_reply
    from evaluations.openai_server import Reply, ScriptedServer

    with ScriptedServer(latency=args.latency) as server, \
            tempfile.TemporaryDirectory(prefix="drafter-bench-") as tmpdir:
        server.default = lambda body: Reply(content=model_reply(body.get("messages") or []))
        os.environ.update(OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="local",
                          DRAFTER_MODEL="scripted-bench")
        tmp = Path(tmpdir)
        print(f"LLM 起草基准：本地脚本服务器 {server.base_url}，每次调用延迟 {args.latency:.1f} 秒；"
              f"本机负载 {os.getloadavg()[0]:.1f}（{os.cpu_count()} 核）")
        for line in whole_process(server, tmp, args.repeats) + imports():
            print(line)
        five = _with_other(SAMPLE, tmp / "facts-5.yaml")
        _draft_in_process(SAMPLE, tmp / "warm-up.docx", 4)  # one-off loads, not in the figures
        print("并发（进程内，预热后）：")
        for line in (concurrency_case("样例报告+第五部分", five, tmp, server, 5)
                     + concurrency_case("样例报告+第五部分", five, tmp, server, 4)):
            print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
