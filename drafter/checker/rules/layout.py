"""FMT101–FMT107: the layout of an existing .docx against GB/T 9704-2012 《党政机关公文格式》.

These rules read the Word document itself (``Report.source_docx``, set by the .docx reader):
page size and margins, the fonts and sizes Word shows for the body, the title and each heading
level (styles and theme fonts resolved, see :mod:`drafter.docx.oxml.formatting`), page numbers in the
footers, and the line pitch. On .txt/.md input they yield nothing. Every finding is a warning
(offices adapt the standard locally); what is accepted comes from a layout profile
(``checker/data/layout_profiles.yaml``, ``--profile``), e.g. ``fangzheng`` for 方正仿宋_GBK
and a fixed 29 pt line spacing.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Iterator

from drafter.checker import layout_doc as L
from drafter.checker.context import CheckContext
from drafter.checker.finding import Hit
from drafter.checker.registry import rule

PAPERS = {(210, 297): "A4", (297, 420): "A3", (148, 210): "A5", (176, 250): "B5",
          (182, 257): "B5（JIS）", (184, 260): "16开", (216, 279): "Letter", (216, 356): "Legal"}
LEVEL_NAMES = {1: "一级标题（一、）", 2: "二级标题（（一））", 3: "三级标题（1.）", 4: "四级标题（（1））"}
LEVEL_FONTS = {1: "黑体字", 2: "楷体字", 3: "仿宋体字", 4: "仿宋体字"}


@rule("FMT101", "page-size", severity="warning", summary="纸张不是 A4（GB/T 9704-2012 5.1）")
def page_size(ctx: CheckContext) -> Iterator[Hit]:
    """纸张幅面不是 A4（GB/T 9704-2012 5.1 幅面尺寸）。

    **作用 What it does**
    读取 .docx 各节的纸张大小（横排的节按纵向比较），与 A4（210 mm × 297 mm）相差超过
    版式配置的容差（默认 2 mm）时给出警告。仅检查 .docx。

    **为什么重要 Why it matters**
    GB/T 9704-2012 5.1：公文用纸采用 A4 型纸。按 Letter、16 开等纸张排版，打印后版心、行数
    和页码位置都会变。

    **示例 Example**
    页面设置为 Letter（216 mm × 279 mm），常见于英文版 Word 新建的文档。

    **应改为 Use instead**
    “布局 → 纸张大小”选 A4（21 厘米 × 29.7 厘米）。
    """
    d = L.layout_doc(ctx)
    if d is None:
        return
    prof = L.layout_profile(ctx)
    want_w, want_h = prof.page_mm
    bad = []
    for sec in d.document.sections:
        if sec.page_width is None or sec.page_height is None:
            continue
        w, h = sorted((sec.page_width.mm, sec.page_height.mm))
        if abs(w - want_w) > prof.page_tolerance_mm or abs(h - want_h) > prof.page_tolerance_mm:
            bad.append((sec.page_width.mm, sec.page_height.mm, w, h))
    if not bad:
        return
    w, h, short, long_ = bad[0]
    paper = next((f"，{name}" for (pw, ph), name in PAPERS.items()
                  if abs(short - pw) <= 2 and abs(long_ - ph) <= 2), "")
    where = f"（共{len(bad)}节）" if len(bad) > 1 else ""
    at = L.doc_anchor(ctx.report)
    yield Hit(at, at, f"纸张为 {w:.0f} mm × {h:.0f} mm{paper}{where}，GB/T 9704-2012 5.1 要求 A4"
              f"（{want_w:g} mm × {want_h:g} mm）", suggestion="页面设置中将纸张大小改为 A4")


@rule("FMT102", "page-margins", severity="warning",
      summary="页边距与版心不合 GB/T 9704（上37、下35、左28、右26 mm，5.2.1）")
def page_margins(ctx: CheckContext) -> Iterator[Hit]:
    """页边距不合 GB/T 9704-2012 5.2.1 页边与版心尺寸。

    **作用 What it does**
    读取 .docx 各节（纵向）的上、下、左（含装订线）、右边距，与 37、35、28、26 mm（版心
    156 mm × 225 mm）相差超过容差（默认 1 mm，即标准给出的 ±1 mm）时给出警告，列出偏离的边。

    **为什么重要 Why it matters**
    GB/T 9704-2012 5.2.1：天头（上白边）37 mm ± 1 mm，订口（左白边）28 mm ± 1 mm，版心
    156 mm × 225 mm。页边距决定版心大小，进而决定每页22行、每行28字能否排下。

    **示例 Example**
    Word 默认页边距：上下 25.4 mm、左右 31.8 mm。

    **应改为 Use instead**
    上 3.7 厘米、下 3.5 厘米、左 2.8 厘米、右 2.6 厘米。
    """
    d = L.layout_doc(ctx)
    if d is None:
        return
    prof = L.layout_profile(ctx)
    names = {"top": "上", "bottom": "下", "left": "左", "right": "右"}
    for sec in d.document.sections:
        if sec.page_width is not None and sec.page_height is not None \
                and sec.page_width > sec.page_height:
            continue  # a landscape section (a wide table) has its margins turned
        got = {"top": sec.top_margin, "bottom": sec.bottom_margin, "left": sec.left_margin,
               "right": sec.right_margin}
        if any(v is None for v in got.values()):
            continue
        mm = {k: v.mm for k, v in got.items()}
        mm["left"] += sec.gutter.mm if sec.gutter is not None else 0
        off = [k for k in names if abs(mm[k] - prof.margins_mm[k]) > prof.margin_tolerance_mm]
        if not off:
            continue
        have = "、".join(f"{names[k]}{mm[k]:.1f}" for k in names)
        want = "、".join(f"{names[k]}{prof.margins_mm[k]:g}" for k in names)
        at = L.doc_anchor(ctx.report)
        yield Hit(at, at, f"页边距为{have} mm，{'、'.join(names[k] for k in off)}边距不合 "
                  f"GB/T 9704-2012 5.2.1（{want} mm，版心 156 mm × 225 mm）",
                  suggestion=f"页面设置中将页边距设为{want} mm")
        return


@rule("FMT103", "body-font", severity="warning",
      summary="正文不是3号仿宋体字（GB/T 9704-2012 5.2.2、7.3.3）")
def body_font(ctx: CheckContext) -> Iterator[Hit]:
    """正文字体或字号不是3号仿宋体字（GB/T 9704-2012 5.2.2 字体和字号、7.3.3 正文）。

    **作用 What it does**
    按 Word 实际显示的格式（直接格式、字符样式、段落样式、文档默认值和主题字体逐级解析）
    统计每个正文段落（含主送机关、署名、成文日期；不含标题、各级标题、表格和文本框）中汉字
    所用的中文字体和字号。字体不在版式配置的仿宋体列表中，或字号不是三号（16 磅）的段落，
    各报告一次（首段位置、段数）。仅检查 .docx。

    **为什么重要 Why it matters**
    GB/T 9704-2012 5.2.2：公文格式各要素一般用3号仿宋体字；7.3.3：正文一般用3号仿宋体字。
    宋体、小四号是 Word 默认格式，说明文档没有按公文格式排版。

    **示例 Example**
    正文为“宋体”五号（Word 默认的 Normal 样式）。

    **应改为 Use instead**
    正文样式设为仿宋_GB2312（或所在地模板规定的仿宋体）、三号。
    """
    d = L.layout_doc(ctx)
    if d is None:
        return
    spec = L.layout_profile(ctx).body
    bad_font: dict[str, list[int]] = {}
    bad_size: dict[float, list[int]] = {}
    body = L.body_paragraphs(d)
    for i in body:
        s, e = L.own_text(d.report.paragraphs[i])
        fonts, sizes = L.tally(d, i, s, e)
        font, size = L.main_value(fonts, 2), L.main_value(sizes)
        if font is not None and not spec.accepts_font(font):
            bad_font.setdefault(font, []).append(i)
        if size is not None and not spec.accepts_size(size):
            bad_size.setdefault(size, []).append(i)
    problems, first = [], []
    for bad, what in ((bad_font, "字体不是仿宋体"), (bad_size, "字号不是三号")):
        if not bad:
            continue
        value, _ = max(bad.items(), key=lambda kv: len(kv[1]))
        shown = f"“{value}”" if isinstance(value, str) else L.size_name(value)
        n = sum(map(len, bad.values()))
        problems.append(f"{'全部' if n == len(body) else ''}{n}段{what}（多为{shown}）")
        first.append(min(i for v in bad.values() for i in v))
    if problems:
        s, e = L.first_sentence(d.report.paragraphs[min(first)])
        yield Hit(s, e, f"正文{'；'.join(problems)}，GB/T 9704-2012 5.2.2、7.3.3 要求正文用3号仿宋体字"
                  f"（如{spec.fonts[0]}，{spec.size_pt:g}磅）",
                  suggestion=f"将正文样式设为{spec.fonts[0]}、三号（{spec.size_pt:g}磅）")


@rule("FMT104", "title-font", severity="warning",
      summary="标题不是2号小标宋体字（GB/T 9704-2012 7.3.1）")
def title_font(ctx: CheckContext) -> Iterator[Hit]:
    """标题字体或字号不是2号小标宋体字（GB/T 9704-2012 7.3.1 标题）。

    **作用 What it does**
    统计标题段落（可为两行）中汉字所用的中文字体和字号；字体不在版式配置的小标宋体列表中，
    或字号不是二号（22 磅）时给出警告。没有识别出标题时不检查（缺标题由 STR008 报告）。
    仅检查 .docx。

    **为什么重要 Why it matters**
    GB/T 9704-2012 7.3.1：标题一般用2号小标宋体字，分一行或多行居中排布。

    **示例 Example**
    标题用黑体小二号，或与正文同为仿宋三号。

    **应改为 Use instead**
    标题设为方正小标宋简体、二号、居中。
    """
    d = L.layout_doc(ctx)
    if d is None:
        return
    spec = L.layout_profile(ctx).title
    titles = [i for i, p in enumerate(d.report.paragraphs) if p.role == "title"]
    fonts: Counter = Counter()
    sizes: Counter = Counter()
    for i in titles:
        f, s = L.tally(d, i, *L.own_text(d.report.paragraphs[i]))
        fonts.update(f)
        sizes.update(s)
    font, size = L.main_value(fonts, 2), L.main_value(sizes)
    problems = []
    if font is not None and not spec.accepts_font(font):
        problems.append(f"字体为“{font}”")
    if size is not None and not spec.accepts_size(size):
        problems.append(f"字号为{L.size_name(size)}")
    if problems:
        p = d.report.paragraphs[titles[0]]
        s, e = L.own_text(p)
        yield Hit(p.offset + s, p.offset + e, f"标题{'、'.join(problems)}，GB/T 9704-2012 7.3.1 "
                  f"要求标题用2号小标宋体字（如{spec.fonts[0]}，{spec.size_pt:g}磅）",
                  suggestion=f"将标题设为{spec.fonts[0]}、二号（{spec.size_pt:g}磅）")


@rule("FMT105", "heading-font", severity="warning",
      summary="各级标题字体不合 GB/T 9704（一级黑体、二级楷体、三四级仿宋，7.3.3）")
def heading_font(ctx: CheckContext) -> Iterator[Hit]:
    """某一级标题的字体或字号不合 GB/T 9704-2012 7.3.3（结构层次序数的字体）。

    **作用 What it does**
    对每一级标题（一、/（一）/1./（1）），统计标题序号和标题文字（不含同段接排的正文、
    不含 Word 自动编号）中汉字的中文字体和字号：一级应为黑体，二级楷体，三级、四级仿宋体，
    均为三号。每一级只报告一次（首处位置、处数）。仅检查 .docx。

    **为什么重要 Why it matters**
    GB/T 9704-2012 7.3.3：结构层次序数第一层用黑体字、第二层用楷体字、第三层和第四层用
    仿宋体字标注。层次字体错了，读者分不清标题的层级。

    **示例 Example**
    “一、主要举措和成效”与正文同为仿宋；“（一）健全依法决策机制”用黑体。

    **应改为 Use instead**
    一级标题黑体、二级标题楷体_GB2312、三级和四级标题仿宋_GB2312，均为三号。
    """
    d = L.layout_doc(ctx)
    if d is None:
        return
    prof = L.layout_profile(ctx)
    by_level: dict[int, list] = {}
    for sec in ctx.report.walk():
        p = sec.heading.paragraph
        if p.in_table or sec.level not in prof.headings:
            continue
        i = p.line - 1
        if i >= len(d.paras) or not d.paras[i].matches or d.paras[i].in_text_box():
            continue
        start = L.own_text(p)[0]
        end = len(sec.heading.number) + len(sec.heading.title)
        if end <= start:
            continue
        fonts, sizes = L.tally(d, i, start, end)
        by_level.setdefault(sec.level, []).append((p, start, end, L.main_value(fonts, 2), L.main_value(sizes)))
    for level, items in sorted(by_level.items()):
        spec = prof.headings[level]
        bad_font = [x for x in items if x[3] is not None and not spec.accepts_font(x[3])]
        bad_size = [x for x in items if x[4] is not None and not spec.accepts_size(x[4])]
        problems = []
        for bad, what, k in ((bad_font, "字体", 3), (bad_size, "字号", 4)):
            if bad:
                common = Counter(x[k] for x in bad).most_common(1)[0][0]
                shown = f"“{common}”" if k == 3 else L.size_name(common)
                count = f"有{len(bad)}处" if len(bad) > 1 else ""
                problems.append(f"{count}{what}为{shown}")
        if not problems:
            continue
        p, s, e = min(bad_font + bad_size, key=lambda x: x[0].offset)[:3]
        yield Hit(p.offset + s, p.offset + e,
                  f"{LEVEL_NAMES[level]}{'，'.join(problems)}，GB/T 9704-2012 7.3.3 要求第"
                  f"{'一二三四'[level - 1]}层用{LEVEL_FONTS[level]}（如{spec.fonts[0]}，三号）",
                  suggestion=f"将{LEVEL_NAMES[level]}设为{spec.fonts[0]}、三号")


@rule("FMT106", "missing-page-numbers", severity="warning",
      summary="多页文档没有页码（GB/T 9704-2012 7.5）")
def missing_page_numbers(ctx: CheckContext) -> Iterator[Hit]:
    """超过一页的文档，页脚（或页眉）中没有页码（GB/T 9704-2012 7.5 页码）。

    **作用 What it does**
    按字数估算页数（每行28字、每页22行）；估算超过一页，而所有页脚和页眉中都没有 PAGE
    页码域时给出警告。只有一页的短文不报告。仅检查 .docx。

    **为什么重要 Why it matters**
    GB/T 9704-2012 7.5：页码一般用4号半角宋体阿拉伯数字，编排在公文版心下边缘之下，数字
    左右各放一条一字线；单页码居右空一字，双页码居左空一字。没有页码，纸质报告散页后无法
    排序、审阅意见也无法指明页次。

    **示例 Example**
    五页的报告，页脚为空。

    **应改为 Use instead**
    在页脚插入页码域，格式“— 1 —”，4号宋体，奇数页居右空一字、偶数页居左空一字。
    """
    d = L.layout_doc(ctx)
    if d is None or not L.layout_profile(ctx).page_numbers:
        return
    from drafter.docx.oxml.formatting import has_page_field

    lines = sum(max(1, math.ceil(sum(0.5 if ch.isascii() else 1 for ch in p.text.strip()) / 28))
                for p in ctx.report.paragraphs if p.text.strip())
    if lines <= 22 or has_page_field(d.document):
        return
    at = L.doc_anchor(ctx.report)
    yield Hit(at, at, f"文档约{math.ceil(lines / 22)}页，但页脚中没有页码，GB/T 9704-2012 7.5 要求"
              "页码用4号半角宋体阿拉伯数字编排在版心下边缘之下",
              suggestion="在页脚插入页码“— 1 —”：奇数页居右空一字，偶数页居左空一字")


@rule("FMT107", "line-pitch", severity="warning",
      summary="正文行距与每页22行相差较大（GB/T 9704-2012 5.2.3）")
def line_pitch(ctx: CheckContext) -> Iterator[Hit]:
    """正文行距使每页行数明显偏离22行（GB/T 9704-2012 5.2.3 行数和字数）。

    **作用 What it does**
    读取正文段落的行距（固定值直接采用；单倍、多倍、最小值行距按字号和文档网格估算），
    用版心高度（纸高减上下边距）算出每页行数；与22行相差超过版式配置的容差（默认1.5行，
    估算的行距再放宽1行）时给出警告。仅检查 .docx。

    **为什么重要 Why it matters**
    GB/T 9704-2012 5.2.3：一般每面排22行，每行排28个字，并撑满版心。行距过大或过小，页数、
    版面和页码位置都与标准公文不同。

    **示例 Example**
    正文用 Word 默认的单倍行距（三号字约 21 磅），每页约30行。

    **应改为 Use instead**
    正文行距设为固定值 28.95 磅（或所在地模板的 29 磅），或使用每页22行的文档网格。
    """
    d = L.layout_doc(ctx)
    if d is None:
        return
    from drafter.docx.oxml.formatting import line_pitch_pt, section_grid

    prof = L.layout_profile(ctx)
    sec = L.main_section(d)
    if sec is None or sec.page_height is None or sec.top_margin is None \
            or sec.bottom_margin is None:
        return
    height_pt = (sec.page_height.mm - sec.top_margin.mm - sec.bottom_margin.mm) * L.PT_PER_MM
    grid = section_grid(sec._sectPr)
    pitches: Counter = Counter()
    first: dict[tuple[float, bool], int] = {}
    for i in L.body_paragraphs(d):
        p = d.report.paragraphs[i]
        _, sizes = L.tally(d, i, *L.own_text(p))
        size = L.main_value(sizes)
        if size is None:
            continue
        key = line_pitch_pt(d.fmt.line_spacing(d.paras[i].p), size, grid)
        key = (round(key[0], 2), key[1])
        pitches[key] += sum(sizes.values())
        first.setdefault(key, i)
    if not pitches or height_pt <= 0:
        return
    (pitch, exact), _ = pitches.most_common(1)[0]
    if pitch <= 0:
        return
    lines = height_pt / pitch
    tolerance = prof.lines_tolerance + (0 if exact else 1)
    if abs(lines - prof.lines_per_page) <= tolerance:
        return
    how = "固定值" if exact else "（自动行距按字号估算）"
    s, e = L.first_sentence(d.report.paragraphs[first[(pitch, exact)]])
    yield Hit(s, e, f"正文行距{'' if exact else '约'}{pitch:.1f}磅{how if not exact else ''}，每页约"
              f"{lines:.0f}行，GB/T 9704-2012 5.2.3 要求一般每面排{prof.lines_per_page:g}行"
              f"（版心225 mm，行距约{prof.line_pitch_pt:g}磅）",
              suggestion=f"将正文行距设为固定值{prof.line_pitch_pt:g}磅，或使用每页"
                         f"{prof.lines_per_page:g}行的文档网格")
