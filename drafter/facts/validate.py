"""Checks on the facts themselves, beyond types: ids, references, sums, dates, placeholders.

:func:`check_facts` returns every problem as ``(field path, Chinese message)``; the loader
turns the path into a line number. A facts file that passes is safe to draft from: every
reference resolves and every stated total covers its parts.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Callable, Iterator

from drafter.facts.model import RESERVED_IDS, SECTION_KEYS, Facts, Metric, text_of

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
                yield text_of(s), base + ("facts", j)
            if getattr(item, "outcome", None):
                yield item.outcome, base + ("outcome",)
            if key == "shortcomings":
                yield item.problem, base + ("problem",)
                for j, c in enumerate(item.causes):
                    yield text_of(c), base + ("causes", j)


def check_facts(facts: Facts, skip: Callable[[Loc], bool] | None = None) -> list[Problem]:
    """Every problem of the facts as a whole (ids, sums, dates, references, figures typed in
    statements). ``skip(loc)`` True marks a value that stands in for an invalid one
    (:mod:`drafter.facts.collect`): no sum or comparison involving it is checked."""
    skip = skip or (lambda loc: False)
    problems: list[Problem] = []
    ids = _check_ids(facts, problems)
    metrics: dict[str, tuple[Metric, Loc]] = {}
    for m, loc in metric_locs(facts):
        if m.id:
            metrics.setdefault(m.id, (m, loc))  # a repeated id is reported; the first one counts
    _check_parts(metrics, metric_locs(facts), problems, skip)
    _check_values(metric_locs(facts), problems)
    _check_documents(facts, problems)
    _check_date(facts, problems)
    _check_doc_number(facts, problems)
    _check_font_profile(facts, problems)
    _check_references(facts, ids, metrics, problems)
    _check_typed_figures(facts, problems, skip)
    return problems


def check_completeness(facts: Facts) -> list[Problem]:
    """What the facts lack for a complete draft (notices: the draft is written, with a
    【待补充】 marker there): a shortcoming without causes, a mandated section left empty."""
    from drafter.sections import MANDATED_KEYS, label

    out: list[Problem] = []
    for key in MANDATED_KEYS:
        if not facts.sections.items(key):
            out.append((("sections", key), f"没有填写“{label(key)}”（初稿中此处会写成【待补充】）"))
    for i, item in enumerate(facts.sections.shortcomings):
        if not item.causes:
            out.append((("sections", "shortcomings", i, "causes"),
                        "未填写原因（初稿中会写成【待补充：上述问题的原因】）"))
    return out


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
                 problems: list[Problem], skip: Callable[[Loc], bool]) -> None:
    parts: dict[str, list[tuple[Metric, Loc]]] = {}
    # Totals one of whose parts is already reported (None: a part of an unknown total): the
    # sum of the others would only repeat that problem.
    broken: set[str | None] = set()
    if any(skip(loc + ("part_of",)) for _, loc in all_locs):  # a total the reader could not find
        broken.add(None)
    for m, loc in all_locs:
        if m.part_of is None:
            continue
        if m.part_of == m.id:
            problems.append((loc + ("part_of",), "指标不能是自身的分项"))
            broken.add(m.part_of)
            continue
        total = metrics.get(m.part_of)
        if total is None:
            problems.append((loc + ("part_of",), f"引用了未定义的指标“{m.part_of}”"))
            broken.add(None)
            continue
        if total[0].unit != m.unit:
            problems.append((loc + ("unit",), f"分项单位“{m.unit}”与总数“{total[0].label}”的单位"
                                              f"“{total[0].unit}”不一致"))
            broken.add(m.part_of)
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
        if total.exhaustive and not ps and mid not in broken:
            problems.append((loc + ("exhaustive",), f"“{total.label}”标记为分项穷尽（exhaustive），但没有任何分项"
                                                    f"（part_of: {mid}）"))
            continue
        if not ps or total.approx or any(p.approx for p, _ in ps):
            continue  # approximate figures carry tolerance: no exact arithmetic
        if skip(loc + ("value",)):
            continue
        # A part whose value is a stand-in (reported already) is unknown but not negative: the
        # others alone may still exceed the total; an exact sum needs them all.
        known = [(p, lc) for p, lc in ps if not skip(lc + ("value",))]
        s = sum(p.value for p, _ in known)
        detail = "、".join(f"{p.label}{_num(p.value)}" for p, _ in known)
        if s > total.value + _EPS:
            problems.append((loc + ("value",), f"分项合计{_num(s)}{total.unit}超过总数"
                                               f"{_num(total.value)}{total.unit}（{detail}）"))
        elif (total.exhaustive and len(known) == len(ps) and abs(s - total.value) > _EPS
              and not (broken & {mid, None})):
            problems.append((loc + ("value",), f"分项穷尽但合计{_num(s)}{total.unit}不等于总数"
                                               f"{_num(total.value)}{total.unit}（{detail}）"))


def _check_values(all_locs: list[tuple[Metric, Loc]], problems: list[Problem]) -> None:
    for m, loc in all_locs:
        for field, why in value_problems(m.label, m.value, m.unit):
            problems.append((loc + (field,), why))


def value_problems(label: str, value: float, unit: str) -> list[tuple[str, str]]:
    """(field, why) of what one metric cannot say: a rate over 100 %, a measure word that
    cannot count its noun. The importer asks it of every figure it reads."""
    from drafter.text.measure_words import measure_word_problem

    out = []
    if unit == "%" and "率" in label and value > 100:
        out.append(("value", f"比率“{label}”为{_num(value)}%，不能超过100%"))
    wrong = measure_word_problem(label, unit)
    if wrong:
        out.append(("unit", wrong))
    return out


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
    elif d > dt.date(facts.year + 1, 3, 31) and not getattr(facts, "imported", None):
        # (an earlier year's report imported as history: a late date is what happened)
        problems.append((("date",), f"成文日期{_cn_date(d)}不在{facts.year + 1}年第一季度（年度报告应在"
                                    f"{facts.year + 1}年3月31日前成文报送，部门一般在3月1日前）"))


_DOC_NUMBER = re.compile(r"^\S+〔(\d{4})〕([1-9]\d*)号$")


def _check_doc_number(facts: Facts, problems: list[Problem]) -> None:
    """发文字号 as GB/T 9704-2012 7.2.4 writes it: 机关代字〔年份〕序号号."""
    if facts.doc_number is None:
        return
    m = _DOC_NUMBER.match(facts.doc_number)
    if m is None:
        problems.append((("doc_number",), "发文字号写法不规范，应如“示科工信〔2024〕3号”（年份写全并用六角括号"
                                          "〔〕，序号不加“第”、不编虚位）"))
    elif int(m.group(1)) != facts.date.year:
        problems.append((("doc_number",), f"发文字号的年份{m.group(1)}与成文日期的年份{facts.date.year}不一致"))


def _check_typed_figures(facts: Facts, problems: list[Problem], skip: Callable[[Loc], bool]) -> None:
    for m, loc, typed in typed_figure_conflicts(facts, skip):
        problems.append((loc, f"句中写“{typed}”，与“数据指标”中“{m.label}”的"
                              f"{_num(m.value)}{m.unit}不一致"))


def typed_figure_conflicts(facts: Facts, skip: Callable[[Loc], bool] | None = None
                           ) -> list[tuple[Metric, Loc, str]]:
    """A figure typed in a statement right after a metric's name ("清理规范性文件10件") must be
    the metric's value: the same thing cannot have two numbers in one report. Where a longer
    metric name covers the hit ("清理市政府规范性文件287件" for a metric "规范性文件"), the hit
    names that other thing and only the longer name is compared. Each conflict: (the metric,
    the statement's field, the figure as typed)."""
    skip = skip or (lambda loc: False)
    metrics = [m for m, _ in metric_locs(facts)]
    named = [(m, loc) for m, loc in metric_locs(facts)
             if len(m.label) >= 4 and not m.approx and not skip(loc)]
    out: list[tuple[Metric, Loc, str]] = []
    if not named:
        return out
    for text, loc in text_fields(facts):
        spans = [(hit.start(), hit.end()) for m in metrics if len(m.label) >= 4
                 for hit in re.finditer(_figure_pattern(m), text)]
        for m, _ in named:
            for hit in re.finditer(_figure_pattern(m), text):
                if any(a <= hit.start() and hit.end() <= b and (a, b) != hit.span() for a, b in spans):
                    continue  # part of a longer metric name: another thing
                if abs(float(hit.group(1)) - float(m.value)) > _EPS:
                    out.append((m, loc, hit.group(0)))
    return out


def _figure_pattern(m: Metric) -> str:
    return re.escape(m.label) + r"\s*(?:共|达|为)?\s*(\d+(?:\.\d+)?)\s*" + re.escape(m.unit)


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
