"""The record of a draft: :class:`DraftResult` (what the pipeline made: the report, findings,
plan, sections, gaps, grounding verdicts, the backend's own report) and the run folder
(``--run-dir``: ``plan.json``, ``sections/NN-key.json``, ``run-report.json`` / ``.md``) that
lets a run be inspected."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from drafter.errors import OutputError
from drafter.io import atomic_write_text
from drafter.sections import label as section_label


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
    # The grounding stage's verdict per section key (Verdict.to_dict(), or a skip reason).
    grounding: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Values the facts mark 待核实 and the paragraph of the draft whose comment marks each
    # (None: not found as written; the comment is on the section heading).
    confirms: list[dict[str, Any]] = field(default_factory=list)

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
                          "exemplars": len(s.exemplars),
                          "grounding": self.grounding.get(s.key)} for s in self.plan.sections],
            "gaps": [asdict(g) for g in self.gaps],
            "previous_plans_source": self.plan.previous_plans_source,
            "previous_plans": [asdict(p) for p in self.plan.previous_plans],
            "unanswered_plans": [asdict(p) for p in self.plan.unanswered_plans],
            "unused_metrics": self.plan.unused_metrics,
            "confirms": self.confirms,
            "findings": [f.to_json() for f in self.findings],
            "summary": self.summary,
            "stats": {"characters": self.report.characters,
                      "paragraphs": len(self.report.body_paragraphs())},
            "timings_ms": self.timings_ms,
            "notes": self.notes + self.plan.notes,
            "backend": self.backend_report,
        }


def prepare_run_dir(run_dir: Any, force: bool) -> Path:
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


def write_run_dir(rdir: Path, result: DraftResult, force: bool) -> None:
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
             "| 部分 | 标题 | 事项 | 段落 | 起草 | 终稿事实核查 |", "|---|---|---|---|---|---|"]
    drafted = {b["key"]: b for b in (r.get("backend") or {}).get("sections") or []}
    for s in r["sections"]:
        b = drafted.get(s["key"])
        state = b["status_text"] if b else ("待补充事实" if s["missing_facts"] else "已起草")
        lines.append(f"| {s['key']} | {s['heading']} | {s['items']} | {s['paragraphs']} | {state} "
                     f"| {_grounding_text(s.get('grounding'))} |")
    lines += ["", f"## 待补充（{len(r['gaps'])} 处）", ""]
    lines += [f"- {section_label(g['section'])}：{g['text']}"
              + (f"（{g['hint']}）" if g.get("hint") else "") for g in r["gaps"]] or ["- 无"]
    src = r.get("previous_plans_source") or "无（事实文件和语料库中均没有上年计划）"
    lines += ["", f"## 上年计划未回应（{len(r['unanswered_plans'])} 项）", "", f"上年计划来源：{src}", ""]
    lines += [f"- 第{p['number']}项：{p['text']}" for p in r["unanswered_plans"]] or ["- 无"]
    answered = [p for p in r["previous_plans"] if p["answered_by"]]
    if answered:
        lines += ["", "已回应：", ""]
        lines += [f"- 第{p['number']}项 {p['text']} → {p['answered_by']}" for p in answered]
    confirms = r.get("confirms") or []
    lines += ["", f"## 待核实（{len(confirms)} 项，已在 Word 中用批注“待核实”标出）", ""]
    lines += [f"- {section_label(c['section']) if c['section'] else '数据指标'}：{c['text']}"
              + (f"（第{c['paragraph']}段）" if c["paragraph"] else "（未找到原句，批注在本部分标题上）")
              for c in confirms] or ["- 无"]
    lines += ["", "## 未使用的指标", ""]
    lines += [f"- {m}" for m in r["unused_metrics"]] or ["- 无"]
    s = r["summary"]
    lines += ["", f"## 审核结果：{s['errors']} 个错误，{s['warnings']} 个警告，{s['infos']} 个提示", ""]
    from drafter.checker.finding import SEVERITY_LABELS as sev

    lines += [f"- 第{f['line']}段 {f['rule']}（{sev[f['severity']]}）：{f['message']}"
              + (f"「{f['quote']}」" if f["quote"] else "") for f in r["findings"]] or ["- 无"]
    if r["notes"]:
        lines += ["", "## 说明", ""] + [f"- {n}" for n in r["notes"]]
    if r.get("backend") and r["backend"].get("sections"):  # llm: what happened to each section
        lines += _llm_lines(r["backend"])
    return "\n".join(lines) + "\n"


def _llm_lines(b: dict[str, Any]) -> list[str]:
    """The LLM backend's part of run-report.md: per section what happened and why."""
    lines = ["", f"## 大模型起草（{b['endpoint']['model']}，请求 {b['calls']} 次，"
             f"缓存命中 {b['cached_responses']} 次，用时 {b['wall_s']} 秒）", "",
             "状态：通过＝初稿即通过核查；修正后通过＝按问题清单修改一次后通过；删去未核实内容后通过＝"
             "删去了无法与事实材料对应的句子；改用模板＝模型回复不可用，该部分由模板起草；"
             "使用模板＝事实不全，由模板写出待补充标记；未完成＝运行因接口错误中止。", ""]
    for s in b["sections"]:
        head = f"- {s['heading']}：**{s['status_text']}**" + (f"（{s['reason']}）" if s.get("reason") else "")
        lines.append(head)
        if s.get("removed"):
            lines.append(f"  - 已去除：{s['removed']}")
        for t in s.get("trimmed") or []:
            lines.append(f"  - 删去：{t}")
        for p in (s.get("problems") or [])[:5]:
            lines.append(f"  - 核查发现：{p['message']}")
    return lines


def _grounding_text(v: dict[str, Any] | None) -> str:
    """A section's grounding verdict in a word or two (run-report.md)."""
    if not v:
        return "—"
    if v.get("skipped"):
        return "不核查（待补充）"
    if v["ok"]:
        return "通过"
    return f"未通过（{len(v['problems'])} 处）"
