"""Benchmarks: wall times of whole ``drafter`` processes, as a user runs them.

- a cold ``drafter check`` of one report (a new process each time, start-up included);
- throughput on a folder of 500 reports, one process and ``--jobs`` per core;
- peak memory (the largest RSS of the process and its workers);
- ``drafter draft`` from facts to .docx with the template backend (a new process), and the
  pipeline's stage timings in-process;
- the in-process cost of checking one report once start-up is paid;
- the LLM concurrency benchmark (``evaluations/bench_llm.py``, owned by the LLM backend), run
  as it is and its output kept verbatim;
- the limits of the web server and the CLI (``evaluations/bench_web_limits.py``: bomb files,
  a 650,000-character report through the web, SIGTERM during a check), likewise.

Every figure is measured here, on this machine, when the evaluation runs; nothing is cached.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases" / "reports"
COLD_REPORT = CASES / "16_tongxi_county_gov.txt"  # ≈3,000 characters
DRAFT_FACTS = ROOT / "corpus" / "shili-kegongxin" / "2023" / "facts.yaml"


def compile_package() -> None:
    """Write the package's bytecode (``__pycache__``) before anything is timed, as ``pip
    install`` does for a regular installation: an editable checkout run with
    ``PYTHONDONTWRITEBYTECODE=1`` would otherwise recompile every edited module in every
    measured process."""
    import compileall

    compileall.compile_dir(str(ROOT / "drafter"), quiet=1)
    compileall.compile_dir(str(ROOT / "evaluations"), quiet=1, maxlevels=0)


def speed_probe(rounds: int = 5) -> float:
    """CPU milliseconds of a fixed piece of pure-Python work (dict, str and int operations,
    as the checker does), median of ``rounds``: how fast this machine runs Python right now.
    A virtual machine's speed can change by half from one minute to the next; every wall and
    CPU time of a run moves with it, so the figure is printed beside them."""
    def work() -> int:
        counts: dict[str, int] = {}
        total = 0
        for i in range(200_000):
            key = str(i % 1000)
            counts[key] = counts.get(key, 0) + 1
            total += len(key)
        return total

    times = []
    for _ in range(rounds):
        t0 = time.process_time()
        work()
        times.append((time.process_time() - t0) * 1000)
    return statistics.median(times)


def drafter_cmd() -> list[str]:
    """The installed ``drafter`` console script beside this Python, else ``python -m drafter``."""
    exe = Path(sys.executable).parent / "drafter"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "drafter"]


@dataclass
class Run:
    wall_s: float
    returncode: int
    max_rss_mb: float
    cpu_s: float  # user + system CPU of the process and the workers it waited for
    stdout: bytes = field(repr=False, default=b"")
    stderr: bytes = field(repr=False, default=b"")


# A small launcher between this (large) process and the measured one: a child's peak RSS
# counts the memory it had before exec, i.e. a copy of its parent's; through the launcher that
# is the launcher's few MB. It times the command and reports its children's usage — of every
# process the command started: on Linux the launcher adopts the ones the command leaves to
# end by themselves (the segmenter service of a folder check, told to stop and not waited
# for) and waits for them too, after the wall time is taken.
_LAUNCHER = r"""
import json, os, resource, subprocess, sys, time
try:
    import ctypes
    ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
except (OSError, AttributeError):
    pass
t0 = time.perf_counter()
rc = subprocess.call(sys.argv[2:])
wall = time.perf_counter() - t0
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as f:
    json.dump({"wall": wall, "rc": rc, "maxrss_kb": ru.ru_maxrss,
               "cpu": ru.ru_utime + ru.ru_stime}, f)
"""


def run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Run ``cmd`` to completion: wall time, CPU time and peak RSS of the process and every
    process it started (``--jobs`` workers, the segmenter service)."""
    with tempfile.TemporaryDirectory(prefix="drafter-bench-") as tmp:
        stats = Path(tmp) / "stats.json"
        with open(Path(tmp) / "out", "w+b") as out, open(Path(tmp) / "err", "w+b") as err:
            subprocess.run([sys.executable, "-c", _LAUNCHER, str(stats), *cmd], stdout=out,
                           stderr=err, env=env, cwd=cwd, check=False)
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        st = json.loads(stats.read_text())
    return Run(st["wall"], st["rc"], st["maxrss_kb"] / 1024, st["cpu"], stdout, stderr)


def _chars(path: Path) -> int:
    return len("".join(path.read_text(encoding="utf-8").split()))


def cold_check(path: Path = COLD_REPORT, repeats: int = 5) -> dict:
    """``drafter check REPORT`` in a new process, ``repeats`` times after one warm-up run (so
    the files are in the page cache, as on a machine that has run drafter before)."""
    cmd = drafter_cmd() + ["check", str(path), "--format", "json"]
    run(cmd)
    runs = [run(cmd) for _ in range(repeats)]
    bad = [r for r in runs if r.returncode not in (0, 1)]
    walls = [r.wall_s for r in runs]
    return {"report": path.name, "characters": _chars(path), "repeats": repeats,
            "median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
            "cpu_s": statistics.median(r.cpu_s for r in runs),
            "max_rss_mb": max(r.max_rss_mb for r in runs),
            "error": bad[0].stderr.decode(errors="replace")[-300:] if bad else None}


def startup(repeats: int = 5) -> dict:
    """``drafter --version``: the interpreter and CLI start-up alone."""
    cmd = drafter_cmd() + ["--version"]
    run(cmd)
    walls = [run(cmd).wall_s for _ in range(repeats)]
    return {"median_s": statistics.median(walls), "min_s": min(walls)}


def make_folder(folder: Path, n: int, texts: list[str]) -> None:
    """``n`` report files cycling through ``texts`` (clean reports and mutants)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"{i:04d}.txt").write_text(texts[i % len(texts)] + "\n", encoding="utf-8")


def throughput(texts: list[str], n: int = 500, jobs: tuple[int, ...] = (1, 2)) -> list[dict]:
    """``drafter check FOLDER --format json [--jobs J]`` on ``n`` reports."""
    out = []
    with tempfile.TemporaryDirectory(prefix="drafter-bench-") as tmp:
        folder = Path(tmp) / "reports"
        make_folder(folder, n, texts)
        for j in jobs:
            r = run(drafter_cmd() + ["check", str(folder), "--format", "json", "--jobs", str(j)])
            checked = None
            try:
                checked = json.loads(r.stdout)["summary"]["files"]
            except (ValueError, KeyError):
                pass
            out.append({"jobs": j, "files": n, "checked": checked, "wall_s": r.wall_s,
                        "cpu_s": r.cpu_s,
                        "reports_per_s": n / r.wall_s if r.wall_s else 0.0,
                        "max_rss_mb": r.max_rss_mb,
                        "error": None if checked == n else r.stderr.decode(errors="replace")[-300:]})
    return out


def long_texts(min_chars: int = 2800) -> list[str]:
    """Reports of about 3,000 characters: the clean evaluation reports of at least
    ``min_chars`` characters and one mutant per operator of each (fixed seed)."""
    from evaluations.mutations import CASES, DEFAULT_SEED, clean_sources, generate

    sources = [s for s in clean_sources(CASES) if len("".join(s.text.split())) >= min_chars]
    return [s.text for s in sources] + [m.text for m in generate(sources, DEFAULT_SEED, 1)]


def default_folder(texts: list[str], n: int = 200, repeats: int = 3) -> dict:
    """``drafter check FOLDER`` with default options (text output, ``--jobs`` default: one
    process per core) on ``n`` reports, ``repeats`` times after one warm-up run."""
    with tempfile.TemporaryDirectory(prefix="drafter-bench-") as tmp:
        folder = Path(tmp) / "reports"
        make_folder(folder, n, texts)
        cmd = drafter_cmd() + ["check", str(folder)]
        run(cmd)
        runs = [run(cmd) for _ in range(repeats)]
    bad = [r for r in runs if r.returncode not in (0, 1)]
    walls = [r.wall_s for r in runs]
    chars = [len("".join(t.split())) for t in texts]
    return {"files": n, "repeats": repeats, "min_chars": min(chars), "max_chars": max(chars),
            "median_s": statistics.median(walls), "min_s": min(walls),
            "reports_per_s": n / statistics.median(walls), "best_reports_per_s": n / min(walls),
            "cpu_s": statistics.median(r.cpu_s for r in runs),
            "max_rss_mb": max(r.max_rss_mb for r in runs),
            "error": bad[0].stderr.decode(errors="replace")[-300:] if bad else None}


def draft_cold(repeats: int = 3) -> dict:
    """``drafter draft FACTS -o OUT.docx --force`` (template backend) in a new process."""
    with tempfile.TemporaryDirectory(prefix="drafter-bench-") as tmp:
        out = Path(tmp) / "报告.docx"
        cmd = drafter_cmd() + ["draft", str(DRAFT_FACTS), "-o", str(out), "--force"]
        runs = [run(cmd) for _ in range(repeats)]
        ok = out.exists()
    walls = [r.wall_s for r in runs]
    return {"facts": str(DRAFT_FACTS.relative_to(ROOT)), "median_s": statistics.median(walls),
            "cpu_s": statistics.median(r.cpu_s for r in runs),
            "min_s": min(walls), "max_rss_mb": max(r.max_rss_mb for r in runs),
            "returncodes": sorted({r.returncode for r in runs}), "docx_written": ok,
            "error": None if ok else runs[-1].stderr.decode(errors="replace")[-300:]}


def draft_stages() -> dict[str, float]:
    """The pipeline's own stage timings (ms) of a warm in-process template draft."""
    from drafter.pipeline import draft

    with tempfile.TemporaryDirectory(prefix="drafter-bench-") as tmp:
        draft(DRAFT_FACTS, Path(tmp) / "a.docx", force=True)  # warm: imports, lexicons
        res = draft(DRAFT_FACTS, Path(tmp) / "b.docx", force=True)
    return dict(res.timings_ms)


@contextmanager
def as_a_worker():
    """The garbage collector as a ``drafter check`` worker has it: the CLI's thresholds, and
    what is already allocated frozen (a worker inherits it frozen from its parent). Without
    this, an in-process measurement after the rest of the evaluation would time full
    collections over the evaluation's own data (and vary from run to run with it)."""
    import gc

    before = gc.get_threshold()
    from drafter.cli import GC_THRESHOLDS  # (importing the CLI sets them too: restored below)

    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def per_report_ms(texts: list[str], rounds: int = 3) -> dict:
    """In-process cost of checking one report (every rule), after a warm-up, with the
    collector as in a worker (:func:`as_a_worker`)."""
    from drafter.checker import CheckOptions, check_report
    from drafter.report.structure import build_report

    def once(t: str) -> None:
        check_report(build_report(t.split("\n"), path="<bench>", fmt="txt"), CheckOptions())

    for t in texts:
        once(t)
    times, cpu = [], []
    with as_a_worker():
        for _ in range(rounds):
            for t in texts:
                t0, c0 = time.perf_counter(), time.process_time()
                once(t)
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
    # CPU time: what the check itself costs, on a busy machine too (the wall time then
    # includes the waits for a core).
    return {"reports": len(texts), "median_ms": statistics.median(times),
            "p90_ms": sorted(times)[int(len(times) * 0.9) - 1], "max_ms": max(times),
            "cpu_median_ms": statistics.median(cpu)}


_BREAKDOWN = r"""
import json, sys, time
t0 = time.perf_counter()
import drafter.cli  # as the drafter command: its pattern and code caches in place first
from drafter.api import CheckRequest, check_paths
from drafter.checker.output import render_json
t1 = time.perf_counter()
render_json(check_paths(CheckRequest(paths=[sys.argv[1]])))
t2 = time.perf_counter()
render_json(check_paths(CheckRequest(paths=[sys.argv[1]])))
t3 = time.perf_counter()
print(json.dumps({"imports_s": t1 - t0, "first_check_s": t2 - t1, "second_check_s": t3 - t2}))
"""


def cold_breakdown(path: Path = COLD_REPORT) -> dict:
    """Where a cold check's time goes, in a new process: imports, the first check (lexicons,
    segmenter and other lazy loads included), a second check of the same report."""
    r = run([sys.executable, "-c", _BREAKDOWN, str(path)])
    try:
        return json.loads(r.stdout.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"error": r.stderr.decode(errors="replace")[-300:]}


def rule_costs(texts: list[str], top: int = 10) -> list[tuple[str, float]]:
    """Mean in-process milliseconds per report of each rule (warm; a shared analysis is
    charged to the first rule that asks for it), the ``top`` slowest."""
    from drafter.checker import CheckOptions, all_rules
    from drafter.checker.context import CheckContext
    from drafter.report.structure import build_report

    rules = all_rules()
    cost = dict.fromkeys((r.id for r in rules), 0.0)
    with as_a_worker():
        for rnd in range(2):  # the first round warms the lexicons
            for t in texts:
                ctx = CheckContext(build_report(t.split("\n"), path="<bench>", fmt="txt"),
                                   CheckOptions())
                for r in rules:
                    t0 = time.perf_counter()
                    list(r.func(ctx) or ())
                    if rnd:
                        cost[r.id] += (time.perf_counter() - t0) * 1000
    return sorted(((k, v / len(texts)) for k, v in cost.items()), key=lambda x: -x[1])[:top]


def import_profile(path: Path = COLD_REPORT, top: int = 8) -> list[tuple[str, float]]:
    """The slowest imports (cumulative ms) of ``python -X importtime -m drafter check``."""
    r = run([sys.executable, "-X", "importtime", "-m", "drafter", "check", str(path)])
    rows = []
    for line in r.stderr.decode(errors="replace").splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            if not name.startswith("  "):  # top-level imports only (cumulative covers the rest)
                rows.append((name.strip(), int(parts[1]) / 1000))
    return sorted(rows, key=lambda x: -x[1])[:top]


def bench_llm() -> dict:
    """Run the LLM concurrency benchmark (``python -m evaluations.bench_llm``, owned by the LLM
    backend) as it is, and keep its output."""
    if not (Path(__file__).resolve().parent / "bench_llm.py").exists():
        return {"error": "未评测：evaluations/bench_llm.py 尚不存在"}
    r = run([sys.executable, "-m", "evaluations.bench_llm"], cwd=ROOT)
    text = r.stdout.decode(errors="replace").strip()
    return {"wall_s": r.wall_s, "returncode": r.returncode, "output": text,
            "error": None if r.returncode == 0 else r.stderr.decode(errors="replace")[-500:]}


def bench_web() -> dict:
    """Run the web load test (``python -m evaluations.bench_web``: 50 concurrent check requests
    on 127.0.0.1) as it is, and keep its output; "not evaluated" without the web extra."""
    import importlib.util

    if importlib.util.find_spec("fastapi") is None or importlib.util.find_spec("uvicorn") is None:
        return {"error": "未评测：未安装网页版依赖（pip install -e .[web]）"}
    r = run([sys.executable, "-m", "evaluations.bench_web"], cwd=ROOT)
    text = r.stdout.decode(errors="replace").strip()
    return {"wall_s": r.wall_s, "returncode": r.returncode, "output": text,
            "error": None if r.returncode == 0 else r.stderr.decode(errors="replace")[-500:]}


def bench_web_limits() -> dict:
    """Run ``python -m evaluations.bench_web_limits`` (bombs, a very long report, SIGTERM; on
    127.0.0.1) as it is, and keep its output; "not evaluated" without the web extra."""
    import importlib.util

    if importlib.util.find_spec("fastapi") is None or importlib.util.find_spec("uvicorn") is None:
        return {"error": "未评测：未安装网页版依赖（pip install -e .[web]）"}
    r = run([sys.executable, "-m", "evaluations.bench_web_limits"], cwd=ROOT)
    text = r.stdout.decode(errors="replace").strip()
    return {"wall_s": r.wall_s, "returncode": r.returncode, "output": text,
            "error": None if text else r.stderr.decode(errors="replace")[-500:]}
