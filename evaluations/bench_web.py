"""Load test of the web pages (``python -m evaluations.bench_web``): N concurrent 审核 requests.

Starts a real ``drafter serve`` (uvicorn) on 127.0.0.1 at a free port, then sends
``--requests`` (default 50, at most 200) check requests at once — each one the form the 审核
page posts (``POST /check`` with one report), released together by a barrier — and follows
each to its result page. A request counts as a success when the POST answers 303 and the result
page answers 200 with the expected finding on it. Bounded in count and in time: every request
has a timeout (``--timeout``, default 120 s) and the whole run a deadline (``--deadline``,
default 300 s). Loopback only; nothing else is contacted.

The report is the seed report as .docx (a real report, ~2,600 characters, with its
薛宝庆/薛保庆 finding expected on every result page) when ../shared/seeds is present, else the
first evaluation case. Prints a
Markdown table; exit code 1 when any request failed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

from evaluations import serve_process

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_5a7ed637e8473e00.txt"
CASE = ROOT / "evaluations" / "cases" / "reports" / "01_wangchuan_county_gov.txt"
MAX_REQUESTS = 200


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # keep the 303 to measure the POST alone
        return None



def _report() -> tuple[str, bytes, str]:
    """(file name, bytes, text that must be on the result page)."""
    from drafter.docx.writer import docx_bytes
    from drafter.report.readers import read_report

    if SEED.exists():
        return "种子报告.docx", docx_bytes(read_report(SEED)), "NAM001"
    return "01.docx", docx_bytes(read_report(CASE)), "审核结果"


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "----drafter" + secrets.token_hex(8)
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
            f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").encode("utf-8")
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def run(requests: int = 50, timeout: float = 120.0, deadline: float = 300.0) -> dict:
    requests = max(1, min(requests, MAX_REQUESTS))
    name, data, expect = _report()
    body, ctype = _multipart(name, data)
    opener = urllib.request.build_opener(_NoRedirect)
    with tempfile.TemporaryDirectory(prefix="drafter-bench-web-") as tmp:
        proc, base = serve_process.start("--upload-dir", tmp, timeout=60)
        try:
            barrier = threading.Barrier(requests)
            results: list[dict] = []
            lock = threading.Lock()

            def one(i: int) -> None:
                out = {"ok": False, "post_s": None, "total_s": None, "error": None}
                try:
                    barrier.wait(timeout=60)
                    t0 = time.perf_counter()
                    req = urllib.request.Request(base + "/check", data=body, method="POST",
                                                 # as the site's own form: same origin
                                                 headers={"content-type": ctype, "origin": base})
                    try:
                        opener.open(req, timeout=timeout)
                        raise RuntimeError("expected a redirect to the result page")
                    except urllib.error.HTTPError as e:
                        if e.code != 303:
                            raise RuntimeError(f"POST /check answered {e.code}") from None
                        location = e.headers["location"]
                    out["post_s"] = time.perf_counter() - t0
                    with urllib.request.urlopen(base + location, timeout=timeout) as r:
                        page = r.read().decode("utf-8")
                        if r.status != 200 or expect not in page:
                            raise RuntimeError(f"result page {r.status} without {expect}")
                    out["total_s"] = time.perf_counter() - t0
                    out["ok"] = True
                except Exception as e:  # noqa: BLE001 - counted and shown, not raised
                    out["error"] = f"{type(e).__name__}: {e}"
                with lock:
                    results.append(out)

            t0 = time.perf_counter()
            with ThreadPoolExecutor(max_workers=requests) as pool:
                futures = [pool.submit(one, i) for i in range(requests)]
                done, pending = wait(futures, timeout=deadline)
                for f in pending:
                    f.cancel()
            wall = time.perf_counter() - t0
        finally:
            serve_process.stop(proc)
    ok = [r for r in results if r["ok"]]
    posts = sorted(r["post_s"] for r in ok)
    totals = sorted(r["total_s"] for r in ok)

    def pct(xs: list[float], p: float) -> float:
        return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))] if xs else float("nan")

    return {"requests": requests, "succeeded": len(ok), "failed": requests - len(ok),
            "errors": sorted({r["error"] for r in results if r["error"]})[:5],
            "wall_s": wall, "per_s": len(ok) / wall if wall else 0.0,
            "post_median_s": statistics.median(posts) if posts else float("nan"),
            "post_p90_s": pct(posts, 0.9), "post_max_s": posts[-1] if posts else float("nan"),
            "total_max_s": totals[-1] if totals else float("nan"),
            "report": name, "bytes": len(data), "cpus": os.cpu_count()}


def render(r: dict) -> str:
    lines = ["| 项目 | 结果 |", "|---|---|",
             f"| 并发审核请求（`drafter serve`，127.0.0.1，{r['report']} {r['bytes'] // 1024} KB，"
             f"本机 {r['cpus']} 核） | {r['requests']} 个同时发出：**成功 {r['succeeded']}**，失败 {r['failed']} |",
             f"| 全部完成用时 | {r['wall_s']:.2f} 秒（{r['per_s']:.1f} 个/秒） |",
             f"| 单个请求（上传并审核，至 303） | 中位数 {r['post_median_s']:.2f} 秒，P90 {r['post_p90_s']:.2f} 秒，"
             f"最慢 {r['post_max_s']:.2f} 秒 |",
             f"| 含打开结果页的最慢一个 | {r['total_max_s']:.2f} 秒 |"]
    if r["errors"]:
        lines.append("| 出错 | " + "；".join(r["errors"]) + " |")
    return "\n".join(lines)


BEGIN = "<!-- bench_web:begin (written by `python -m evaluations.bench_web --write-results`) -->"
END = "<!-- bench_web:end -->"


def section(r: dict) -> str:
    """The marked section of evaluations/RESULTS.md."""
    import datetime as dt

    return "\n".join([BEGIN, "", "## 网页版负载测试（`python -m evaluations.bench_web`）", "",
                      f"生成时间：{dt.datetime.now():%Y-%m-%d %H:%M}。真实的 `drafter serve`（uvicorn）在 "
                      "127.0.0.1 上，同时发出的审核请求（与“审核”页提交的表单相同），每个请求再打开结果页，"
                      "结果页上须有预期的问题（种子报告的 NAM001 薛宝庆/薛保庆）才算成功。", "",
                      render(r), "", END])


def write_results(r: dict, path: Path = ROOT / "evaluations" / "RESULTS.md") -> Path:
    """Put (or replace) the marked section at the end of RESULTS.md; the rest is untouched."""
    from drafter.io import atomic_write_text

    text = path.read_text(encoding="utf-8") if path.exists() else "# 评测结果\n"
    head, sep, rest = text.partition(BEGIN)
    tail = rest.partition(END)[2] if sep else ""
    new = head.rstrip("\n") + "\n\n" + section(r) + "\n" + tail.lstrip("\n")
    atomic_write_text(path, new.rstrip("\n") + "\n", force=True)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evaluations.bench_web",
                                 description="网页版负载测试：本机回环上的并发审核请求")
    ap.add_argument("--requests", type=int, default=50, help=f"并发请求数（默认 50，上限 {MAX_REQUESTS}）")
    ap.add_argument("--timeout", type=float, default=120.0, help="每个请求的超时（秒）")
    ap.add_argument("--deadline", type=float, default=300.0, help="整个测试的时限（秒）")
    ap.add_argument("--write-results", action="store_true",
                    help="把结果写入 evaluations/RESULTS.md 中标明的一节（其余内容不变）")
    args = ap.parse_args(argv)
    r = run(args.requests, args.timeout, args.deadline)
    print(render(r))
    if args.write_results:
        print(f"已写入 {write_results(r)}", file=sys.stderr)
    return 0 if r["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
