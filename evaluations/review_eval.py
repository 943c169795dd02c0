"""Evaluation of LLM-assisted review (``python -m evaluations.review_eval``).

Two recorded-answer sets in the same format (``evaluations/cases/review/`` and the held-out
``evaluations/cases/review_heldout/``, each with a README): labelled reports, the reply a
model gave for every part, and the expected verdict of every finding it proposed. The
replies are served by the scripted OpenAI-compatible server (:mod:`evaluations.openai_server`,
a real local socket), routed by report title and by each part's ``route`` text; drafter's
reviewer asks, parses and verifies exactly as ``drafter check --llm`` does.

Printed per set: proposals, verdicts as expected, kept / hints / dropped by reason, the
precision of the kept findings (the manifest's ``"true"``), whether every invented quote was
dropped, and the recall of the labelled defects only a reader finds. Then the same with a
server that refuses ``response_format`` and with streaming off (the kept findings must not
change), and the speed: ``drafter check --llm`` on a 3,000-character report in a fresh
process against a server answering each call in ``--latency`` seconds, and a second run
(answered from the cache).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "evaluations" / "cases"
SETS = {"recorded": CASES / "review", "heldout": CASES / "review_heldout"}
SPEED_REPORT = SETS["heldout"] / "reports" / "21_tongxi_county_gov_review.txt"
TARGETS = {"precision": 0.9, "speed_s": 2.5}
MODEL = "review-eval"


@dataclass
class CasePart:
    id: str
    route: str
    reply: str
    expected: list[dict[str, Any]]


@dataclass
class Case:
    name: str
    path: Path
    title: str
    parts: dict[str, CasePart]
    defects: list[dict[str, Any]]


def load(root: Path) -> list[Case]:
    """The reports, replies and expected verdicts of one set."""
    import yaml

    out = []
    for entry in yaml.safe_load((root / "manifest.yaml").read_text(encoding="utf-8")):
        path = root / "reports" / f"{entry['report']}.txt"
        labels = yaml.safe_load(path.with_suffix(".labels.yaml").read_text(encoding="utf-8"))
        parts = {c["id"]: CasePart(c["id"], c["route"],
                                   (root / c["file"]).read_text(encoding="utf-8"),
                                   c.get("findings") or [])
                 for c in entry["chunks"]}
        title = path.read_text(encoding="utf-8").split("\n", 1)[0].strip()
        out.append(Case(entry["report"], path, title, parts, labels.get("defects") or []))
    return out


def router(cases: list[Case], reject_format: bool = False) -> Callable[[dict], Any]:
    """The scripted server's answer to a review request: the recorded reply of the part
    whose route is in the request's part text, of the report whose title the request names.
    ``reject_format``: answer HTTP 400 to any request with ``response_format`` (a server
    without JSON mode)."""
    from drafter.review.prompt import chunk_text_of
    from evaluations.openai_server import Reply, error

    def answer(body: dict) -> Any:
        if reject_format and body.get("response_format"):
            return error(400, "response_format is not supported by this server")
        user = next((str(m.get("content") or "") for m in reversed(body.get("messages", []))
                     if m.get("role") == "user"), "")
        text = chunk_text_of(user) or ""
        for case in cases:
            if case.title in user:
                for part in case.parts.values():
                    if part.route in text:
                        return Reply(content=part.reply)
        return error(500, "no recorded reply for this request")

    return answer


@dataclass
class SetResult:
    name: str
    reports: int = 0
    parts: int = 0
    proposals: int = 0
    verdicts_as_expected: int = 0
    exact: int = 0  # verdict and reason
    kept: int = 0
    kept_true: int = 0
    hints: int = 0
    dropped: Counter = field(default_factory=Counter)
    invented: int = 0  # proposals whose quote is not in the part (expected quote-not-found)
    invented_dropped: int = 0
    defects: int = 0  # labelled defects only a reader finds
    defects_found: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    failed: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    kept_keys: set = field(default_factory=set)  # (report, part, quote) of kept findings
    wall_s: float = 0.0

    @property
    def precision(self) -> float:
        return self.kept_true / self.kept if self.kept else 0.0


def _env(base_url: str, stream: bool, cache_dir: str | None = None) -> dict[str, str]:
    env = {"OPENAI_BASE_URL": base_url, "OPENAI_API_KEY": "review-eval-key",
           "DRAFTER_MODEL": MODEL, "DRAFTER_LLM_STREAM": "1" if stream else "0",
           "DRAFTER_LLM_TIMEOUT": "30", "DRAFTER_LLM_DEADLINE": "120"}
    if cache_dir:
        env["DRAFTER_CACHE_DIR"] = cache_dir
    return env


def evaluate(name: str, cases: list[Case], *, stream: bool = True,
             reject_format: bool = False) -> SetResult:
    """Review every report of a set against the scripted server; compare the verdicts."""
    from drafter.api import CheckRequest
    from drafter.backends.llm_client import endpoint_from_env
    from drafter.report.readers import read_report
    from drafter.review import Reviewer
    from evaluations.openai_server import ScriptedServer

    res = SetResult(name, reports=len(cases))
    reports = [read_report(c.path) for c in cases]
    items = [(r, CheckRequest().check_report(r)) for r in reports]
    with ScriptedServer() as server:
        server.default = router(cases, reject_format)
        endpoint = endpoint_from_env(None, _env(server.base_url, stream))
        t0 = time.perf_counter()
        reviews = Reviewer(endpoint, cache=False).review(items)
        res.wall_s = time.perf_counter() - t0
    for case, review in zip(cases, reviews):
        st = review.stats
        res.parts += st.parts
        res.requests += st.requests
        res.prompt_tokens += st.prompt_tokens
        res.completion_tokens += st.completion_tokens
        res.failed += [f"{case.name}/{x}" for x in st.failed]
        by_part: dict[str, list] = {}
        for chunk, v in review.verdicts:
            by_part.setdefault(chunk.id, []).append(v)
        found: set[int] = set()
        for pid, part in case.parts.items():
            got = by_part.get(pid, [])
            if len(got) != len(part.expected):
                res.mismatches.append(f"{case.name}/{pid}：期望 {len(part.expected)} 条建议，读出 {len(got)} 条")
            for exp, v in zip(part.expected, got):
                res.proposals += 1
                ok = v.action == exp["verdict"]
                res.verdicts_as_expected += ok
                res.exact += ok and (v.reason or None) == (exp.get("reason") or None)
                if not ok:
                    res.mismatches.append(f"{case.name}/{pid}“{exp['quote']}”：期望 {exp['verdict']}"
                                          f"（{exp.get('reason') or '—'}），实际 {v.action}（{v.reason or '—'}）")
                if v.action == "keep":
                    res.kept += 1
                    res.kept_true += bool(exp.get("true"))
                    res.kept_keys.add((case.name, pid, exp["quote"]))
                    if exp.get("defect") is not None:
                        found.add(int(exp["defect"]))
                elif v.reason == "duplicate-of-rule" and exp.get("defect") is not None:
                    found.add(int(exp["defect"]))  # reported all the same: by the rule
                elif v.action == "info":
                    res.hints += 1
                else:
                    res.dropped[v.reason or "?"] += 1
                if exp.get("occurs") == 0:
                    res.invented += 1
                    res.invented_dropped += v.action == "drop"
        llm_defects = [i for i, d in enumerate(case.defects) if d.get("llm_kind")]
        res.defects += len(llm_defects)
        res.defects_found += sum(1 for i in llm_defects if i in found)
    return res


@dataclass
class Speed:
    report: str
    characters: int
    latency_s: float
    parts: int = 0
    first_s: float = 0.0
    first_cpu_s: float = 0.0  # CPU time of the first run's process (user + system)
    first_requests: int = 0
    max_in_flight: int = 0
    second_s: float = 0.0
    second_requests: int = 0
    returncodes: tuple[int, int] = (0, 0)
    kept: int = 0
    to_first_request_s: float = 0.0  # process start → the first request reaches the server
    requests_spread_s: float = 0.0  # first → last request arriving (0: all sent at once)
    after_last_reply_s: float = 0.0  # the last reply sent → the process has exited
    error: str | None = None


def speed(latency: float = 1.0, report: Path = SPEED_REPORT) -> Speed:
    """``drafter check REPORT --llm --format json`` in a fresh process, twice (a fresh
    cache, then the same cache), against a server taking ``latency`` seconds per call."""
    from evaluations.openai_server import ScriptedServer

    cases = [c for s in SETS.values() for c in load(s) if c.path == report]
    text = report.read_text(encoding="utf-8")
    out = Speed(report.name, len(text.replace("\n", "")), latency)
    with ScriptedServer(latency=latency) as server, tempfile.TemporaryDirectory() as tmp:
        server.default = router(cases)
        env = {**os.environ, **_env(server.base_url, True, tmp)}
        codes = []
        for label in ("first", "second"):
            before = len(server.requests)
            t0 = time.monotonic()  # the clock of the server's arrival times
            cpu0 = _child_cpu()
            proc = subprocess.run([sys.executable, "-m", "drafter", "check", str(report), "--llm",
                                   "--format", "json"], env=env, capture_output=True, text=True,
                                  timeout=120)
            wall = time.monotonic() - t0
            codes.append(proc.returncode)
            if proc.returncode not in (0, 1):
                out.error = proc.stderr.strip()[-300:]
                break
            data = json.loads(proc.stdout)
            llm = data["files"][0]["llm"]
            if label == "first":
                out.first_s, out.first_requests = wall, len(server.requests) - before
                out.first_cpu_s = _child_cpu() - cpu0
                arrivals = sorted(r.at - t0 for r in server.requests[before:])
                if arrivals:
                    out.to_first_request_s = arrivals[0]
                    out.requests_spread_s = arrivals[-1] - arrivals[0]
                    out.after_last_reply_s = wall - arrivals[-1] - latency
                out.parts = llm["parts"]
                out.max_in_flight = server.max_in_flight
                out.kept = sum(1 for f in data["files"][0]["findings"] if f["source"] == "llm")
            else:
                out.second_s, out.second_requests = wall, len(server.requests) - before
        out.returncodes = tuple(codes + [0] * (2 - len(codes)))  # type: ignore[assignment]
    return out


def _child_cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_all(latency: float = 1.0) -> dict[str, Any]:
    """Every figure of this evaluation (for ``python -m evaluations``)."""
    sets = {name: evaluate(name, load(root)) for name, root in SETS.items()}
    recorded = load(SETS["recorded"])
    variants = {"服务器拒绝 response_format": evaluate("recorded", recorded, reject_format=True),
                "关闭流式输出（DRAFTER_LLM_STREAM=0）": evaluate("recorded", recorded, stream=False)}
    return {"sets": sets, "variants": variants, "speed": speed(latency)}


def render(r: dict[str, Any]) -> str:
    """The Markdown of the figures."""
    labels = {"recorded": "录制集 `cases/review`", "heldout": "留出集 `cases/review_heldout`"}
    from drafter.review.verify import REASONS

    lines = ["| 评测集 | 报告 / 片段 / 建议 | 判定与期望一致 | 保留（警告） | 其中为真 | 精确率 | 降为提示 | 丢弃 | "
             "编造引文丢弃 | 人工才能发现的缺陷找到（大模型保留，或规则已报告而丢弃其重复） | 请求 / token（输入+输出） |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, s in r["sets"].items():
        lines.append(f"| {labels[name]} | {s.reports} / {s.parts} / {s.proposals} | "
                     f"{s.verdicts_as_expected}（理由也一致 {s.exact}） | {s.kept} | {s.kept_true} | "
                     f"**{s.precision:.3f}** | {s.hints} | {sum(s.dropped.values())} | "
                     f"{s.invented_dropped}/{s.invented} | {s.defects_found}/{s.defects} | "
                     f"{s.requests} / {s.prompt_tokens}+{s.completion_tokens} |")
    lines.append("")
    for name, s in r["sets"].items():
        reasons = "，".join(f"{REASONS.get(k, k)} {n}" for k, n in
                           sorted(s.dropped.items(), key=lambda kv: list(REASONS).index(kv[0])
                                  if kv[0] in REASONS else 99))
        lines.append(f"- {labels[name]} 丢弃原因：{reasons or '无'}")
        for m in s.mismatches:
            lines.append(f"  - 与期望不一致：{m}")
        for f in s.failed:
            lines.append(f"  - 未完成的片段：{f}")
    for label, v in r["variants"].items():
        same = v.kept_keys == r["sets"]["recorded"].kept_keys
        lines.append(f"- 录制集，{label}：请求 {v.requests} 次，保留 {v.kept} 条，"
                     f"{'与默认设置保留的意见完全相同' if same else '与默认设置保留的意见不同'}")
    sp: Speed = r["speed"]
    if sp.error:
        lines.append(f"- 速度：未完成（{sp.error}）")
    else:
        lines.append(f"- 速度：`drafter check {sp.report} --llm --format json`（{sp.characters} 字，"
                     f"{sp.parts} 个片段），服务器每次调用 {sp.latency_s:.1f} 秒：新进程整个运行 "
                     f"**{sp.first_s:.2f} 秒**（CPU {sp.first_cpu_s:.2f} 秒；请求 {sp.first_requests} 次，同时在途最多 {sp.max_in_flight} 个，"
                     f"保留大模型意见 {sp.kept} 条）；同一缓存再运行一次 {sp.second_s:.2f} 秒，"
                     f"请求 **{sp.second_requests}** 次；退出码 {sp.returncodes}")
        lines.append(f"  - 首次运行的时间分布：进程启动到第一个请求到达服务器 {sp.to_first_request_s:.2f} 秒"
                     f"（Python 启动、读入、规则审核、导入大模型客户端库），全部请求在 {sp.requests_spread_s:.2f} 秒内发出，"
                     f"最后一个回复发出后到进程结束 {sp.after_last_reply_s:.2f} 秒（核实意见、输出、退出）")
    return "\n".join(lines)


def targets(r: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """(指标, 结果, 目标, 达标) rows for the summary table of RESULTS.md."""
    s = r["sets"]["recorded"]
    sp: Speed = r["speed"]
    return [
        ("大模型审核：保留意见的精确率（录制集）", f"{s.precision:.3f}", f"≥ {TARGETS['precision']}",
         s.precision >= TARGETS["precision"]),
        ("大模型审核：编造的引文全部丢弃（录制集＋留出集）",
         f"{sum(x.invented_dropped for x in r['sets'].values())}/{sum(x.invented for x in r['sets'].values())}",
         "全部", all(x.invented_dropped == x.invented for x in r["sets"].values())),
        (f"大模型审核：{sp.characters} 字报告（服务器每次 {sp.latency_s:.0f} 秒，整个进程）",
         "未完成" if sp.error else f"{sp.first_s:.2f} 秒", f"≤ {TARGETS['speed_s']} 秒",
         not sp.error and sp.first_s <= TARGETS["speed_s"]),
        ("大模型审核：第二次运行的请求数（缓存）", "未完成" if sp.error else str(sp.second_requests), "0",
         not sp.error and sp.second_requests == 0),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evaluations.review_eval",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("--latency", type=float, default=1.0, help="速度评测中服务器每次调用的延迟（秒）")
    args = ap.parse_args(argv)
    r = run_all(args.latency)
    print(render(r))
    print()
    for name, value, target, ok in targets(r):
        print(f"{'✅' if ok else '❌'} {name}：{value}（目标 {target}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
