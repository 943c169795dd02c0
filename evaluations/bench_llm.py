"""Benchmark of the LLM backend's concurrency and cache (``python -m evaluations.bench_llm``).

Drafts the sample report (``corpus/shili-kegongxin/2023/facts.yaml``) with ``--backend llm``
against the scripted OpenAI-compatible server of the tests (``evaluations/openai_server.py``, a real
local HTTP socket) whose every answer takes ``--latency`` seconds (default 1.0). The stand-in
model writes each section from the facts its prompt carries (``evaluations.drafting_eval.
model_reply``), so every section passes grounding at the first try: one call per section.

Printed per case: the wall time of the drafting stage, next to the sum of the calls' latencies
(what drafting one section after another would take), the number of calls, and a second run
with the same inputs (answered from the cache: no call). Cases: the sample as shipped, and the
sample with a fifth section (其他需要报告的情况) at ``--concurrency`` 5 (the default) and 4. One-off
costs of a process (imports, the first requests' lazy imports) are measured by a warm-up draft
and printed apart.
"""

from __future__ import annotations

import argparse
import os
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


def _draft(facts: Path, out: Path, concurrency: int):
    from drafter.backends.llm import LLMBackend
    from drafter.pipeline import draft

    be = LLMBackend(concurrency=concurrency)
    t0 = time.perf_counter()
    result = draft(facts, out, backend=be, force=True)
    return result, be, time.perf_counter() - t0


def run_case(name: str, facts: Path, tmp: Path, server, concurrency: int) -> list[str]:
    cache = tmp / f"cache-{len(list(tmp.glob('cache-*')))}"  # a fresh cache per case
    os.environ["DRAFTER_CACHE_DIR"] = str(cache)
    lines = []
    for label in ("首次", "缓存重跑"):
        before = len(server.requests)
        result, be, total = _draft(facts, tmp / f"{name}.docx", concurrency)
        r = be.report()
        statuses = "、".join(f"{s['key']}:{s['status_text']}" for s in r["sections"])
        lines.append(
            f"  {label}：起草墙钟 {r['wall_s']:.2f} 秒（整个流程 {total:.2f} 秒）；"
            f"各次调用延迟之和 {r['sequential_s']:.2f} 秒；调用 {len(server.requests) - before} 次"
            f"（缓存命中 {r['cached_responses']}）；{statuses}")
    return [f"{name}（{len(result.plan.sections)} 个部分，--concurrency {concurrency}）："] + lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--latency", type=float, default=1.0, help="每次调用的延迟（秒）")
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
        five = _with_other(SAMPLE, tmp / "facts-5.yaml")
        t0 = time.perf_counter()
        from drafter.backends.llm import LLMBackend

        LLMBackend()  # one-off imports (langchain ~3 s, segmenter), not in the figures
        setup = time.perf_counter() - t0
        # A warm-up draft: the first requests of a process import the HTTP stack lazily.
        os.environ["DRAFTER_CACHE_DIR"] = str(tmp / "cache-warm-up")
        _, warm, _ = _draft(SAMPLE, tmp / "warm-up.docx", 4)
        print(f"LLM 起草基准：本地脚本服务器 {server.base_url}，每次调用延迟 {args.latency:.1f} 秒")
        print(f"一次性开销（不计入下列时间）：导入 langchain 等 {setup:.1f} 秒；"
              f"预热起草一次 {warm.wall_s:.2f} 秒，调用 {warm.calls} 次")
        for line in (run_case("样例报告", SAMPLE, tmp, server, 5)
                     + run_case("样例报告+第五部分", five, tmp, server, 5)
                     + run_case("样例报告+第五部分", five, tmp, server, 4)):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
