"""How LLM drafting holds up against answers written the way real models answer
(``python -m evaluations.llm_answers_eval``).

The answers are ``tests/data/llm_answers/`` (``manifest.yaml`` and ``manifest-extra.yaml``):
per unit and section, faithful answers, the same content in wrappers (reasoning blocks,
prefaces, closing offers, Markdown, reasoning served as ``reasoning_content``), answers with
exactly one planted error, refusals, cut streams, loops, answers that are too short or talk to
the user. Each is served by the scripted OpenAI-compatible server
(``evaluations/openai_server.py``, a real local socket) as the answer of its section, by a
model that **repeats itself**: the repair round gets the same answer again, so nothing here
depends on a model obeying the repair note. Every section of a draft serves one answer under
test (sections are independent), the report is drafted with ``--backend llm`` and the .docx
is read back.

Printed per variant (and per set): the share of the answers' content sentences (sentences
ending in 。 outside the wrapper) found in the section of the .docx; wrapper residue (pieces
of the wrapper found there); planted errors that reach the .docx; failures (refusal, cut
stream, loop, too short, remarks to the user inside the text) whose answer was used, and
whether the run record says why the section fell back; and the in-process wall time of a draft
whose every section serves that variant with a server answering each call after 1.0 s.

Sets: **dev** (units ``shili-kegongxin`` and ``lanchuan-shichangjianguan``: the answers the
drafter's tests also use) and **held-out** (``yunliang-xian``, a county government: never used
by the tests or while writing the normalisation and grounding — evaluated only).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = ROOT / "tests" / "data" / "llm_answers"
HELD_OUT = frozenset({"yunliang-xian"})
FAILURE_KINDS = ("refusal", "invented", "truncated", "loop", "too-short")
USED = ("accepted", "repaired", "trimmed")
_SQUASH = re.compile(r"[\s\u3000，。；：、“”‘’（）()《》！？!?,.;:*#>`\-—…]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MARKER = re.compile(r"^(?:[-*+•·●▪]\s+|\d{1,2}[.．)）、]\s*|[\u2460-\u2473]\s*|#{1,6}\s*|>\s*)")
# Emoji a model uses as bullets and marks (✅, 📌): not part of a sentence.
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2300-\u23FF\u2600-\u27BF\u2B00-\u2BFF]\uFE0F?")


def load_manifest() -> list[dict[str, Any]]:
    import yaml

    entries = []
    for name in ("manifest.yaml", "manifest-extra.yaml"):
        p = ANSWERS / name
        if p.exists():
            entries += yaml.safe_load(p.read_text(encoding="utf-8")) or []
    return entries


def content_sentences(entry: dict[str, Any]) -> list[str]:
    """The answer's own sentences (ending in 。): those after a reasoning block, without the
    sentences holding a piece of the wrapper (``wrapper_text``), list and heading markers off."""
    from drafter.text.sentences import sentences

    text = (ANSWERS / entry["file"]).read_text(encoding="utf-8")
    text = text.rsplit("</think>", 1)[-1]
    wrapper = [w for w in entry.get("wrapper_text") or [] if _CJK.search(w)]
    out = []
    for line in text.split("\n"):
        line = _MARKER.sub("", _EMOJI.sub("", line).strip()).replace("**", "")
        out += [s for s in sentences(line) if s.endswith("。")
                and not any(w in s or s in w for w in wrapper)]
    return out


def squash(s: str) -> str:
    return _SQUASH.sub("", s)


@dataclass
class Outcome:
    """One answer served, and what became of it."""

    entry: dict[str, Any]
    status: str
    reason: str | None
    section_text: str
    kept: int = 0
    sentences: int = 0
    residue: list[str] = field(default_factory=list)
    planted_reached: bool = False

    @property
    def used(self) -> bool:
        return self.status in USED


def _reply(entry: dict[str, Any]) -> Any:
    from evaluations.openai_server import Reply

    text = (ANSWERS / entry["file"]).read_text(encoding="utf-8")
    reasoning = (ANSWERS / entry["reasoning"]).read_text(encoding="utf-8") if entry.get("reasoning") else None
    return Reply(content=text, stream="cut" if entry.get("stream") == "cut" else "complete",
                 finish=entry.get("finish") or "stop", reasoning=reasoning)


def _plan(facts: Path) -> Any:
    from drafter.facts import load_facts
    from drafter.pipeline import _open_corpus
    from drafter.plan import make_plan

    f = load_facts(facts)
    return make_plan(f, facts, _open_corpus(None, facts, f), exemplars=False)


def _env(server: Any) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "local-evaluation-key",
            "DRAFTER_MODEL": "scripted", "DRAFTER_LLM_TIMEOUT": "10", "DRAFTER_LLM_DEADLINE": "60"}


def _script(server: Any, replies: dict[str, Any], headings: dict[str, str]) -> None:
    server.reset()
    for key, reply in replies.items():
        server.on(headings[key], reply)


def draft_with(server: Any, facts: Path, replies: dict[str, Any], headings: dict[str, str],
               tmp: Path, name: str) -> tuple[Any, dict[str, str]]:
    """Draft ``facts`` (the whole pipeline) with each section answered by ``replies[key]``;
    returns the result and each section's text as read back from the .docx."""
    from drafter.pipeline import DraftRequest, draft

    _script(server, replies, headings)
    out = tmp / f"{name}.docx"
    result = draft(DraftRequest(facts, out, backend="llm", cache=False, env=_env(server), force=True))
    return result, _section_texts(out)


def _section_texts(docx: Path) -> dict[str, str]:
    from drafter.report.readers import read_report

    report = read_report(docx)
    return {s.key: "\n".join(p.text for p in s.all_paragraphs()[1:]) for s in report.sections if s.key}


class Unit:
    """One unit's facts, plan and grounding, prepared once; :meth:`draft` runs the LLM backend
    and the grounding stage as the pipeline does, assembles the report and writes the .docx
    (the checker is left out: it changes nothing that is written)."""

    def __init__(self, facts: Path) -> None:
        from drafter.facts import load_facts
        from drafter.grounding import Known, SectionGrounding
        from drafter.pipeline import _open_corpus
        from drafter.plan import make_plan

        self.facts_path = facts
        self.facts = load_facts(facts)
        self.plan = make_plan(self.facts, facts, _open_corpus(None, facts, self.facts))
        known = Known.for_plan(self.facts, self.plan)
        self.grounds = {s.key: SectionGrounding.for_spec(s, known) for s in self.plan.sections}
        self.headings = {s.key: s.numbered_heading for s in self.plan.sections}

    def draft(self, server: Any, replies: dict[str, Any], out: Path | None) -> tuple[dict[str, Any], dict[str, str]]:
        """(the backend's record per section key, each section's text read back from ``out``;
        ``out`` None: the text the report would be written with, no .docx — the quick mode)."""
        from drafter.backends.base import DraftEvents
        from drafter.backends.llm import LLMBackend
        from drafter.docx.writer import write_docx
        from drafter.pipeline import _assemble
        from drafter.report.structure import build_report

        _script(server, replies, self.headings)
        be = LLMBackend(cache=False, env=_env(server))
        drafted = be.draft_sections(self.plan.sections, DraftEvents(), self.grounds)
        sections = {s.key: [p for p in paras if p.strip()] for s, paras in zip(self.plan.sections, drafted)}
        record = {s["key"]: s for s in be.report()["sections"]}
        if out is None:
            return record, {k: "\n".join(v) for k, v in sections.items()}
        report = build_report(_assemble(self.facts, self.plan, sections), path=str(out), fmt="docx")
        write_docx(report, out, force=True)
        return record, _section_texts(out)


def evaluate(entries: list[dict[str, Any]], latency: float = 0.0, docx: bool = True) -> list[Outcome]:
    """Serve every answer of ``entries`` (grouped: one per section per draft) and measure what
    reaches the .docx (``docx`` False: the paragraphs it would be written with)."""
    from evaluations.openai_server import Reply, ScriptedServer

    by_unit: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in entries:
        by_unit[e["facts"]].append(e)
    faithful = {(e["facts"], e["section"]): e for e in load_manifest()
                if e["kind"] == "faithful" and e["file"].endswith("faithful-1.txt")}
    outcomes: list[Outcome] = []
    with ScriptedServer(latency=latency) as server, tempfile.TemporaryDirectory(prefix="drafter-answers-") as td:
        server.default = Reply(status=500, raw=b'{"error": {"message": "no script"}}')
        for facts, group in by_unit.items():
            unit = Unit(ROOT / facts)
            per_section: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for e in group:
                per_section[e["section"]].append(e)
            rounds = max(len(v) for v in per_section.values())
            for i in range(rounds):
                serving: dict[str, dict[str, Any]] = {}
                for key in unit.headings:
                    lst = per_section.get(key, [])
                    base = faithful.get((facts, key))
                    if i < len(lst):
                        serving[key] = lst[i]
                    elif base is not None:
                        serving[key] = {**base, "_filler": True}
                out = Path(td) / f"d{i}.docx" if docx else None
                rec, texts = unit.draft(server, {k: _reply(e) for k, e in serving.items()}, out)
                for key, e in serving.items():
                    if not e.get("_filler"):
                        outcomes.append(_measure(e, rec.get(key, {}), texts.get(key, "")))
    return outcomes


def _measure(entry: dict[str, Any], record: dict[str, Any], text: str) -> Outcome:
    o = Outcome(entry, record.get("status", "?"), record.get("reason"), text)
    flat = squash(text)
    sents = content_sentences(entry)
    o.sentences = len(sents)
    o.kept = sum(1 for s in sents if squash(s) and squash(s) in flat)
    o.residue = [w for w in entry.get("wrapper_text") or [] if w.strip() and w in text]
    if entry.get("planted"):
        o.planted_reached = entry["planted"] in text
    return o


# -- summaries ------------------------------------------------------------------------------

def variant_of(entry: dict[str, Any]) -> str:
    """The row an answer belongs to: faithful, planted, a failure kind, or the wrapper."""
    if entry["kind"] in ("faithful", "planted", *FAILURE_KINDS):
        return entry["kind"]
    if entry["kind"] == "addresses-user":
        return f"addresses-user（{entry.get('wrapper') or 'chatty'}）"
    return str(entry.get("wrapper") or entry["kind"])


@dataclass
class Row:
    variant: str
    answers: int = 0
    kept: int = 0
    sentences: int = 0
    residue: int = 0
    planted: int = 0
    planted_reached: int = 0
    used: int = 0
    explained: int = 0
    wall_s: float | None = None

    @property
    def share(self) -> float | None:
        return self.kept / self.sentences if self.sentences else None


def summarise(outcomes: list[Outcome]) -> list[Row]:
    rows: dict[str, Row] = {}
    for o in outcomes:
        r = rows.setdefault(variant_of(o.entry), Row(variant_of(o.entry)))
        r.answers += 1
        r.residue += len(o.residue)
        if o.entry["kind"] == "planted":
            r.planted += 1
            r.planted_reached += o.planted_reached
        elif o.entry["kind"] in FAILURE_KINDS or o.entry.get("wrapper") == "remark-inside":
            r.used += o.used
            r.explained += (not o.used) and bool(o.reason)
        else:
            r.kept += o.kept
            r.sentences += o.sentences
    order = ["faithful", "planted", *FAILURE_KINDS]
    return sorted(rows.values(), key=lambda r: (order.index(r.variant) if r.variant in order else 1.5, r.variant))


def wall_times(entries: list[dict[str, Any]], latency: float = 1.0) -> dict[str, float]:
    """In-process wall time of one draft per variant, with a server answering each call after
    ``latency`` seconds: the variant answers one section (the measures where it has one), the
    other sections answer faithfully — a draft costs its slowest section."""
    from evaluations.openai_server import ScriptedServer

    unit_facts = next(e["facts"] for e in entries)
    group = [e for e in entries if e["facts"] == unit_facts]
    faithful = {e["section"]: e for e in group if e["file"].endswith("faithful-1.txt")}
    plan = _plan(ROOT / unit_facts)
    headings = {s.key: s.numbered_heading for s in plan.sections}
    variants: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for e in group:
        variants[variant_of(e)].setdefault(e["section"], e)
    out: dict[str, float] = {}
    with ScriptedServer(latency=latency) as server, tempfile.TemporaryDirectory(prefix="drafter-wall-") as td:
        draft_with(server, ROOT / unit_facts, {k: _reply(e) for k, e in faithful.items()}, headings,
                   Path(td), "warm-up")  # imports and first-use loads, not in the figures
        for name, by_section in variants.items():
            first = "measures" if "measures" in by_section else next(iter(by_section))
            serving = {k: by_section[first] if k == first else faithful.get(k) for k in headings}
            serving = {k: e for k, e in serving.items() if e is not None}
            t0 = time.perf_counter()
            draft_with(server, ROOT / unit_facts, {k: _reply(e) for k, e in serving.items()}, headings,
                       Path(td), f"w-{len(out)}")
            out[name] = round(time.perf_counter() - t0, 2)
    return out


def render(rows_by_set: dict[str, list[Row]], walls: dict[str, float], latency: float) -> str:
    lines = ["| 集合 | 变体 | 回复数 | 正文句子保留 | 包装残留 | 植入错误进入 .docx | 失败回复被采用（运行记录说明原因） "
             f"| 墙钟（{latency:.0f} 秒服务器） |", "|---|---|---|---|---|---|---|---|"]
    for name, rows in rows_by_set.items():
        for r in rows:
            share = f"{r.share:.1%}（{r.kept}/{r.sentences}）" if r.share is not None else "—"
            planted = f"{r.planted_reached}/{r.planted}" if r.planted else "—"
            failed = f"{r.used}/{r.answers}（{r.explained}/{r.answers}）" if r.variant in FAILURE_KINDS \
                or "remark-inside" in r.variant else "—"
            wall = f"{walls[r.variant]:.2f} 秒" if name == "dev" and r.variant in walls else "—"
            lines.append(f"| {name} | {r.variant} | {r.answers} | {share} | {r.residue} | {planted} | {failed} | {wall} |")
    return "\n".join(lines)


def targets(rows_by_set: dict[str, list[Row]]) -> list[tuple[str, str, bool]]:
    """(what, result, met) for the Done-when bars of issue 15, per set."""
    out = []
    for name, rows in rows_by_set.items():
        faithful = [r for r in rows if r.variant == "faithful"]
        fk = sum(r.kept for r in faithful) / max(1, sum(r.sentences for r in faithful))
        wrapped = [r for r in rows if r.variant not in ("faithful", "planted", *FAILURE_KINDS)
                   and "remark-inside" not in r.variant]
        wk = sum(r.kept for r in wrapped) / max(1, sum(r.sentences for r in wrapped))
        residue = sum(r.residue for r in wrapped)
        planted = sum(r.planted_reached for r in rows)
        failures = [r for r in rows if r.variant in FAILURE_KINDS or "remark-inside" in r.variant]
        used = sum(r.used for r in failures)
        unexplained = sum(r.answers - r.used - r.explained for r in failures)
        out += [(f"{name}：忠实回复的正文句子进入 .docx（≥ 90%）", f"{fk:.1%}", fk >= 0.9),
                (f"{name}：包装回复残留 0、正文保留 ≥ 85%", f"残留 {residue}，保留 {wk:.1%}", residue == 0 and wk >= 0.85),
                (f"{name}：植入错误进入 .docx（0）", str(planted), planted == 0),
                (f"{name}：拒答/自称示例/截断/循环/过短回复被采用（0），且运行记录说明原因",
                 f"被采用 {used}，未说明原因 {unexplained}", used == 0 and unexplained == 0)]
    return out


def run(latency: float = 1.0, quick: bool = False) -> dict[str, Any]:
    """Both sets evaluated, and the wall times; ``quick``: the drafted paragraphs are measured
    without writing and reading back each .docx (the tests do that for the dev set)."""
    entries = load_manifest()
    sets = {"dev": [e for e in entries if e["unit"] not in HELD_OUT],
            "held-out": [e for e in entries if e["unit"] in HELD_OUT]}
    t0 = time.perf_counter()
    rows = {name: summarise(evaluate(es, docx=not quick)) for name, es in sets.items() if es}
    walls = wall_times(sets["dev"], latency)
    return {"rows": rows, "walls": walls, "latency": latency, "quick": quick,
            "answers": {k: len(v) for k, v in sets.items()}, "seconds": time.perf_counter() - t0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--latency", type=float, default=1.0, help="墙钟测量时每次调用的延迟（秒）")
    ap.add_argument("--quick", action="store_true", help="不逐个写出并读回 .docx（量起草出的段落）")
    args = ap.parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.pop("DRAFTER_LLM_STREAM", None)
    r = run(args.latency, args.quick)
    print(render(r["rows"], r["walls"], r["latency"]))
    print()
    for what, result, ok in targets(r["rows"]):
        print(f"- {what}：{result} {'✅' if ok else '❌'}")
    print(f"\n用时 {r['seconds']:.0f} 秒")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
