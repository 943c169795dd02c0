"""Font profiles and the type specification of GB/T 9704-2012 (REPORT-RULES.md §4).

The writer takes every font name, size and indent from here, so a unit whose machines have
仿宋/楷体 instead of 仿宋_GB2312/楷体_GB2312 picks another profile instead of editing code.

Latin letters and digits: GB/T 9704 sets a whole element in one typeface and says nothing
about Latin text. We write ``Times New Roman`` into ``w:ascii``/``w:hAnsi`` (the usual
setting of office 公文 templates; it is on every Windows machine, so digits look the same
everywhere) and the Chinese typeface into ``w:eastAsia``; page numbers are entirely 宋体, as
the standard asks ("4号半角宋体阿拉伯数字"). A profile may set ``latin=None`` to use the
Chinese typeface for Latin text as well.
"""

from __future__ import annotations

from dataclasses import dataclass

from drafter.errors import ConfigError

# 字号 → points (GB/T 9704 / common usage).
SIZES_PT: dict[str, float] = {
    "初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18,
    "三号": 16, "小三": 15, "四号": 14, "小四": 12, "五号": 10.5,
}

# The page (GB/T 9704 §5.2): A4, 版心 156 × 225 mm, 22 lines × 28 characters.
PAGE_MM = (210.0, 297.0)
MARGINS_MM = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
# Lines: 225 mm / 22 = 28.95 pt, a "lines" docGrid plus exact line spacing. Word's usual
# "linesAndChars" grid with a negative charSpace renders only ~14 characters per line in
# LibreOffice 7.4, so characters are fitted by character spacing instead. The 版心 is 156 mm
# = 442.2 pt wide: at −0.2 pt a 16 pt character advances 15.8 pt and 28 need 442.4 pt, so
# LibreOffice sets 27 per line (and 25 after the two-character indent; measured); at −0.25 pt
# (w:spacing −5) 28 need 441 pt and 29 would need 456.75 pt: exactly 28 per line, 26 after
# the indent (tests/test_render.py measures it).
LINE_PITCH_PT = 28.95
CHAR_SPACING_PT = -0.25
# Page number: "一字线上距版心下边缘7 mm" — the footer line (14 pt high) starts 7 mm below the
# 版心, so the footer's bottom edge is 35 − 7 − 4.94 mm above the page edge.
PAGE_NUMBER_GAP_MM = 7.0


@dataclass(frozen=True)
class FontProfile:
    """The typefaces of one profile (Windows font names, written into w:eastAsia).

    ``latin`` is the typeface for Latin letters and digits (w:ascii/w:hAnsi); None means the
    element's Chinese typeface.
    """

    name: str
    description: str
    title: str
    body: str
    headings: tuple[str, str, str, str]  # levels 1..4: 一、 （一） 1. （1）
    page_number: str
    latin: str | None = "Times New Roman"

    def latin_for(self, east_asia: str) -> str:
        return self.latin or east_asia


PROFILES: dict[str, FontProfile] = {
    "gb2312": FontProfile(
        name="gb2312",
        description="GB/T 9704 原字体名（方正小标宋简体、仿宋_GB2312、黑体、楷体_GB2312）",
        title="方正小标宋简体",
        body="仿宋_GB2312",
        headings=("黑体", "楷体_GB2312", "仿宋_GB2312", "仿宋_GB2312"),
        page_number="宋体",
    ),
    "modern": FontProfile(
        name="modern",
        description="新版 Windows 自带字体（仿宋、楷体代替仿宋_GB2312、楷体_GB2312）",
        title="方正小标宋简体",
        body="仿宋",
        headings=("黑体", "楷体", "仿宋", "仿宋"),
        page_number="宋体",
    ),
}

# Alternative names written into word/fontTable.xml (w:altName): Word falls back to them when
# the primary font is not installed, e.g. 仿宋 on a machine without 仿宋_GB2312.
ALT_NAMES: dict[str, str] = {
    "仿宋_GB2312": "仿宋",
    "楷体_GB2312": "楷体",
    "仿宋": "仿宋_GB2312",
    "楷体": "楷体_GB2312",
    "方正小标宋简体": "宋体",
    "黑体": "SimHei",
    "宋体": "SimSun",
}


def get_profile(name: str) -> FontProfile:
    """The profile called ``name``; ConfigError (exit 2) for an unknown name."""
    try:
        return PROFILES[name]
    except KeyError:
        known = "、".join(PROFILES)
        raise ConfigError(f"未知的字体方案“{name}”", f"可用的字体方案：{known}") from None


@dataclass(frozen=True)
class ElementStyle:
    """How one element of the report is set (fonts come from the profile by ``font``).

    ``font``: title | body | heading1..4 | page_number. Indents are in characters (hundredths
    are written as w:*Chars). ``space_after_lines``: blank lines after the paragraph.
    """

    style_id: str
    name: str
    font: str
    size: str = "三号"
    bold: bool = False
    align: str = "both"  # both | left | center | right
    first_line_chars: float = 2.0
    left_chars: float = 0.0
    right_chars: float = 0.0
    space_after_lines: float = 0.0
    outline_level: int | None = None
    keep_next: bool = False
    based_on: str | None = "Normal"
    char_spacing: bool = True  # the −0.2 pt grid spacing
    line_pt: float | None = None  # exact line spacing; None: the grid pitch (28.95 pt)
    # Off for text larger than the grid allows: LibreOffice would give each 22 pt title line
    # two grid rows (Word ignores the grid for exact spacing anyway).
    snap_to_grid: bool = True


# Paragraph styles. Normal is the body (正文); the headings reuse Word's built-in "heading N"
# styles (Word's navigation pane and outline view show them), rebuilt without theme fonts or
# colours. The others are custom styles with Chinese names a user recognises in Word; their
# ids carry a "Gb" prefix so they never collide with Word's built-in "Signature"/"Date" styles.
ELEMENTS: dict[str, ElementStyle] = {
    "body": ElementStyle("Normal", "Normal", "body", based_on=None),
    "title": ElementStyle("Title", "Title", "title", size="二号", align="center",
                          first_line_chars=0, space_after_lines=1, char_spacing=False,
                          snap_to_grid=False),
    "recipient": ElementStyle("GbRecipient", "主送机关", "body", align="left", first_line_chars=0),
    "heading1": ElementStyle("Heading1", "heading 1", "heading1", outline_level=0,
                             keep_next=True),
    "heading2": ElementStyle("Heading2", "heading 2", "heading2", outline_level=1,
                             keep_next=True),
    "heading3": ElementStyle("Heading3", "heading 3", "heading3", bold=True, outline_level=2,
                             keep_next=True),
    "heading4": ElementStyle("Heading4", "heading 4", "heading4", outline_level=3,
                             keep_next=True),
    # 署名 and 成文日期: right-aligned; the right indent is set per paragraph (GB/T 9704
    # §7.3.5.2, see writer._signature_indents).
    "signature": ElementStyle("GbSignature", "署名", "body", align="right", first_line_chars=0,
                              right_chars=2),
    "date": ElementStyle("GbDate", "成文日期", "body", align="right", first_line_chars=0,
                         right_chars=2),
    "note": ElementStyle("GbNote", "附注", "body", align="left", first_line_chars=0,
                         left_chars=2),
    "footer": ElementStyle("Footer", "footer", "page_number", size="四号", align="right",
                           first_line_chars=0, char_spacing=False, line_pt=14,
                           snap_to_grid=False),
}

# The character style of the body text that follows a run-in heading sentence in the same
# paragraph ("（一）健全依法决策机制。我局……").
RUN_IN_BODY_STYLE = ("RunInBody", "正文字符")
