"""``python -m evaluations [--quick] [--write-results]`` — run every evaluation and benchmark,
print the tables (Markdown), and with ``--write-results`` write the same text to
``evaluations/RESULTS.md``."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
# Speed targets of issue 14: 200 reports of ≈3,000 characters per second (whole process,
# default options), a cold single check, the in-process median per ≈3,000-character report.
TARGETS = {"recall": 0.95, "false_alarms": 0.5, "throughput": 200.0, "cold_s": 0.4,
           "per_report_ms": 3.0, "runtime_s": 300.0, "all_clean_flags": 0.2}


def _log(msg: str) -> None:
    print(f"[eval] {msg}", file=sys.stderr, flush=True)


def run(quick: bool = False, jobs: int | None = None, command: str = "python -m evaluations",
        offline: bool = False, pages: Path | None = None) -> str:
    """Everything, as the Markdown text of RESULTS.md. ``offline`` skips the parts that start a
    local test server (the llm drafting metrics, the llm and web benchmarks): no socket at all.
    ``pages``: the folder for the prose evaluation's side-by-side pages (None: not written)."""
    from evaluations import bench, checker_eval, drafting_eval, import_eval, llm_answers_eval, prose_eval
    from evaluations.mutations import CASES, DEFAULT_SEED, SITES_PER_OPERATOR, clean_sources
    from evaluations.mutations import generate, operators

    t_start = time.perf_counter()
    load_start = os.getloadavg()[0]
    bench.compile_package()  # as installed: bytecode written once, not in each timed process
    jobs = jobs or os.cpu_count() or 1
    k = 1 if quick else SITES_PER_OPERATOR
    sources = clean_sources(CASES)
    paths = [CASES / f"{s.name}.txt" for s in sources]

    phases: dict[str, float] = {}

    def lap(name: str, t0: float) -> float:
        now = time.perf_counter()
        phases[name] = now - t0
        return now

    _log(f"变异测试：{len(sources)} 份干净报告，每种变异最多 {k} 处，{jobs} 个进程")
    t = time.perf_counter()
    suite = checker_eval.run_mutation_suite(paths, DEFAULT_SEED, k, jobs)
    labelled = checker_eval.run_labelled(CASES)
    cm = checker_eval.compute(suite, labelled)
    from evaluations import published_eval

    published = published_eval.run_published()
    pm = [published_eval.compute_published(published, split) for split in ("dev", "holdout")]
    t = lap("审核评测", t)

    _log("起草评测：template、llm（本地测试服务器）")
    drafts = drafting_eval.run_template() + ([] if offline else drafting_eval.run_llm())
    prose = prose_eval.run(pages=pages)
    t = lap("起草评测", t)

    _log("大模型回复评测：真实模型式回复（python -m evaluations.llm_answers_eval）")
    answers = None if offline else llm_answers_eval.run(latency=1.0, quick=quick)
    t = lap("大模型回复评测", t)

    _log("导入往年报告评测（python -m evaluations.import_eval）")
    imports = import_eval.run()
    t = lap("导入评测", t)

    _log("大模型辅助审核评测（python -m evaluations.review_eval，本地测试服务器）")
    from evaluations import review_eval

    review = None if offline else review_eval.run_all()
    t = lap("大模型辅助审核评测", t)

    _log("基准测试")
    texts = [s.text for s in sources] + [m.text for m in generate(sources, DEFAULT_SEED, 1)]
    b: dict = {"speed": [bench.speed_probe()]}
    b["startup"] = bench.startup(3 if quick else 5)
    b["cold"] = bench.cold_check(repeats=3 if quick else 5)
    b["seed_cold"] = _seed_cold(bench, 3 if quick else 5)
    b["throughput"] = bench.throughput(texts, n=100 if quick else 500, jobs=(1, jobs))
    b["per_report"] = bench.per_report_ms([s.text for s in sources])
    long = bench.long_texts()
    b["default_folder"] = bench.default_folder(long, n=200, repeats=3 if quick else 5)
    b["per_report_long"] = bench.per_report_ms(long)
    b["breakdown"] = bench.cold_breakdown()
    b["rule_costs"] = bench.rule_costs([s.text for s in sources])
    b["draft"] = bench.draft_cold(2 if quick else 3)
    b["stages"] = bench.draft_stages()
    b["imports"] = bench.import_profile()
    b["speed"].append(bench.speed_probe())
    t = lap("基准测试", t)
    _log("大模型并发基准（python -m evaluations.bench_llm）")
    skipped = {"error": "未评测：--offline（不启动本机测试服务器）"}
    b["llm"] = skipped if offline else bench.bench_llm()
    t = lap("大模型并发基准", t)
    _log("网页并发审核（python -m evaluations.bench_web）")
    b["web"] = skipped if offline else bench.bench_web()
    t = lap("网页并发审核", t)
    _log("炸弹文件、超长报告和停止信号（python -m evaluations.bench_web_limits）")
    b["web_limits"] = skipped if offline else bench.bench_web_limits()
    lap("限制与停止", t)
    runtime = time.perf_counter() - t_start
    load = (load_start + os.getloadavg()[0]) / 2
    return _document(cm, operators(), drafts, b, runtime, quick, jobs, k, len(sources), command,
                     drafting_eval.render(drafts) + "\n\n" + _prose_part(prose_eval, prose, pages),
                     checker_eval.render(cm, operators()), phases, load, imports, prose, review,
                     pm, published_eval.render_published(pm), answers)


def _prose_part(prose_eval, rows, pages: Path | None) -> str:
    where = (f"，对照页见 `{pages.relative_to(HERE.parent)}/`" if pages is not None
             and pages.is_relative_to(HERE.parent) else "")
    return "\n".join([
        f"### 起草文字（template，`python -m evaluations.prose_eval`{where}）",
        "",
        "段首：每个正文段落（含导语，去掉段首标题）第一个逗号之前的文字，在全文和一个部分中出现的最多次数"
        f"（目标：全文 ≤ {prose_eval.BARS['opener_report']}，每部分 ≤ {prose_eval.BARS['opener_section']}）；"
        "衔接词：句首的“同时、此外、全年、通过……，”等，按 `prompts/template/connectors.yaml` 核对其所在的句间关系"
        "（括号内为不合关系的个数，目标 0）；列举：“一是……”最长的项数（目标 ≤ "
        f"{prose_eval.BARS['list_max']}）和以动宾短语开头的项数；句长按“。！？”切分；字数/事实字数：正文段落字数与"
        "事实陈述、不足、原因、指标、成效的字数之比；成效写入：事项的 outcome 原文出现在草稿中；文号先题名："
        "草稿中的文号写在《》标题之后的括号内；量词误用：如“执法证件2名”；用时：进程内起草并写出 .docx"
        f"（目标 ≤ {prose_eval.BARS['seconds']:.0f} 秒）。",
        "",
        prose_eval.render(rows)])


def _seed_cold(bench, repeats: int) -> dict | None:
    seed = HERE.parent.parent / "shared" / "seeds" / "000_5a7ed637e8473e00.txt"
    return bench.cold_check(seed, repeats) if seed.exists() else None


def _ok(flag: bool) -> str:
    return "✅" if flag else "❌"


def _document(cm, ops, drafts, b, runtime, quick, jobs, k, n_sources, command,
              drafting_table, checker_tables, phases, load, imports, prose=(), review=None,
              pm=(), published_tables="", answers=None) -> str:
    from evaluations import import_eval, llm_answers_eval, review_eval

    imp = import_eval.totals(imports)
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    min_cat = min(((c, v[0] / v[2]) for c, v in cm.recall.items() if v[2]), key=lambda x: x[1],
                  default=("-", 0.0))
    tp = b["default_folder"]
    per = b["per_report_long"]
    cold = b["cold"]
    ok_drafts = [d for d in drafts if not d.error]
    draft_ok = (bool(ok_drafts) and len(ok_drafts) == len(drafts)
                and all(d.sections_present == d.sections_total and not d.numbers_not_in_facts
                        and d.errors == 0 for d in ok_drafts))
    lines = [
        "# 评测结果",
        "",
        f"- 生成时间：{now}（本机 {os.cpu_count()} 核，Python {platform.python_version()}，"
        f"{platform.system()}）",
        f"- 命令：`{command}`（等价：`{command.replace('python -m evaluations', 'drafter eval')}`）；"
        f"本文件即该命令打印的全部内容",
        f"- 本机负载（1 分钟平均，开始与结束的均值）：{load:.1f}（大于核数时其他进程在争用 CPU，"
        "墙钟时间偏长）",
        "- 本机速度（一段固定的纯 Python 计算的 CPU 毫秒数，越大越慢；基准测试开始时 / 结束时）："
        + " / ".join(f"{v:.0f}" for v in b.get("speed", [])) + "。虚拟机的速度可在几分钟内相差一倍，"
        "各项墙钟时间和 CPU 时间随之变化；比较两次评测的速度数字前，先比较这一项",
        f"- 评测总用时：{runtime:.1f} 秒（" + "，".join(f"{k} {v:.0f} 秒" for k, v in phases.items())
        + f"）{'；--quick：每种变异 1 处，吞吐量用 100 份' if quick else ''}",
        "",
        "## 达标情况",
        "",
        "| 指标 | 结果 | 目标 | 达标 |",
        "|---|---|---|---|",
        f"| 变异测试召回率（最低的类别：{min_cat[0]}） | {min_cat[1]:.3f} | ≥ {TARGETS['recall']} | "
        f"{_ok(min_cat[1] >= TARGETS['recall'])} |",
        f"| 干净报告平均误报（警告+错误） | {cm.false_alarms_per_clean:.2f} 条/份 | "
        f"≤ {TARGETS['false_alarms']} | {_ok(cm.false_alarms_per_clean <= TARGETS['false_alarms'])} |",
        f"| 总体精确率 | {cm.precision:.3f} | — | — |",
        *_published_rows(cm, pm),
        f"| {tp['files']} 份报告（{tp['min_chars']}–{tp['max_chars']} 字）吞吐量（`drafter check 文件夹`，"
        f"默认选项，整个进程，中位数） | {tp['reports_per_s']:.1f} 份/秒（最快 {tp['best_reports_per_s']:.1f}） | "
        f"≥ {TARGETS['throughput']:.0f} | "
        f"{_ok(tp['reports_per_s'] >= TARGETS['throughput'] and not tp['error'])} |",
        f"| 单份报告冷启动审核（{cold['characters']} 字，中位数） | {cold['median_s']:.2f} 秒 | "
        f"≤ {TARGETS['cold_s']} 秒 | {_ok(cold['median_s'] <= TARGETS['cold_s'] and not cold['error'])} |",
        f"| 进程内审核一份报告（约 3000 字，{per['reports']} 份，中位数） | {per['median_ms']:.1f} 毫秒"
        f"（CPU {per['cpu_median_ms']:.1f} 毫秒） | "
        f"≤ {TARGETS['per_report_ms']:.0f} 毫秒 | {_ok(per['median_ms'] <= TARGETS['per_report_ms'])} |",
        f"| 评测总用时 | {runtime:.0f} 秒 | < {TARGETS['runtime_s']:.0f} 秒 | "
        f"{_ok(runtime < TARGETS['runtime_s'])} |",
        f"| 起草：法定部分齐全、无事实外数字、无审核错误 | "
        f"{'全部满足' if draft_ok else '见下表'} | 100% / 0 / 0 | {_ok(draft_ok)} |",
        *(_import_row(label, imp[key]) for key, label in (("figures", "导入往年报告：数字（含名称）"),
                                                        ("plans", "导入往年报告：下一年度安排"))),
        f"| 起草文字：段首不重复、衔接词合关系、列举 ≤ 5 项、成效全部写入、文号先题名、无量词误用、≤ 1 秒 | "
        f"{sum(r.ok for r in prose)}/{len(prose)} 份样例满足 | 全部 | "
        f"{_ok(bool(prose) and all(r.ok for r in prose))} |",
        *([f"| {name} | {value} | {target} | {_ok(ok)} |" for name, value, target, ok
           in review_eval.targets(review)] if review else
          ["| 大模型辅助审核 | 未评测：--offline（不启动本机测试服务器） | — | — |"]),
    ]
    if answers:
        lines += [f"| 大模型回复：{what} | {result} | — | {_ok(ok)} |"
                  for what, result, ok in llm_answers_eval.targets(answers["rows"])]
    lines += [
        "",
        "## 一、审核：变异测试",
        "",
        f"{n_sources} 份干净报告（`evaluations/cases/reports` 中标为 clean 的报告），每份报告对"
        f"{len(ops)} 种变异各取至多 {k} 处（`evaluations/mutation_ops.py`，随机种子固定，结果可复现），"
        f"每个变异只含一处缺陷，共 **{cm.mutants}** 个变异。"
        "缺陷被“找到”指：同类别的警告或错误指向缺陷所在的行或引文（删除的部分：同类别且指明该法定内容）；"
        "变异前已有的问题（同规则、同引文）不计。",
        "",
        checker_tables,
        "",
        "## 二、审核：公开版式评测集（与变异测试分开）",
        "",
        "`evaluations/cases/published`：按各地网站、公众号实际版式自行撰写的报告（报送函在前、标题下署单位和"
        "日期、无主送机关、微信版无序号标题、三级标题连续编号、“一是”跨段、第一责任人标题的各种写法），"
        "干净报告和标注缺陷的报告，各带结构要素的标准答案（`expected:`）。开发集用于开发时查看和调试；"
        "留出集在修改检查器之前写好，只评测、不据此调整。命令：`python -m evaluations.published_eval "
        "--split dev|holdout|all`（逐份报告的结果）。缺陷被“找到”的判定与上面的标注报告相同；"
        "缺少成文日期等“缺少某要素”的缺陷（`element:`）由报告该要素缺失的结构规则找到。",
        "",
        published_tables,
        "## 三、起草",
        "",
        "template 为默认离线模板；llm 为大模型后端连接本机测试服务器（`evaluations/openai_server.py`），"
        "由确定性的替身模型按提示词中的事实作答，衡量的是提示、核查、修正、回退和组装流程，不是模型文笔。"
        "事实陈述召回：去掉标点后原文包含或相似度≥90；事实外数字：书名号外、事实文件中没有的阿拉伯数字。",
        "",
        drafting_table,
        "",
        "### 大模型回复评测（`python -m evaluations.llm_answers_eval`）",
        "",
        _answers_text(answers),
        "",
        "## 四、导入往年报告",
        "",
        f"`drafter corpus add` 离线读取 {len(imports)} 份人工标注的报告（`evaluations/cases/import/`，含项目外的种子报告），"
        "与标注比较（`python -m evaluations.import_eval`）。数字计为正确：行号、数值、单位、约数相同，且读出的名称包含标注的"
        "关键词（名称按原文，不止一种写法，故只要求包含说明所计何事的词语）；分项关系另计；计划：行号和标题相同。",
        "",
        import_eval.render(imports),
        "",
        "## 五、大模型辅助审核（`python -m evaluations.review_eval`）",
        "",
        "录制的模型回复（`evaluations/cases/review/`：12 份报告；`evaluations/cases/review_heldout/`：另写的 3 份，"
        "见各自的 README）由本机测试服务器（`evaluations/openai_server.py`）按报告标题和片段文字返回，"
        "drafter 按 `drafter check --llm` 的流程请求、读回复、逐条核实。“保留”指以规则默认级别（最高为警告）报告，"
        "“其中为真”按清单中每条建议的 `\"true\"` 计；“人工才能发现的缺陷找到”指标注的这类缺陷有一条保留的意见指向它。",
        "",
        review_eval.render(review) if review else "未评测：--offline（不启动本机测试服务器）。",
        "",
        "## 六、基准",
        "",
        _bench_table(b),
        "",
        "### 启动剖析：`python -X importtime -m drafter check`（顶层导入，累计毫秒）",
        "",
        "| 模块 | 毫秒 |",
        "|---|---|",
    ]
    lines += [f"| {name} | {ms:.0f} |" for name, ms in b["imports"]]
    lines += ["", "### 规则耗时（进程内，预热后，每份报告平均毫秒，最慢的 10 条；共用分析计入第一条调用它的规则）", "",
              "| 规则 | 毫秒 |", "|---|---|"]
    lines += [f"| {rid} | {ms:.2f} |" for rid, ms in b["rule_costs"]]
    lines += ["", "### 大模型并发基准（`python -m evaluations.bench_llm`）", ""]
    llm = b["llm"]
    if llm.get("output"):
        lines += [f"用时 {llm['wall_s']:.1f} 秒，退出码 {llm['returncode']}。输出原文：", "", "```text",
                  llm["output"], "```"]
    if llm.get("error"):
        lines += ["", f"未完成：{llm['error'].strip()}"]
    lines += ["", "### 网页并发审核（`python -m evaluations.bench_web`）", ""]
    web = b.get("web") or {}
    if web.get("output"):
        lines += [f"用时 {web['wall_s']:.1f} 秒，退出码 {web['returncode']}。输出原文：", "", "```text",
                  web["output"], "```"]
    if web.get("error"):
        lines += ["", f"未完成：{web['error'].strip()}"]
    lines += ["", "### 炸弹文件、超长报告和停止信号（`python -m evaluations.bench_web_limits`）", ""]
    limits = b.get("web_limits") or {}
    if limits.get("output"):
        lines += [f"用时 {limits['wall_s']:.1f} 秒，退出码 {limits['returncode']}（1：有目标未达到）。", "",
                  limits["output"]]
    if limits.get("error"):
        lines += ["", f"未完成：{limits['error'].strip()}"]
    return "\n".join(lines) + "\n"


def _published_rows(cm, pm) -> list[str]:
    """The bars of issue 17: the published set's clean reports get no structure error, its
    labelled defects are all found (≥ 0.95 per category), and the clean reports of every set
    average ≤ 0.2 warnings and errors."""
    rows = []
    for m in pm:
        name = "开发集" if m.split == "dev" else "留出集"
        cat, rate = m.min_recall
        rows.append(f"| 公开版式评测集{name}：干净报告上的结构类错误 | {m.clean_structure_errors} 条 | 0 | "
                    f"{_ok(m.clean_structure_errors == 0)} |")
        rows.append(f"| 公开版式评测集{name}：召回率（最低的类别：{cat}） | {rate:.3f} | "
                    f"≥ {TARGETS['recall']} | {_ok(rate >= TARGETS['recall'])} |")
    clean = cm.clean_reports + sum(m.clean_reports for m in pm)
    flags = cm.clean_flags + sum(m.clean_flags for m in pm)
    avg = flags / clean if clean else 0.0
    rows.append(f"| 全部评测集的干净报告（{clean} 份）平均警告+错误 | {avg:.2f} 条/份 | "
                f"≤ {TARGETS['all_clean_flags']} | {_ok(avg <= TARGETS['all_clean_flags'])} |")
    return rows
def _answers_text(answers: dict | None) -> str:
    from evaluations import llm_answers_eval

    if not answers:
        return "未评测：--offline（不启动本机测试服务器）"
    sizes = "，".join(f"{k} {v} 份" for k, v in answers["answers"].items())
    how = "量起草出的段落（--quick）" if answers["quick"] else "写出 .docx 后读回"
    return ("`tests/data/llm_answers/` 中按真实模型答法写的回复（" + sizes + "；held-out 集只用于评测，"
            "测试和开发时不读），由本机测试服务器作为各部分的回复返回；模型“重复自己”：修正轮得到同一回复。"
            f"结果{how}。墙钟：各部分都返回该变体、每次调用延迟 {answers['latency']:.0f} 秒时进程内起草一份报告的用时。"
            f"本项用时 {answers['seconds']:.0f} 秒。\n\n"
            + llm_answers_eval.render(answers["rows"], answers["walls"], answers["latency"]))


def _import_row(label: str, s) -> str:
    from evaluations.import_eval import TARGETS

    p, r = s.precision, s.recall
    ok = p is not None and r is not None and p >= TARGETS["precision"] and r >= TARGETS["recall"]
    shown = "未评测" if p is None or r is None else f"精确率 {p:.3f}，召回率 {r:.3f}"
    return (f"| {label} | {shown} | 精确率 ≥ {TARGETS['precision']}，召回率 ≥ {TARGETS['recall']} | "
            f"{_ok(ok)} |")


def _bench_table(b: dict) -> str:
    rows = ["| 项目 | 结果 |", "|---|---|"]
    s = b["startup"]
    rows.append(f"| 启动（`drafter --version`） | 中位数 {s['median_s']:.2f} 秒，最快 {s['min_s']:.2f} 秒 |")
    for key, label in (("cold", "冷启动审核一份报告"), ("seed_cold", "冷启动审核种子报告（真实报告）")):
        c = b.get(key)
        if not c:
            continue
        err = f"；出错：{c['error']}" if c["error"] else ""
        rows.append(f"| {label}：{c['report']}（{c['characters']} 字），{c['repeats']} 次 | "
                    f"中位数 {c['median_s']:.2f} 秒，最快 {c['min_s']:.2f} 秒，最慢 {c['max_s']:.2f} 秒"
                    f"（CPU {c['cpu_s']:.2f} 秒）；"
                    f"峰值内存 {c['max_rss_mb']:.0f} MB{err} |")
    t = b["default_folder"]
    err = f"；出错：{t['error']}" if t["error"] else ""
    rows.append(f"| 文件夹 {t['files']} 份报告（{t['min_chars']}–{t['max_chars']} 字），默认选项（每核一个审核进程，"
                f"分词器在一个共用进程中只加载一次），{t['repeats']} 次 | "
                f"中位数 {t['median_s']:.2f} 秒（CPU {t['cpu_s']:.2f} 秒），**{t['reports_per_s']:.1f} 份/秒**，"
                f"最快 {t['min_s']:.2f} 秒；峰值内存 {t['max_rss_mb']:.0f} MB{err} |")
    for t in b["throughput"]:
        err = f"；出错：{t['error']}" if t["error"] else ""
        rows.append(f"| 文件夹 {t['files']} 份报告，`--jobs {t['jobs']}` | {t['wall_s']:.2f} 秒"
                    f"（CPU {t['cpu_s']:.2f} 秒），**{t['reports_per_s']:.1f} 份/秒**；"
                    f"峰值内存 {t['max_rss_mb']:.0f} MB{err} |")
    bd = b["breakdown"]
    if "error" in bd:
        rows.append(f"| 冷启动分解 | 未完成：{bd['error']} |")
    else:
        rows.append(f"| 冷启动分解（新进程内计时） | 导入 {bd['imports_s']:.2f} 秒，首次审核 {bd['first_check_s']:.2f} 秒"
                    f"（含词表等一次性加载；分词器只在报告需要时加载），再审一次 {bd['second_check_s']:.3f} 秒 |")
    for key, label in (("per_report", "干净报告"), ("per_report_long", "约 3000 字的报告及其变异")):
        p = b[key]
        rows.append(f"| 进程内审核一份报告（启动后，{label} {p['reports']} 份 × 3 轮；垃圾回收设置同审核子进程） | "
                    f"中位数 {p['median_ms']:.1f} 毫秒（CPU {p['cpu_median_ms']:.1f} 毫秒），"
                    f"P90 {p['p90_ms']:.1f} 毫秒，最慢 {p['max_ms']:.1f} 毫秒 |")
    d = b["draft"]
    err = f"；出错：{d['error']}" if d["error"] else ""
    rows.append(f"| 模板起草（`drafter draft {d['facts']} -o 报告.docx`，新进程） | "
                f"中位数 {d['median_s']:.2f} 秒，最快 {d['min_s']:.2f} 秒（CPU {d['cpu_s']:.2f} 秒）；"
                f"峰值内存 {d['max_rss_mb']:.0f} MB；"
                f"退出码 {d['returncodes']}{err} |")
    st = b["stages"]
    rows.append("| 起草各阶段（进程内，预热后，毫秒） | " + "，".join(f"{k} {v:.0f}" for k, v in st.items())
                + f"；合计 {sum(st.values()):.0f} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evaluations",
                                 description="运行全部评测和基准，打印结果表（Markdown）")
    ap.add_argument("--quick", action="store_true", help="快速模式：每种变异 1 处，吞吐量用 100 份")
    ap.add_argument("--write-results", action="store_true",
                    help="把打印的结果写入 evaluations/RESULTS.md")
    ap.add_argument("--jobs", type=int, default=None, help="进程数（默认每个 CPU 核一个）")
    ap.add_argument("--offline", action="store_true",
                    help="不启动本机测试服务器：不评测大模型起草和网页（不建立任何网络连接）")
    args = ap.parse_args(argv)
    command = "python -m evaluations" + (" --quick" if args.quick else "") + \
        (" --offline" if args.offline else "") + (" --write-results" if args.write_results else "")
    from evaluations.prose_eval import PAGES

    text = run(args.quick, args.jobs, command, offline=args.offline,
               pages=PAGES if args.write_results else None)
    print(text, end="")
    if args.write_results:
        from drafter.io import atomic_write_text

        atomic_write_text(RESULTS, text, force=True)
        _log(f"已写入 {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
