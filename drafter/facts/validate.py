"""Checks on the facts themselves, beyond types: ids, references, sums, dates, placeholders.

:func:`check_facts` returns every problem as ``(field path, Chinese message)``; the loader
turns the path into a line number. A facts file that passes is safe to draft from: every
reference resolves and every stated total covers its parts.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterator

from drafter.facts.model import RESERVED_IDS, SECTION_KEYS, Facts, Metric

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_]+))?\}")
METRIC_ATTRS = {"value": "数量（如 10件）", "label": "名称", "prev": "上年数量", "trend": "与上年比较",
                "yoy": "同比变化（如 同比增长9.3%，由本年和上年数值计算）",
                "parts": "分项（其中……）", "total": "名称和数量，不带分项"}
PERSON_ATTRS = {"full": "单位、职务和姓名", "role": "角色", "org": "所在单位", "title": "职务"}
ORG_ATTRS = {"role": "角色"}
DOCUMENT_ATTRS = {"title": "带书名号的名称", "number": "文号", "issuer": "发文机关",
                  "full": "发文机关、名称和文号"}
_EPS = 1e-9
# {total}，其中{part}: {total} already renders its parts (其中…), so the part would be written twice.
_PARTS_TWICE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}[，,]?\s*其中\{([A-Za-z_][A-Za-z0-9_]*)[.}]")


def metric_locs(facts: Facts) -> list[tuple[Metric, Loc]]:
    """Every metric with the field path where it is defined (top-level, then inline)."""
    out: list[tuple[Metric, Loc]] = [(m, ("metrics", i)) for i, m in enumerate(facts.metrics)]
    for key in SECTION_KEYS:
        for i, item in enumerate(facts.sections.items(key)):
            for j, m in enumerate(getattr(item, "metrics", [])):
                if isinstance(m, Metric):
                    out.append((m, ("sections", key, i, "metrics", j)))
    return out


def text_fields(facts: Facts) -> Iterator[tuple[str, Loc]]:
    """Every prose field a placeholder may appear in, with its path."""
    if facts.overview:
        yield facts.overview, ("overview",)
    for key in SECTION_KEYS:
        for i, item in enumerate(facts.sections.items(key)):
            base: Loc = ("sections", key, i)
            if item.title:
                yield item.title, base + ("title",)
            for j, s in enumerate(getattr(item, "facts", [])):
                yield s, base + ("facts", j)
            if getattr(item, "outcome", None):
                yield item.outcome, base + ("outcome",)
            if key == "shortcomings":
                yield item.problem, base + ("problem",)
                for j, c in enumerate(item.causes):
                    yield c, base + ("causes", j)


def check_facts(facts: Facts) -> list[Problem]:
    problems: list[Problem] = []
    ids = _check_ids(facts, problems)
    metrics = {m.id: (m, loc) for m, loc in metric_locs(facts) if m.id}
    _check_parts(metrics, metric_locs(facts), problems)
    _check_values(metric_locs(facts), problems)
    _check_documents(facts, problems)
    _check_date(facts, problems)
    _check_font_profile(facts, problems)
    _check_references(facts, ids, metrics, problems)
    return problems


def _check_ids(facts: Facts, problems: list[Problem]) -> dict[str, str]:
    """All ids (metrics, people, organisations, documents share one namespace) -> kind."""
    seen: dict[str, tuple[str, Loc]] = {}
    entries: list[tuple[str | None, str, Loc]] = [(m.id, "metric", loc) for m, loc in metric_locs(facts)]
    entries += [(p.id, "person", ("people", i)) for i, p in enumerate(facts.people)]
    entries += [(o.id, "org", ("organisations", i)) for i, o in enumerate(facts.organisations)]
    entries += [(d.id, "document", ("documents", i)) for i, d in enumerate(facts.documents)]
    for ident, kind, loc in entries:
        if not ident:
            continue
        if ident in RESERVED_IDS:
            problems.append((loc + ("id",), f"编号“{ident}”是保留字（unit、short、year、next_year），请换一个"))
        elif ident in seen:
            first = _loc_text(seen[ident][1])
            problems.append((loc + ("id",), f"编号“{ident}”重复（已在 {first} 使用），每个编号只能定义一次"))
        else:
            seen[ident] = (kind, loc)
    return {k: v[0] for k, v in seen.items()}


def _check_parts(metrics: dict[str, tuple[Metric, Loc]], all_locs: list[tuple[Metric, Loc]],
                 problems: list[Problem]) -> None:
    parts: dict[str, list[tuple[Metric, Loc]]] = {}
    for m, loc in all_locs:
        if m.part_of is None:
            continue
        if m.part_of == m.id:
            problems.append((loc + ("part_of",), "指标不能是自身的分项"))
            continue
        total = metrics.get(m.part_of)
        if total is None:
            problems.append((loc + ("part_of",), f"引用了未定义的指标“{m.part_of}”"))
            continue
        if total[0].unit != m.unit:
            problems.append((loc + ("unit",), f"分项单位“{m.unit}”与总数“{total[0].label}”的单位"
                                              f"“{total[0].unit}”不一致"))
            continue
        parts.setdefault(m.part_of, []).append((m, loc))
    # Cycles: a → b → a.
    for mid, (m, loc) in metrics.items():
        seen = {mid}
        cur = m.part_of
        while cur and cur in metrics:
            if cur in seen:
                problems.append((loc + ("part_of",), f"分项关系出现循环（{mid} → … → {cur}）"))
                break
            seen.add(cur)
            cur = metrics[cur][0].part_of
    for mid, (total, loc) in metrics.items():
        ps = parts.get(mid, [])
        if total.exhaustive and not ps:
            problems.append((loc + ("exhaustive",), f"“{total.label}”标记为分项穷尽（exhaustive），但没有任何分项"
                                                    f"（part_of: {mid}）"))
            continue
        if not ps or total.approx or any(p.approx for p, _ in ps):
            continue  # approximate figures carry tolerance: no exact arithmetic
        s = sum(p.value for p, _ in ps)
        detail = "、".join(f"{p.label}{_num(p.value)}" for p, _ in ps)
        if s > total.value + _EPS:
            problems.append((loc + ("value",), f"分项合计{_num(s)}{total.unit}超过总数"
                                               f"{_num(total.value)}{total.unit}（{detail}）"))
        elif total.exhaustive and abs(s - total.value) > _EPS:
            problems.append((loc + ("value",), f"分项穷尽但合计{_num(s)}{total.unit}不等于总数"
                                               f"{_num(total.value)}{total.unit}（{detail}）"))


def _check_values(all_locs: list[tuple[Metric, Loc]], problems: list[Problem]) -> None:
    from drafter.text.measure_words import measure_word_problem

    for m, loc in all_locs:
        if m.unit == "%" and "率" in m.label and m.value > 100:
            problems.append((loc + ("value",), f"比率“{m.label}”为{_num(m.value)}%，不能超过100%"))
        wrong = measure_word_problem(m.label, m.unit)
        if wrong:
            problems.append((loc + ("unit",), wrong))


def _check_documents(facts: Facts, problems: list[Problem]) -> None:
    """One 文号 names one document."""
    seen: dict[str, int] = {}
    for i, d in enumerate(facts.documents):
        if not d.number:
            continue
        if d.number in seen:
            problems.append((("documents", i, "number"), f"文号“{d.number}”与 documents[{seen[d.number]}] "
                                                          "重复：一个文号只对应一个文件"))
        else:
            seen[d.number] = i


def _check_date(facts: Facts, problems: list[Problem]) -> None:
    year_end = dt.date(facts.year, 12, 31)
    d = facts.date
    if d is None:  # an imported year whose report gives no date (ImportedFacts)
        return
    if d <= year_end:
        problems.append((("date",), f"成文日期{_cn_date(d)}不晚于报告年度结束（{_cn_date(year_end)}），"
                                    f"年度报告应在{facts.year + 1}年成文"))
    elif d.year > facts.year + 1:
        problems.append((("date",), f"成文日期{_cn_date(d)}不在{facts.year + 1}年，"
                                    f"与报告年度{facts.year}年不符"))


def _check_font_profile(facts: Facts, problems: list[Problem]) -> None:
    from drafter.docx.fonts import PROFILES

    if facts.font_profile not in PROFILES:
        problems.append((("font_profile",), f"未知的字体方案“{facts.font_profile}”，可用："
                                            + "、".join(PROFILES)))


def _check_references(facts: Facts, ids: dict[str, str],
                      metrics: dict[str, tuple[Metric, Loc]], problems: list[Problem]) -> None:
    for key in SECTION_KEYS:
        for i, item in enumerate(facts.sections.items(key)):
            for j, ref in enumerate(getattr(item, "metrics", [])):
                if isinstance(ref, str) and ids.get(ref) != "metric":
                    what = "不是指标" if ref in ids else "未定义"
                    problems.append((("sections", key, i, "metrics", j),
                                     f"引用的指标“{ref}”{what}（请在 metrics 中定义）"))
            plans = facts.previous_plan_texts()
            for j, n in enumerate(getattr(item, "answers", [])):
                if plans is not None and n > len(plans):
                    problems.append((("sections", key, i, "answers", j),
                                     f"上年计划只有{len(plans)}项，没有第{n}项"))
    for text, loc in text_fields(facts):
        for mt in _PARTS_TWICE.finditer(text):
            whole, part = mt.group(1), mt.group(2)
            if whole in metrics and part in metrics and metrics[part][0].part_of == whole:
                problems.append((loc, f"“{{{whole}}}”已写出分项（其中……），其后的“其中{{{part}}}”会重复："
                                      f"请改为“{{{whole}.total}}，其中{{{part}}}”，或只写“{{{whole}}}”"))
        rest = PLACEHOLDER.sub("", text)
        if "{" in rest or "}" in rest:
            problems.append((loc, "花括号不成对或编号写法有误（引用写成 {编号} 或 {编号.属性}）"))
        for m in PLACEHOLDER.finditer(text):
            ident, attr = m.group(1), m.group(2)
            problems.extend((loc, msg) for msg in _check_placeholder(ident, attr, ids, metrics))


def _check_placeholder(ident: str, attr: str | None, ids: dict[str, str],
                       metrics: dict[str, tuple[Metric, Loc]]) -> list[str]:
    if ident in RESERVED_IDS:
        return [f"“{{{ident}.{attr}}}”：{ident} 没有属性"] if attr else []
    kind = ids.get(ident)
    if kind is None:
        return [f"引用了未定义的编号“{{{ident}}}”（请在 metrics、people、organisations 或 documents 中定义）"]
    allowed = {"metric": METRIC_ATTRS, "person": PERSON_ATTRS, "org": ORG_ATTRS,
               "document": DOCUMENT_ATTRS}[kind]
    if attr and attr not in allowed:
        return [f"“{{{ident}.{attr}}}”：未知属性，可用 " + "、".join(f"{ident}.{a}" for a in allowed)]
    if kind == "metric" and attr == "yoy" and metrics[ident][0].approx:
        return [f"“{{{ident}.yoy}}”：指标“{ident}”是约数，不能计算同比变化（请改用 {{{ident}.trend}}）"]
    if kind == "metric" and attr in ("prev", "trend") and metrics[ident][0].previous_value is None:
        return [f"“{{{ident}.{attr}}}”需要上年数量，请为指标“{ident}”填写 previous_value"]
    if kind == "metric" and attr == "parts" and not any(
            m.part_of == ident for m, _ in metrics.values()):
        return [f"“{{{ident}.parts}}”：指标“{ident}”没有分项"]
    return []


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _loc_text(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
