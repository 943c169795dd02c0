"""Drafting metrics per backend: mandated sections present, fact recall, numbers not in the
facts, checker errors on the draft, length.

The template backend runs as shipped. The LLM backend runs against the scripted
OpenAI-compatible server of the tests (``evaluations/openai_server.py``, a real local HTTP socket)
with a deterministic stand-in *model*: it writes each section from the facts the prompt
carries (sub-headings, every fact statement and figure, each shortcoming with its causes), and
its first answer for the measures section carries an invented figure — so the run exercises
the grounding check and the repair round as a real model would. The LLM figures therefore
measure the pipeline around the model (prompting, grounding, repair, fallback, assembly), not
a model's prose.

Definitions:
- *sections*: the mandated items (measures, shortcomings, leadership, plans) the drafted
  report has as level-1 sections (``Report.presence``).
- *fact recall*: the share of the plan's fact statements (and shortcomings, causes, outcomes)
  found in the draft — verbatim after removing punctuation, spaces and a leading
  self-reference (我局, which a 一是… entry leaves out), or with a rapidfuzz
  ``partial_ratio`` ≥ 90 — and the share of the facts' metrics whose value and unit appear.
- *numbers not in the facts*: Arabic numbers of the draft outside 《》 that appear nowhere in
  the facts (rendered statements, metric values, years, date).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FACTS = sorted((ROOT / "corpus").glob("*/*/facts.yaml"))
INVENTED = "全年共开展专项执法检查999次"
_PUNCT = re.compile(r"[\s，。；：、“”‘’（）《》〔〕【】！？,.;:()\"'—…-]")
_NUM = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")
_TITLE = re.compile(r"《[^《》\n]*》")


@dataclass
class DraftMetrics:
    backend: str
    facts: str
    sections_present: int = 0
    sections_total: int = 4
    statements_found: int = 0
    statements_total: int = 0
    metrics_found: int = 0
    metrics_total: int = 0
    numbers_not_in_facts: list[str] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    characters: int = 0
    seconds: float = 0.0
    statuses: dict[str, str] = field(default_factory=dict)  # llm: section -> accepted/repaired/…
    error: str | None = None  # why this draft could not be evaluated


def _norm(s: str) -> str:
    return _PUNCT.sub("", s)


def measure(backend: str, facts_path: Path, result: Any, seconds: float) -> DraftMetrics:
    """The metrics of one drafted result (``drafter.pipeline.DraftResult``)."""
    from rapidfuzz import fuzz

    from drafter.facts.render import format_number
    from drafter.report import MANDATED_KEYS

    report, plan = result.report, result.plan
    text = report.text
    m = DraftMetrics(backend, _short(facts_path), seconds=round(seconds, 2),
                     characters=report.characters)
    m.sections_present = sum(report.presence[k].how == "section" for k in MANDATED_KEYS)
    m.sections_total = len(MANDATED_KEYS)
    draft_norm = _norm(text)
    statements, allowed = [], set()
    for spec in plan.sections:
        for it in spec.items:
            pieces = (list(it.statements) + ([it.problem] if it.problem else []) + list(it.causes)
                      + ([it.outcome] if it.outcome else []))
            statements += pieces
            for p in pieces + list(it.metrics) + ([it.title] if it.title else []):
                allowed |= set(_NUM.findall(p))
    short = plan.sections[0].short if plan.sections else ""
    for s in statements:
        # A list entry may drop the unit's self-reference (我局编制… → 一是编制…): not a fact.
        n = _norm(s.removeprefix(short) if short and len(s) > len(short) else s)
        if n and (n in draft_norm or fuzz.partial_ratio(n, draft_norm) >= 90):
            m.statements_found += 1
    m.statements_total = len(statements)
    facts = _load_facts(facts_path)
    for metric in facts.metrics:
        num = format_number(metric.value)
        allowed.add(num)
        if metric.previous_value is not None:
            allowed.add(format_number(metric.previous_value))
        pat = rf"(?<![\d.]){re.escape(num)}(?![\d.])\s*[余多]?\s*{re.escape(metric.unit)}"
        m.metrics_found += bool(re.search(pat, text))
    m.metrics_total = len(facts.metrics)
    allowed |= {str(facts.year), str(facts.year + 1), str(facts.date.year),
                str(facts.date.month), str(facts.date.day)}
    body = _TITLE.sub("", text)
    m.numbers_not_in_facts = sorted({n for n in _NUM.findall(body) if n not in allowed})
    m.errors = sum(f.severity == "error" for f in result.findings)
    m.warnings = sum(f.severity == "warning" for f in result.findings)
    return m


def _short(p: Path) -> str:
    try:
        return str(p.relative_to(ROOT))
    except ValueError:
        return str(p)


def _load_facts(path: Path):
    from drafter.facts import load_facts

    return load_facts(path)


def draft_one(facts_path: Path, backend: str, out_dir: Path) -> tuple[Any, float]:
    from drafter.pipeline import draft

    out = out_dir / f"{backend}-{facts_path.parent.parent.name}-{facts_path.parent.name}.docx"
    t0 = time.perf_counter()
    result = draft(facts_path, out, backend=backend, force=True)
    return result, time.perf_counter() - t0


def run_template(facts_files: list[Path] | None = None) -> list[DraftMetrics]:
    out = []
    with tempfile.TemporaryDirectory(prefix="drafter-eval-") as tmp:
        for f in facts_files or FACTS:
            try:
                result, secs = draft_one(f, "template", Path(tmp))
                out.append(measure("template", f, result, secs))
            except Exception as e:  # noqa: BLE001 — a broken draft is a result to report
                out.append(DraftMetrics("template", _short(f), error=f"{type(e).__name__}: {e}"))
    return out


# -- the LLM backend against the scripted server ------------------------------------------

def _facts_block(user: str) -> list[dict]:
    """The YAML facts of a section prompt (the block after “事实材料…：”)."""
    import yaml

    m = re.search(r"事实材料[^\n]*\n(.*?)(?:\n\s*\n|\Z)", user, re.S)
    if not m:
        return []
    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return []
    return data if isinstance(data, list) else []


def _cn(n: int) -> str:
    return "一二三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n)


def model_reply(messages: list[dict]) -> str:
    """What the stand-in model answers: the section written from the prompt's facts."""
    user = next((m["content"] for m in messages if m.get("role") == "user"), "")
    items = _facts_block(user)
    paras: list[str] = []
    problems = [it for it in items if "不足" in it]
    if problems:
        paras.append("对照法治政府建设的要求，工作中还存在一些不足。")
    for i, it in enumerate(items, start=1):
        if it.get("小标题"):
            paras.append(str(it["小标题"]))
        clauses = [str(x) for x in (it.get("事实") or []) + (it.get("数据") or [])
                   + ([it["成效"]] if it.get("成效") else [])]
        if "不足" in it:
            causes = "；".join(str(c) for c in it.get("原因") or [])
            text = f"{_cn(i)}是{it['不足']}。究其原因，主要是{causes}" if causes else f"{_cn(i)}是{it['不足']}"
            clauses = [text] + clauses
        if clauses:
            paras.append("，".join(c.rstrip("。；，") for c in clauses) + "。")
    return "\n".join(paras)


def _server_default(body: dict) -> Any:
    from evaluations.openai_server import Reply

    messages = body.get("messages") or []
    text = model_reply(messages)
    first_measures = (len([m for m in messages if m.get("role") == "user"]) == 1
                      and "主要举措" in "".join(str(m.get("content")) for m in messages))
    if first_measures and text:
        lines = text.split("\n")
        lines[-1] = lines[-1].rstrip("。") + "，" + INVENTED + "。"
        text = "\n".join(lines)
    return Reply(content=text)


def run_llm(facts_files: list[Path] | None = None) -> list[DraftMetrics]:
    """Draft every facts file with ``--backend llm`` against the scripted local server."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    try:
        from evaluations.openai_server import ScriptedServer
    except ImportError as e:
        return [DraftMetrics("llm", "-", error=f"未评测：缺少 evaluations/openai_server.py（{e}）")]
    out = []
    saved = {k: os.environ.get(k) for k in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "DRAFTER_MODEL",
                                            "DRAFTER_CACHE_DIR", "DRAFTER_LLM_STREAM")}
    with ScriptedServer() as server, tempfile.TemporaryDirectory(prefix="drafter-eval-") as tmp:
        server.default = _server_default
        os.environ.update(OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="local",
                          DRAFTER_MODEL="scripted-eval", DRAFTER_CACHE_DIR=str(Path(tmp) / "cache"))
        try:
            for f in facts_files or FACTS:
                before = len(server.requests)
                try:
                    result, secs = draft_one(f, "llm", Path(tmp))
                except Exception as e:  # noqa: BLE001
                    out.append(DraftMetrics("llm", _short(f), error=f"{type(e).__name__}: {e}"))
                    continue
                m = measure("llm", f, result, secs)
                m.statuses = _llm_statuses(result)
                calls = server.requests[before:]
                m.statuses["请求"] = str(len(calls))
                m.statuses["其中修正请求"] = str(sum(
                    sum(1 for x in c.messages if x.get("role") == "user") > 1 for c in calls))
                m.statuses["注入的虚构数字留在稿中"] = "是" if "999" in result.report.text else "否"
                out.append(m)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    return out


def _llm_statuses(result: Any) -> dict[str, str]:
    """Section → accepted / repaired / fallback / template, from the run report when the
    pipeline exposes the backend's report, else from the notes."""
    rep = getattr(result, "backend_report", None)
    if callable(rep):
        rep = rep()
    if isinstance(rep, dict):
        return {s["key"]: s["status"] for s in rep.get("sections", [])}
    return {}


def render(rows: list[DraftMetrics]) -> str:
    lines = ["| 起草方式 | 事实文件 | 法定部分 | 事实陈述召回 | 指标召回 | 事实外数字 | 审核错误 | 审核警告 | 字数 | 用时（秒） |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r.error:
            lines.append(f"| {r.backend} | {r.facts} | 未评测：{r.error} | | | | | | | |")
            continue
        st = f"{r.statements_found}/{r.statements_total}"
        mt = f"{r.metrics_found}/{r.metrics_total}"
        extra = f"{len(r.numbers_not_in_facts)}" + (f"（{'、'.join(r.numbers_not_in_facts[:5])}）"
                                                     if r.numbers_not_in_facts else "")
        lines.append(f"| {r.backend} | {r.facts} | {r.sections_present}/{r.sections_total} | {st} | "
                     f"{mt} | {extra} | {r.errors} | {r.warnings} | {r.characters} | {r.seconds:.2f} |")
    statuses = [(r.facts, r.statuses) for r in rows if r.statuses]
    if statuses:
        lines += ["", "大模型起草的请求情况（测试服务器上的替身模型；举措部分的初稿含一个虚构数字“999次”，应被核查拦下并修正）：", ""]
        lines += [f"- {f}：" + "，".join(f"{k} {v}" for k, v in s.items()) for f, s in statuses]
    return "\n".join(lines)
