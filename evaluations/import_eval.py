"""``python -m evaluations.import_eval`` — how well ``drafter corpus add`` reads earlier reports:
precision and recall of figures (with their labels), of part-of relations, of people and of
next year's plan items, against the hand labels in ``evaluations/cases/import/*.yaml`` (format:
that folder's README). Each report goes through :func:`drafter.api.import_reports` into a
temporary corpus — the path a user takes — and the facts file written there is compared."""

from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
LABELS = CASES / "import"
TARGETS = {"precision": 0.95, "recall": 0.85}  # figures and plan items (issue 19)
KINDS = (("figures", "数字（含名称）"), ("parts", "分项关系"), ("people", "人员"), ("plans", "下一年度安排"))


@dataclass
class Score:
    found: int = 0  # what the import read
    gold: int = 0  # what the labels hold
    right: int = 0

    def add(self, other: "Score") -> None:
        self.found += other.found
        self.gold += other.gold
        self.right += other.right

    @property
    def precision(self) -> float | None:
        return self.right / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.right / self.gold if self.gold else None


@dataclass
class Result:
    name: str
    scores: dict[str, Score] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)  # labelled, not read (for the curious)
    extras: list[str] = field(default_factory=list)  # read, not labelled
    error: str | None = None


def seed_dir() -> Path | None:
    """``../shared/seeds`` beside the checkout (or one folder further up, for worktrees)."""
    for p in HERE.parents:
        if (p / "shared" / "seeds").is_dir():
            return p / "shared" / "seeds"
    return None


def report_path(ref: str) -> Path | None:
    if ref.startswith("seeds/"):
        seeds = seed_dir()
        return seeds / ref.split("/", 1)[1] if seeds is not None else None
    return CASES / ref


def run() -> list[Result]:
    from drafter.datafiles import load_yaml_text

    out = []
    for label_file in sorted(LABELS.glob("*.yaml")):
        gold = load_yaml_text(label_file.read_text(encoding="utf-8"))
        path = report_path(gold["report"])
        res = Result(label_file.stem)
        if path is None or not path.exists():
            res.error = f"未评测：找不到 {gold['report']}"
        else:
            evaluate(path, gold, res)
        out.append(res)
    return out


def evaluate(path: Path, gold: dict, res: Result) -> None:
    from drafter.api import import_reports
    from drafter.errors import DrafterError
    from drafter.facts import load_facts

    with tempfile.TemporaryDirectory(prefix="drafter-import-eval-") as tmp:
        try:
            done = import_reports([path], Path(tmp) / "corpus", unit="eval", year=gold["year"])
            facts = load_facts(done[0].folder / "facts.yaml")
        except DrafterError as e:
            res.error = f"导入失败：{e.one_line()}"
            return
    res.scores["figures"], res.scores["parts"] = _figures(facts, gold.get("figures") or [], res)
    res.scores["people"] = _match([(p.name, p.role) for p in facts.people],
                                  [tuple(p) for p in gold.get("people") or []], res, "人员")
    res.scores["plans"] = _plans(facts, gold.get("plans") or [], res)


def _line(source: str | None) -> int | None:
    m = re.fullmatch(r"report, line (\d+)", source or "")
    return int(m.group(1)) if m else None


def _figures(facts, gold: list, res: Result) -> tuple[Score, Score]:
    metrics = facts.metrics
    index = {m.id: m for m in metrics}
    taken: set[int] = set()
    right = 0
    right_parts = 0
    for g in gold:
        line, value, unit, approx, key = g[:5]
        hit = next((i for i, m in enumerate(metrics) if i not in taken and _line(m.source) == line
                    and abs(m.value - value) < 1e-9 and m.unit == unit and m.approx == approx
                    and key in m.label), None)
        if hit is None:
            res.misses.append(f"数字 第{line}行 {value}{unit}（{key}）")
            continue
        taken.add(hit)
        right += 1
        total = index.get(metrics[hit].part_of) if metrics[hit].part_of else None
        if len(g) > 5 and total is not None and abs(total.value - g[5]) < 1e-9:
            right_parts += 1
    for i, m in enumerate(metrics):
        if i not in taken:
            res.extras.append(f"数字 第{_line(m.source)}行 {m.value:g}{m.unit}（{m.label}）")
    parts_found = sum(1 for m in metrics if m.part_of)
    parts_gold = sum(1 for g in gold if len(g) > 5)
    return (Score(len(metrics), len(gold), right), Score(parts_found, parts_gold, right_parts))


def _match(found: list[tuple], gold: list[tuple], res: Result, what: str) -> Score:
    rest = list(found)
    right = 0
    for g in gold:
        if g in rest:
            rest.remove(g)
            right += 1
        else:
            res.misses.append(f"{what} {'、'.join(map(str, g))}")
    res.extras.extend(f"{what} {'、'.join(map(str, f))}" for f in rest)
    return Score(len(found), len(gold), right)


def _norm(title: str) -> str:
    return re.sub(r"[\s，,。；;：:、]", "", title)


def _plans(facts, gold: list, res: Result) -> Score:
    found = [(_line(p.source), p.title) for p in facts.sections.plans]
    right = 0
    for line, want in gold:
        ok = any(fl == line and (want["has"] in title if isinstance(want, dict)
                                 else _norm(title) == _norm(want)) for fl, title in found)
        right += ok
        if not ok:
            res.misses.append(f"计划 第{line}行 {want}")
    return Score(len(found), len(gold), right)


def totals(results: list[Result]) -> dict[str, Score]:
    out = {k: Score() for k, _ in KINDS}
    for r in results:
        for k, s in r.scores.items():
            out[k].add(s)
    return out


def passed(results: list[Result]) -> bool:
    t = totals(results)
    return all((t[k].precision or 0) >= TARGETS["precision"] and (t[k].recall or 0) >= TARGETS["recall"]
               for k in ("figures", "plans"))


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def render(results: list[Result]) -> str:
    """The Markdown section of RESULTS.md."""
    lines = ["| 报告 | " + " | ".join(f"{label} 精确率 / 召回率（读出/标注）" for _k, label in KINDS) + " |",
             "|---|" + "---|" * len(KINDS)]
    for r in results:
        if r.error:
            lines.append(f"| {r.name} | {r.error} |" + " |" * (len(KINDS) - 1))
            continue
        cells = [f"{_fmt(s.precision)} / {_fmt(s.recall)}（{s.found}/{s.gold}）"
                 for s in (r.scores[k] for k, _ in KINDS)]
        lines.append(f"| {r.name} | " + " | ".join(cells) + " |")
    t = totals(results)
    cells = [f"**{_fmt(s.precision)} / {_fmt(s.recall)}**（{s.found}/{s.gold}）" for s in (t[k] for k, _ in KINDS)]
    lines.append("| 合计 | " + " | ".join(cells) + " |")
    misses = [f"{r.name}：{m}" for r in results for m in r.misses]
    extras = [f"{r.name}：{e}" for r in results for e in r.extras]
    lines += ["", f"标注了而未读出（{len(misses)}）：" + ("；".join(misses) or "无"),
              "", f"读出了而与标注不符（{len(extras)}）：" + ("；".join(extras) or "无")]
    return "\n".join(lines)


def main() -> int:
    results = run()
    print(render(results))
    return 0 if passed(results) else 1


if __name__ == "__main__":
    sys.exit(main())
