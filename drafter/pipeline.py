"""The drafting pipeline: facts → plan → backend per section → Report → checker → .docx → run
report. A thin runner: each stage's output can be written to ``run_dir`` (``plan.json``,
``sections/NN-key.json``, ``run-report.json`` / ``.md``) so a run can be inspected.

The gate (issue 5 §7): the whole checker runs on the drafted report before the .docx is
written; findings are printed and listed in the run report. A .docx with error findings is
still written (staff fix it in Word) but the result's exit code is 1. A mandated section
without facts is drafted as a visible 【待补充：…】 marker, never dropped.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from drafter.errors import FactsError, OutputError
from drafter.io import atomic_write_text, check_output_path

GAP_RE = re.compile(r"【待补充[：:][^】]*】")
SECTION_LABELS = {"measures": "主要举措和成效", "shortcomings": "存在的不足和原因",
                  "leadership": "第一责任人履职情况", "plans": "下一年度主要安排",
                  "other": "其他需要报告的情况"}


@dataclass
class Gap:
    """A 【待补充】 marker the draft contains: where and what facts it asks for."""

    section: str
    text: str
    hint: str = ""


@dataclass
class DraftResult:
    output: Path | None
    report: Any  # drafter.report.Report
    findings: list[Any]  # drafter.checker.Finding
    plan: Any  # drafter.plan.Plan
    sections: dict[str, list[str]]
    gaps: list[Gap]
    timings_ms: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    backend_report: dict[str, Any] | None = None  # the backend's own report (llm), for run-report.json
    backend_summary: list[str] = field(default_factory=list)  # its stdout lines (Chinese)

    @property
    def errors(self) -> list[Any]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def summary(self) -> dict[str, int]:
        return {sev + "s": sum(f.severity == sev for f in self.findings)
                for sev in ("error", "warning", "info")}

    @property
    def exit_code(self) -> int:
        """0 clean; 1 when the checker found errors or a section still needs facts."""
        return 1 if self.errors or self.gaps else 0

    def run_report(self) -> dict[str, Any]:
        return {
            "facts": self.plan.facts_path,
            "output": str(self.output) if self.output else None,
            "unit": self.plan.unit,
            "year": self.plan.year,
            "exit_code": self.exit_code,
            "sections": [{"key": s.key, "heading": s.numbered_heading,
                          "paragraphs": len(self.sections.get(s.key, [])),
                          "items": len(s.items), "missing_facts": s.missing,
                          "exemplars": len(s.exemplars)} for s in self.plan.sections],
            "gaps": [asdict(g) for g in self.gaps],
            "previous_plans_source": self.plan.previous_plans_source,
            "previous_plans": [asdict(p) for p in self.plan.previous_plans],
            "unanswered_plans": [asdict(p) for p in self.plan.unanswered_plans],
            "unused_metrics": self.plan.unused_metrics,
            "findings": [f.to_json() for f in self.findings],
            "summary": self.summary,
            "stats": {"characters": self.report.characters,
                      "paragraphs": len(self.report.body_paragraphs())},
            "timings_ms": self.timings_ms,
            "notes": self.notes + self.plan.notes,
            "backend": self.backend_report,
        }


def default_output(facts_path: str | os.PathLike[str], facts: Any) -> Path:
    """``{unit}{year}年度法治政府建设情况报告.docx`` beside the facts file."""
    # The unit name is data: characters a file name cannot hold (a "/" would make a folder) go.
    unit = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "", facts.unit.name).strip(" .") or "报告"
    return Path(facts_path).parent / f"{unit}{facts.year}年度法治政府建设情况报告.docx"


def draft(facts_path: str | os.PathLike[str], output: str | os.PathLike[str] | None = None, *,
          corpus: str | os.PathLike[str] | None = None, backend: Any = "template",
          model: str | None = None, run_dir: str | os.PathLike[str] | None = None,
          force: bool = False, write: bool = True,
          backend_options: dict[str, Any] | None = None) -> DraftResult:
    """Draft the report of a facts file and (``write``) save it as .docx.

    ``backend`` is a registered name (``template``, ``llm``) or a Backend object.

    Raises DrafterError subclasses (exit 2) for bad facts, an unusable output path or run
    folder, an unknown backend — all before any drafting. Returns the result whose
    ``exit_code`` is 1 when errors were found or facts are missing.
    """
    from drafter.facts import load_facts
    from drafter.facts.model import ImportedFacts

    t = _Timer()
    facts = load_facts(facts_path)
    gaps = facts.draft_gaps() if isinstance(facts, ImportedFacts) else []
    if gaps:  # an imported earlier year: history, not a complete facts file to draft from
        raise FactsError(f"{facts_path}：导入的往年事实文件缺少起草必需的字段 {'、'.join(gaps)}",
                         "补填后再起草；字段说明见 docs/facts-schema.md")
    t.lap("facts")
    out = Path(output) if output else default_output(facts_path, facts)
    if write:
        if out.suffix.lower() != ".docx":
            raise OutputError(f"{out}：输出文件应以 .docx 结尾", "例如 -o 报告.docx")
        check_output_path(out, force)
    from drafter.backends import get_backend

    # backend_options (llm: concurrency, cache) and the run folder go to backends that take them.
    be = (get_backend(backend, model, **{**(backend_options or {}),
                                         "run_dir": Path(run_dir) if run_dir else None})
          if isinstance(backend, str) else backend)
    # Created only once the backend is usable: a configuration error (exit 2) leaves no folder.
    rdir = _prepare_run_dir(run_dir, force) if run_dir else None
    corpus_obj = _open_corpus(corpus, facts_path, facts)
    t.lap("setup")

    from drafter.plan import make_plan

    # Exemplars are retrieved when the backend reads them or the plan is kept (--run-dir).
    plan = make_plan(facts, facts_path, corpus_obj,
                     exemplars=rdir is not None or getattr(be, "uses_exemplars", True))
    t.lap("plan")
    sections: dict[str, list[str]] = {}
    if hasattr(be, "draft_sections"):  # drafts all sections at once (llm: concurrently)
        drafted = be.draft_sections(plan.sections)
    else:
        drafted = [be.draft_section(spec) for spec in plan.sections]
    for spec, paras in zip(plan.sections, drafted):
        sections[spec.key] = [p for p in paras if p.strip()]
    t.lap("draft")

    texts = _assemble(facts, plan, sections)
    from drafter.report.structure import build_report

    report = build_report(texts, path=str(out), fmt="docx")
    gaps = [Gap(key, m.group(0), _gap_hint(key)) for key, paras in sections.items()
            for p in paras for m in GAP_RE.finditer(p)]
    notes: list[str] = []
    for key in ("measures", "shortcomings", "leadership", "plans"):
        if report.presence[key].how != "section":
            notes.append(f"结构识别异常：“{SECTION_LABELS[key]}”未被识别为一级标题")
    t.lap("assemble")

    from drafter.checker import CheckOptions, check_report

    findings = check_report(report, CheckOptions(facts=facts, previous=plan.previous_report,
                                                 profile=facts.profile))
    t.lap("check")
    result = DraftResult(output=out if write else None, report=report, findings=findings,
                         plan=plan, sections=sections, gaps=gaps, notes=notes)
    if hasattr(be, "summary_lines"):  # llm: endpoint, calls, tokens, repaired / fallen-back sections
        result.backend_report, result.backend_summary = be.report(), be.summary_lines()
    if write:
        from drafter.docx.writer import write_docx

        write_docx(report, out, font_profile=facts.font_profile, force=force,
                   properties={"title": texts[0], "author": facts.unit.name})
        t.lap("docx")
    result.timings_ms = t.laps
    if rdir is not None:
        _write_run_dir(rdir, result, force)
    return result


def _gap_hint(key: str) -> str:
    from drafter.prompts import load_patterns

    return str(load_patterns(key).data.get("gap_hint", ""))


def _open_corpus(corpus: Any, facts_path: Any, facts: Any) -> Any:
    from drafter.corpus import Corpus, find_corpus_root

    if corpus:
        return Corpus.open(corpus)
    root = find_corpus_root(facts_path, facts.unit.slug)
    return Corpus(root) if root is not None else None


def _assemble(facts: Any, plan: Any, sections: dict[str, list[str]]) -> list[str]:
    """Title, 主送机关, lead, the sections under their numbered headings, 署名, 成文日期."""
    from drafter.prompts import load_patterns
    from drafter.facts.render import Renderer, sentence

    frame = load_patterns("frame")
    seed = f"{facts.unit.name}|{facts.year}"
    values = {"unit": facts.unit.name, "short": facts.unit.short, "year": facts.year,
              "next_year": facts.year + 1}
    under = (frame.fill(frame.raw("under_superior"), superior=facts.unit.superior)
             if facts.unit.superior else "")
    if facts.overview:
        overview = sentence(Renderer(facts).expand(facts.overview)) + "。"
        lead = frame.fill(frame.raw("lead_with_overview"), overview=overview)
    else:
        lead = frame.render("lead", seed, under_superior=under, **values)
    d = facts.date
    texts = [frame.fill(frame.raw("title"), **values),
             frame.fill(frame.raw("recipients"), recipients="、".join(facts.recipients)),
             lead]
    for spec in plan.sections:
        texts.append(spec.numbered_heading)
        texts.extend(sections[spec.key])
    texts.append(frame.fill(frame.raw("signature"), **values))
    texts.append(frame.fill(frame.raw("date"), date=f"{d.year}年{d.month}月{d.day}日"))
    return texts


def _prepare_run_dir(run_dir: Any, force: bool) -> Path:
    p = Path(run_dir)
    if p.exists() and not p.is_dir():
        raise OutputError(f"{p}：不是文件夹，不能作为运行记录目录", "请为 --run-dir 指定一个文件夹")
    if (p / "run-report.json").exists() and not force:
        raise OutputError(f"{p}：已有运行记录，未覆盖", "如需覆盖请加 --force，或换一个 --run-dir")
    try:
        (p / "sections").mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{p}：无法创建运行记录目录（{e.strerror or e}）", "请换一个有写入权限的位置") from None
    return p


def _write_run_dir(rdir: Path, result: DraftResult, force: bool) -> None:
    def dump(path: Path, data: Any) -> None:
        atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n",
                          force=True)

    dump(rdir / "plan.json", result.plan.to_json())
    for spec in result.plan.sections:
        dump(rdir / "sections" / f"{spec.number:02d}-{spec.key}.json",
             {"key": spec.key, "heading": spec.numbered_heading,
              "paragraphs": result.sections.get(spec.key, [])})
    report = result.run_report()
    dump(rdir / "run-report.json", report)
    atomic_write_text(rdir / "run-report.md", render_run_report(report), force=True)


def render_run_report(r: dict[str, Any]) -> str:
    """The run report as Markdown (Chinese), for people."""
    lines = [f"# 起草运行报告：{r['unit']} {r['year']}年度", "",
             f"- 事实文件：{r['facts']}", f"- 输出文件：{r['output'] or '（未写出）'}",
             f"- 退出码：{r['exit_code']}（0 无错误；1 有错误或待补充内容）",
             f"- 全文 {r['stats']['characters']} 字，{r['stats']['paragraphs']} 段；"
             f"用时 {sum(r['timings_ms'].values()):.0f} 毫秒", "", "## 各部分", "",
             "| 部分 | 标题 | 事项 | 段落 | 状态 |", "|---|---|---|---|---|"]
    for s in r["sections"]:
        state = "待补充事实" if s["missing_facts"] else "已起草"
        lines.append(f"| {s['key']} | {s['heading']} | {s['items']} | {s['paragraphs']} | {state} |")
    lines += ["", f"## 待补充（{len(r['gaps'])} 处）", ""]
    lines += [f"- {SECTION_LABELS.get(g['section'], g['section'])}：{g['text']}"
              + (f"（{g['hint']}）" if g.get("hint") else "") for g in r["gaps"]] or ["- 无"]
    src = r.get("previous_plans_source") or "无（事实文件和语料库中均没有上年计划）"
    lines += ["", f"## 上年计划未回应（{len(r['unanswered_plans'])} 项）", "", f"上年计划来源：{src}", ""]
    lines += [f"- 第{p['number']}项：{p['text']}" for p in r["unanswered_plans"]] or ["- 无"]
    answered = [p for p in r["previous_plans"] if p["answered_by"]]
    if answered:
        lines += ["", "已回应：", ""]
        lines += [f"- 第{p['number']}项 {p['text']} → {p['answered_by']}" for p in answered]
    lines += ["", "## 未使用的指标", ""]
    lines += [f"- {m}" for m in r["unused_metrics"]] or ["- 无"]
    s = r["summary"]
    lines += ["", f"## 审核结果：{s['errors']} 个错误，{s['warnings']} 个警告，{s['infos']} 个提示", ""]
    sev = {"error": "错误", "warning": "警告", "info": "提示"}
    lines += [f"- 第{f['line']}段 {f['rule']}（{sev[f['severity']]}）：{f['message']}"
              + (f"「{f['quote']}」" if f["quote"] else "") for f in r["findings"]] or ["- 无"]
    if r["notes"]:
        lines += ["", "## 说明", ""] + [f"- {n}" for n in r["notes"]]
    if r.get("backend") and r["backend"].get("sections"):  # llm: what happened to each section
        b = r["backend"]
        lines += ["", f"## 大模型起草（{b['endpoint']['model']}，请求 {b['calls']} 次，"
                  f"缓存命中 {b['cached_responses']} 次，用时 {b['wall_s']} 秒）", ""]
        lines += [f"- {s['heading']}：{s['status_text']}" + (f"（{s['reason']}）" if s["reason"] else "")
                  for s in b["sections"]]
    return "\n".join(lines) + "\n"


class _Timer:
    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round((now - self.t0) * 1000, 1)
        self.t0 = now
