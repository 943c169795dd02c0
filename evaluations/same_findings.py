"""``python -m evaluations.same_findings [--against REV]`` — does this checkout's checker give
exactly the findings of another revision's?

A speed change must not change a single finding. Both checkers (this working tree, and ``REV``
extracted with ``git archive`` into a temporary folder) check the same files in a new process
each, with default options and one process (``--jobs 1``): every report of the evaluation sets
(``evaluations/cases/**.txt``), the seed report when it is present, and one mutant per
operator of every clean report (``evaluations/mutations.py``, fixed seed). The findings are
compared as JSON (rule, severity, line, span, quote, message, fix …), file by file.

Prints one line per differing file (at most 20) and a summary; exit code 0 when identical.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_5a7ed637e8473e00.txt"

# Run in a new process whose sys.path starts with the checkout to measure; prints the
# findings of every file as one JSON object {path: [finding, ...]}.
_DUMP = r"""
import json, sys
import drafter
from drafter.api import CheckRequest, check_paths
files = sys.argv[2:]
res = check_paths(CheckRequest(paths=files, jobs=1))
out = {"drafter": drafter.__file__,
       "files": {r.path: [f.to_json() for f in r.findings] for r in res}}
with open(sys.argv[1], "w", encoding="utf-8") as fh:
    json.dump(out, fh, ensure_ascii=False)
"""


def report_files(folder: Path) -> list[Path]:
    """The evaluation reports, the seed and the mutants (written into ``folder``)."""
    from evaluations.mutations import CASES, DEFAULT_SEED, clean_sources, generate

    files = sorted((HERE / "cases").glob("**/*.txt"))
    if SEED.exists():
        files.append(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    for m in generate(clean_sources(CASES), DEFAULT_SEED, 1):
        path = folder / f"{m.id}.txt"
        path.write_text(m.text + "\n", encoding="utf-8")
        files.append(path)
    return files


def findings(checkout: Path, files: list[Path], tmp: Path) -> dict:
    """Findings of the checker in ``checkout`` (a folder with ``drafter/``) on ``files``."""
    out = tmp / f"findings-{abs(hash(str(checkout)))}.json"
    env = dict(os.environ, PYTHONPATH=str(checkout), DRAFTER_CACHE_DIR=str(tmp / "cache"))
    r = subprocess.run([sys.executable, "-c", _DUMP, str(out), *map(str, files)], cwd=checkout,
                       env=env, capture_output=True, text=True, check=False)
    if r.returncode != 0 or not out.exists():
        raise RuntimeError(f"{checkout}: the check failed\n{r.stderr[-2000:]}")
    data = json.loads(out.read_text(encoding="utf-8"))
    loaded = Path(data["drafter"]).resolve()
    if not loaded.is_relative_to(checkout.resolve()):
        raise RuntimeError(f"{checkout}: imported drafter from {loaded}, not from the checkout")
    return data["files"]


def extract(rev: str, dest: Path) -> None:
    """``git archive REV`` of this repository into ``dest``."""
    blob = subprocess.run(["git", "archive", "--format=tar", rev], cwd=ROOT, check=True,
                          capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(dest, filter="data")


def compare(rev: str) -> tuple[int, int, list[str]]:
    """(files, findings, differing files) of this checkout against ``rev``."""
    with tempfile.TemporaryDirectory(prefix="drafter-same-") as tmp:
        t = Path(tmp)
        files = report_files(t / "mutants")
        extract(rev, t / "before")
        before = findings(t / "before", files, t)
        after = findings(ROOT, files, t)
    differ = [_shown(p) for p in sorted(set(before) | set(after)) if before.get(p) != after.get(p)]
    return len(after), sum(map(len, after.values())), differ


def _shown(path: str) -> str:
    p = Path(path)
    return str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else f"变异 {p.stem}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evaluations.same_findings",
                                 description="比较本工作区与另一版本的审核结果是否完全相同")
    ap.add_argument("--against", default="main", help="对照的 git 版本（默认 main）")
    args = ap.parse_args(argv)
    n, total, differ = compare(args.against)
    for p in differ[:20]:
        print(f"不同：{p}")
    verdict = "完全相同" if not differ else f"{len(differ)} 份不同"
    print(f"{n} 份报告（评测集、种子报告、每种变异一份），共 {total} 条审核意见；"
          f"与 {args.against} 相比：{verdict}")
    return 0 if not differ else 1


if __name__ == "__main__":
    sys.exit(main())
