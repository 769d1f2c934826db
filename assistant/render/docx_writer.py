"""Write a :class:`~assistant.render.document.Document` as a GB/T 9704-2012 style .docx.

Layout (docs/domain.md §5): A4; margins top 37 mm, left 28 mm, bottom 35 mm,
right 26 mm (版心 156 x 225 mm); 3号仿宋 body on a 22-line x 28-character grid;
2号小标宋 title; headings 黑体 / 楷体 / 仿宋 / 仿宋; "— 1 —" page numbers in 4号宋体,
odd pages right, even pages left; 附件说明 after the text; every attachment on a
new (by default landscape) page with its label top-left and title on line 3.

The document is built from python-docx's bundled package, but every style that
is used is (re)defined here: the template's styles are dropped, and the
document defaults, fonts (Western *and* East Asian), sizes and spacing are set
explicitly, so nothing depends on the template's look.

All layout numbers are module constants so a county notice that deviates from
the standard can be followed by changing them in one place.
"""

from __future__ import annotations

import math
import os
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, Twips
from docx.table import Table as DocxTable

from .document import Attachment, Block, Cell, Document, Heading, PageBreak, Paragraph, Table

__all__ = ["write_docx"]

# --------------------------------------------------------------------------- page

PAGE_SHORT_MM = 210.0
PAGE_LONG_MM = 297.0
MARGIN_TOP_MM = 37.0  # 天头
MARGIN_BOTTOM_MM = 35.0
MARGIN_LEFT_MM = 28.0  # 订口
MARGIN_RIGHT_MM = 26.0
HEADER_DISTANCE_MM = 15.0  # no header is printed; any value inside the top margin
# The page number's dash line sits 7 mm below the 版心. Word positions the footer
# by the distance from the page edge to the bottom of the footer line; with an
# 18 pt footer line the dash is ~3.5 mm below the line's top, so the footer
# distance is (bottom margin - 7 mm + 3.5 mm - 6.35 mm) ~= bottom margin - 10 mm.
FOOTER_ABOVE_MARGIN_MM = 10.0

# 22 lines x 28 characters per page. 225 mm / 22 = 28.99 pt, but Word stores
# twips and a 29 pt (580 twip) line gives 22 x 580 = 12760 > 12756 twips of
# 版心 height, i.e. only 21 lines. 28.95 pt (579 twips) fits 22 lines.
LINE_SPACING_PT = 28.95
GRID_LINES = 22
GRID_CHARS = 28
# How GRID_CHARS 3号 characters are fitted on a line (版心 156 mm = 15.79 pt each):
#   "lines"          w:docGrid type="lines" for the 22 lines, and body/heading runs
#                    condensed (w:spacing, 紧缩 0.25 pt) so that exactly 28 fit.
#                    Word, WPS and LibreOffice lay this out alike. Default.
#   "linesAndChars"  Word's 文档网格 with a character pitch (w:charSpace): Word
#                    squeezes each character to the pitch, but LibreOffice spreads
#                    a 16 pt character over two 15.8 pt cells (double spacing).
GRID_MODE = "lines"

# --------------------------------------------------------------------------- fonts

LATIN_FONT = "Times New Roman"  # digits and Latin text everywhere but the page number
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312"}
HEADING_BOLD = {1: False, 2: False, 3: False, 4: False}  # practice sometimes bolds "1."
LABEL_FONT = "黑体"  # "附件1", digit included, set solid without CJK/Latin spacing
PAGE_NUMBER_FONT = "宋体"

BODY_SIZE_PT = 16.0  # 3号
TITLE_SIZE_PT = 22.0  # 2号
PAGE_NUMBER_SIZE_PT = 14.0  # 4号
PAGE_NUMBER_LINE_PT = 18.0
NOTE_SIZE_PT = 12.0  # 小四, attachment notes ("说明：…", "填表人：…")
NOTE_LINE_PT = 18.0

# Fallbacks Word uses when a font is not installed (Windows ships 仿宋/楷体,
# not the *_GB2312 or 方正 fonts). Written to word/fontTable.xml.
FONT_ALT_NAMES = {
    "仿宋_GB2312": "仿宋",
    "楷体_GB2312": "楷体",
    "方正小标宋简体": "宋体",
    "黑体": "SimHei",
    "宋体": "SimSun",
}

# --------------------------------------------------------------------------- tables

TABLE_BORDER_SIZE = 4  # eighths of a point: 0.5 pt single line
TABLE_CELL_MARGIN_LR_MM = 1.5
TABLE_CELL_MARGIN_TB_MM = 0.5
# Rows whose longest cell text is at most this many characters are kept on one
# page (w:cantSplit). Longer rows may break: Word clips an unsplittable row
# that is taller than a page.
CANT_SPLIT_MAX_CHARS = 200

# --------------------------------------------------------------------------- 附件说明, 署名

ATTACHMENT_NOTE_PREFIX = "附件："
SIGNATURE_RIGHT_CHARS = 2  # 署名右空二字
DATE_ONLY_RIGHT_CHARS = 4  # 成文日期 alone: 右空四字
DATE_SHIFT_CHARS = 2  # 成文日期首字比署名首字右移二字

_ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _twips(pt: float) -> int:
    return int(round(pt * 20))


def _mm_to_twips(mm: float) -> int:
    return int(round(mm / 25.4 * 1440))


# ============================================================================ geometry


@dataclass(frozen=True)
class _Page:
    width_mm: float
    height_mm: float
    top_mm: float
    bottom_mm: float
    left_mm: float
    right_mm: float
    landscape: bool

    @property
    def text_width_twips(self) -> int:
        return (
            _mm_to_twips(self.width_mm) - _mm_to_twips(self.left_mm) - _mm_to_twips(self.right_mm)
        )


PORTRAIT = _Page(
    PAGE_SHORT_MM, PAGE_LONG_MM,
    MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM,
    landscape=False,
)
# A landscape page is the portrait sheet turned so that the table head faces
# the binding edge: portrait left -> top, top -> right, right -> bottom,
# bottom -> left. The 版心 stays 225 x 156 mm.
LANDSCAPE = _Page(
    PAGE_LONG_MM, PAGE_SHORT_MM,
    MARGIN_LEFT_MM, MARGIN_RIGHT_MM, MARGIN_BOTTOM_MM, MARGIN_TOP_MM,
    landscape=True,
)


def _body_char_spacing() -> int:
    """w:spacing (twentieths of a point) that fits GRID_CHARS body characters."""
    pitch_pt = PORTRAIT.text_width_twips / 20 / GRID_CHARS
    return math.floor((pitch_pt - BODY_SIZE_PT) * 20)


def _char_space() -> int:
    """w:charSpace for GRID_CHARS characters per line.

    Word's character pitch is the default East Asian font size plus
    charSpace/4096 pt; round away from zero so that GRID_CHARS really fit.
    """
    pitch_pt = PORTRAIT.text_width_twips / 20 / GRID_CHARS
    return -math.ceil((BODY_SIZE_PT - pitch_pt) * 4096)


def _line_pitch() -> int:
    return _twips(LINE_SPACING_PT)


# ============================================================================ XML helpers

# Child order of the OOXML elements we insert into (ECMA-376 part 1).
_PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap "
    "overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
    "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
    "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr "
    "sectPr pPrChange"
).split()
_TBLPR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
    "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook"
).split()
_TRPR_ORDER = (
    "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight "
    "tblHeader tblCellSpacing jc hidden"
).split()


def _set_child(parent, tag: str, order: Sequence[str], attrs: dict[str, str] | None = None):
    """Replace (or add) child ``w:tag`` of ``parent`` keeping schema order."""
    for old in parent.findall(qn(f"w:{tag}")):
        parent.remove(old)
    child = parent.makeelement(qn(f"w:{tag}"), {})
    for key, value in (attrs or {}).items():
        child.set(qn(f"w:{key}"), value)
    later = set(order[order.index(tag) + 1 :])
    for i, sibling in enumerate(parent):
        local = sibling.tag.rsplit("}", 1)[-1]
        if local in later:
            parent.insert(i, child)
            break
    else:
        parent.append(child)
    return child


def _fonts_xml(latin: str, east_asia: str) -> str:
    return (
        f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:cs="{latin}" '
        f'w:eastAsia="{east_asia}"/>'
    )


def _east_asian_width(text: str) -> float:
    """Width of ``text`` in body characters: CJK and full-width = 1, ASCII = 0.5."""
    width = 0.0
    for ch in text:
        width += 1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.5
    return width


# ============================================================================ styles


@dataclass(frozen=True)
class _StyleSpec:
    style_id: str
    name: str
    east_asia: str
    size_pt: float
    latin: str = LATIN_FONT
    jc: str = "both"  # OOXML w:jc value
    first_line_chars: int = 0  # hundredths of a character
    line_pt: float | None = LINE_SPACING_PT  # exact spacing; None = single
    outline_level: int | None = None  # 0-based, Word navigation pane level
    keep_next: bool = False
    snap_to_grid: bool = True
    bold: bool = False
    space_before_pt: float = 0.0
    on_grid: bool = False  # 3号 text that must fit GRID_CHARS per line
    auto_space: bool = True  # extra space between CJK and Latin/digits (Word default)


STYLE_BODY = "报告正文"
STYLE_TITLE = "报告标题"
STYLE_HEADINGS = {1: "一级标题", 2: "二级标题", 3: "三级标题", 4: "四级标题"}
STYLE_LABEL = "附件标识"
STYLE_ATTACHMENT_LIST = "附件说明"
STYLE_SIGNATURE = "署名与日期"
STYLE_CAPTION = "表题"
STYLE_TABLE = "表格文字"
STYLE_TABLE_GAP = "表格间隔"
STYLE_NOTE = "表注"
STYLE_PAGE_NUMBER = "页码"

_STYLES: tuple[_StyleSpec, ...] = (
    _StyleSpec("JXBody", STYLE_BODY, BODY_FONT, BODY_SIZE_PT, first_line_chars=200, on_grid=True),
    _StyleSpec(
        "JXTitle", STYLE_TITLE, TITLE_FONT, TITLE_SIZE_PT,
        jc="center", keep_next=True, snap_to_grid=False,
    ),
    *(
        _StyleSpec(
            f"JXHeading{level}", STYLE_HEADINGS[level], HEADING_FONTS[level], BODY_SIZE_PT,
            first_line_chars=200, outline_level=level - 1, keep_next=True,
            bold=HEADING_BOLD[level], on_grid=True,
        )
        for level in (1, 2, 3, 4)
    ),
    _StyleSpec(
        "JXAttachmentLabel", STYLE_LABEL, LABEL_FONT, BODY_SIZE_PT,
        latin=LABEL_FONT, jc="left", keep_next=True, on_grid=True, auto_space=False,
    ),
    _StyleSpec(
        "JXAttachmentList", STYLE_ATTACHMENT_LIST, BODY_FONT, BODY_SIZE_PT, jc="left", on_grid=True,
    ),
    _StyleSpec("JXSignature", STYLE_SIGNATURE, BODY_FONT, BODY_SIZE_PT, jc="right", on_grid=True),
    _StyleSpec(
        "JXTableCaption", STYLE_CAPTION, BODY_FONT, BODY_SIZE_PT,
        jc="center", keep_next=True, snap_to_grid=False,
    ),
    _StyleSpec("JXTable", STYLE_TABLE, BODY_FONT, 12.0, jc="center", line_pt=None, snap_to_grid=False),
    # Between two tables printed as one form (附件2): Word would glue them, a body line would gap them.
    _StyleSpec("JXTableGap", STYLE_TABLE_GAP, BODY_FONT, 1.0, jc="center", line_pt=1.0, snap_to_grid=False),
    _StyleSpec(
        "JXNote", STYLE_NOTE, BODY_FONT, NOTE_SIZE_PT,
        jc="left", line_pt=NOTE_LINE_PT, snap_to_grid=False,
    ),
    _StyleSpec(
        "JXPageNumber", STYLE_PAGE_NUMBER, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE_PT,
        latin=PAGE_NUMBER_FONT, jc="right", line_pt=PAGE_NUMBER_LINE_PT, snap_to_grid=False,
    ),
)


def _paragraph_style_xml(spec: _StyleSpec) -> str:
    ppr = []
    if spec.keep_next:
        ppr.append("<w:keepNext/>")
    ppr.append('<w:widowControl w:val="0"/>')
    if not spec.auto_space:
        ppr.append('<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>')
    if not spec.snap_to_grid:
        ppr.append('<w:snapToGrid w:val="0"/>')
    if spec.line_pt is None:
        line = 'w:line="240" w:lineRule="auto"'
    else:
        line = f'w:line="{_twips(spec.line_pt)}" w:lineRule="exact"'
    ppr.append(f'<w:spacing w:before="{_twips(spec.space_before_pt)}" w:after="0" {line}/>')
    first_line = _twips(spec.size_pt * spec.first_line_chars / 100)
    ppr.append(
        f'<w:ind w:left="0" w:right="0" w:firstLineChars="{spec.first_line_chars}" '
        f'w:firstLine="{first_line}"/>'
    )
    ppr.append(f'<w:jc w:val="{spec.jc}"/>')
    if spec.outline_level is not None:
        ppr.append(f'<w:outlineLvl w:val="{spec.outline_level}"/>')
    rpr = [_fonts_xml(spec.latin, spec.east_asia)]
    if spec.bold:
        rpr.append("<w:b/><w:bCs/>")
    if spec.on_grid and GRID_MODE == "lines":
        rpr.append(f'<w:spacing w:val="{_body_char_spacing()}"/>')
    half_points = int(round(spec.size_pt * 2))
    rpr.append(f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>')
    return (
        f'<w:style {nsdecls("w")} w:type="paragraph" w:customStyle="1" '
        f'w:styleId="{spec.style_id}">'
        f'<w:name w:val="{spec.name}"/><w:basedOn w:val="Normal"/>'
        f'<w:qFormat/><w:pPr>{"".join(ppr)}</w:pPr><w:rPr>{"".join(rpr)}</w:rPr></w:style>'
    )


def _install_styles(document) -> None:
    """Replace the template's styles with the JX set and explicit defaults."""
    styles = document.styles.element
    for child in list(styles):
        if child.tag in (qn("w:docDefaults"), qn("w:style")):
            styles.remove(child)
    size = int(round(BODY_SIZE_PT * 2))
    defaults = parse_xml(
        f'<w:docDefaults {nsdecls("w")}>'
        f"<w:rPrDefault><w:rPr>{_fonts_xml(LATIN_FONT, BODY_FONT)}"
        f'<w:kern w:val="2"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    styles.insert(0, defaults)
    base = [
        # Normal: what unstyled paragraphs (e.g. section breaks) get.
        f'<w:style {nsdecls("w")} w:type="paragraph" w:default="1" w:styleId="Normal">'
        '<w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl w:val="0"/>'
        f'<w:spacing w:line="{_line_pitch()}" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr>'
        f"<w:rPr>{_fonts_xml(LATIN_FONT, BODY_FONT)}"
        f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>',
        f'<w:style {nsdecls("w")} w:type="character" w:default="1" '
        'w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/>'
        '<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
        f'<w:style {nsdecls("w")} w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        '<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>",
    ]
    for xml in base:
        styles.append(parse_xml(xml))
    for spec in _STYLES:
        styles.append(parse_xml(_paragraph_style_xml(spec)))


def _install_font_table(document) -> None:
    """Describe the CJK fonts in word/fontTable.xml with Windows fallbacks."""
    fonts = [LATIN_FONT, BODY_FONT, TITLE_FONT, *HEADING_FONTS.values(), LABEL_FONT, PAGE_NUMBER_FONT]
    entries = [
        f'<w:font w:name="{LATIN_FONT}"><w:panose1 w:val="02020603050405020304"/>'
        '<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
    ]
    for name in dict.fromkeys(fonts):
        if name == LATIN_FONT:
            continue
        alt = FONT_ALT_NAMES.get(name)
        alt_xml = f'<w:altName w:val="{alt}"/>' if alt else ""
        entries.append(
            f'<w:font w:name="{name}">{alt_xml}<w:charset w:val="86"/>'
            '<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
        )
    xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<w:fonts {nsdecls("w")}>{"".join(entries)}</w:fonts>'
    ).encode("utf-8")
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/word/fontTable.xml":
            part._blob = xml  # generic Part: the blob is what gets saved
            break


_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _clean_package(document, title: str) -> None:
    """Drop template leftovers (thumbnail, old styles copy, python-docx metadata)."""
    for rels, reltype in (
        (document.part.package.rels, RT.THUMBNAIL),
        (document.part.rels, _STYLES_WITH_EFFECTS),
    ):
        for r_id, rel in list(rels.items()):
            if rel.reltype == reltype:
                del rels[r_id]
    props = document.core_properties
    props.title = title.replace("\n", "")
    props.author = ""
    props.comments = ""
    props.last_modified_by = ""
    props.keywords = ""
    props.subject = ""
    props.language = "zh-CN"
    # The template says 2013; SOURCE_DATE_EPOCH gives reproducible output.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = (
        datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit()
        else datetime.now(timezone.utc)
    ).replace(microsecond=0)
    props.created = stamp
    props.modified = stamp
    props.revision = 1
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    document.settings.odd_and_even_pages_header_footer = True


# ============================================================================ writer


class _Writer:
    def __init__(self, spec: Document) -> None:
        self.spec = spec
        self.doc = docx.Document()
        _install_styles(self.doc)
        _install_font_table(self.doc)
        _clean_package(self.doc, spec.title)
        self.page = PORTRAIT
        self._apply_page(self.doc.sections[0], PORTRAIT)

    # ---------------------------------------------------------------- sections

    def _apply_page(self, section, page: _Page) -> None:
        section.orientation = WD_ORIENT.LANDSCAPE if page.landscape else WD_ORIENT.PORTRAIT
        section.page_width = Mm(page.width_mm)
        section.page_height = Mm(page.height_mm)
        section.top_margin = Mm(page.top_mm)
        section.bottom_margin = Mm(page.bottom_mm)
        section.left_margin = Mm(page.left_mm)
        section.right_margin = Mm(page.right_mm)
        section.gutter = Mm(0)
        section.header_distance = Mm(HEADER_DISTANCE_MM)
        section.footer_distance = Mm(page.bottom_mm - FOOTER_ABOVE_MARGIN_MM)
        sect_pr = section._sectPr
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is None:
            grid = sect_pr.makeelement(qn("w:docGrid"), {})
            sect_pr.append(grid)
        grid.attrib.clear()
        if GRID_MODE == "linesAndChars":
            grid.set(qn("w:type"), "linesAndChars")
            grid.set(qn("w:linePitch"), str(_line_pitch()))
            grid.set(qn("w:charSpace"), str(_char_space()))
        else:
            grid.set(qn("w:type"), "lines")
            grid.set(qn("w:linePitch"), str(_line_pitch()))
        self.page = page

    def _new_section(self, page: _Page) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        # The section-break paragraph python-docx just added: make it tiny so a
        # table that fills a page does not push an empty line onto the next one.
        break_p = self.doc.element.body.xpath("./w:p[w:pPr/w:sectPr]")[-1]
        ppr = break_p.get_or_add_pPr()
        _set_child(ppr, "snapToGrid", _PPR_ORDER, {"val": "0"})
        _set_child(ppr, "spacing", _PPR_ORDER, {"before": "0", "after": "0", "line": "20", "lineRule": "exact"})
        rpr = _set_child(ppr, "rPr", _PPR_ORDER)
        rpr.append(parse_xml(f'<w:sz {nsdecls("w")} w:val="2"/>'))
        rpr.append(parse_xml(f'<w:szCs {nsdecls("w")} w:val="2"/>'))
        self._apply_page(section, page)

    def _install_footers(self) -> None:
        first = self.doc.sections[0]
        odd = first.footer
        odd.is_linked_to_previous = False
        even = first.even_page_footer
        even.is_linked_to_previous = False
        self._fill_footer(odd.paragraphs[0], odd_page=True)
        self._fill_footer(even.paragraphs[0], odd_page=False)
        # Later sections keep no footer reference of their own: they inherit
        # these footers, and page numbering continues (no w:pgNumType start).

    def _fill_footer(self, paragraph, *, odd_page: bool) -> None:
        paragraph.style = self.doc.styles[STYLE_PAGE_NUMBER]
        ppr = paragraph._p.get_or_add_pPr()
        indent = str(_twips(PAGE_NUMBER_SIZE_PT))  # one 4号 character
        if odd_page:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _set_child(ppr, "ind", _PPR_ORDER, {"left": "0", "right": indent, "firstLine": "0"})
        else:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            _set_child(ppr, "ind", _PPR_ORDER, {"left": indent, "right": "0", "firstLine": "0"})
        paragraph.add_run("— ")
        for kind, payload in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
            run = paragraph.add_run()
            if kind == "instr":
                instr = run._r.makeelement(qn("w:instrText"), {})
                instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                instr.text = payload
                run._r.append(instr)
            elif kind == "text":
                run.text = payload
            else:
                run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="{kind}"/>'))
        paragraph.add_run(" —")

    # ---------------------------------------------------------------- paragraphs

    def _paragraph(self, text: str, style: str):
        paragraph = self.doc.add_paragraph(style=style)
        if text:
            paragraph.add_run(text)  # python-docx turns "\n" into w:br, "\t" into w:tab
        return paragraph

    def _blank(self, style: str = STYLE_BODY) -> None:
        self.doc.add_paragraph(style=style)

    def _no_first_line_indent(self, paragraph, **extra: str) -> None:
        attrs = {"firstLineChars": "0", "firstLine": "0"}
        attrs.update(extra)
        _set_child(paragraph._p.get_or_add_pPr(), "ind", _PPR_ORDER, attrs)

    def title(self, text: str, style: str = STYLE_TITLE) -> None:
        self._paragraph(text, style)

    def block(self, block: Block) -> None:
        if isinstance(block, Heading):
            self._paragraph(block.text, STYLE_HEADINGS[block.level])
        elif isinstance(block, Paragraph):
            paragraph = self._paragraph(block.text, STYLE_BODY)
            if block.align != "justify":
                paragraph.alignment = _ALIGN[block.align]
            if not block.indent_first:
                self._no_first_line_indent(paragraph)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, PageBreak):
            paragraph = self.doc.add_paragraph(style=STYLE_BODY)
            paragraph.add_run().add_break(WD_BREAK.PAGE)
        else:
            raise TypeError(f"write_docx: unsupported block type {type(block).__name__}")

    def blocks(self, blocks: Iterable[Block]) -> None:
        previous = None
        for block in blocks:
            if isinstance(previous, Table) and isinstance(block, Table) and block.caption is None:
                # Word glues adjacent tables together; keep them apart by a 1 pt line, so that the
                # second continues right below the first as one form.
                self._blank(STYLE_TABLE_GAP)
            self.block(block)
            previous = block

    # ---------------------------------------------------------------- tables

    def _column_widths(self, table: Table) -> list[int]:
        available = self.page.text_width_twips
        if table.col_widths_mm is None:
            mm = [1.0] * table.n_cols
            scale_to = available
        else:
            mm = list(table.col_widths_mm)
            wanted = sum(_mm_to_twips(w) for w in mm)
            scale_to = available if wanted > available else wanted
        total_mm = sum(mm)
        widths = [int(scale_to * w / total_mm) for w in mm]
        widths[-1] += scale_to - sum(widths)
        return widths

    def table(self, table: Table) -> None:
        if table.caption is not None:
            self._paragraph(table.caption, STYLE_CAPTION)
        widths = self._column_widths(table)
        out: DocxTable = self.doc.add_table(rows=table.n_rows, cols=table.n_cols)
        out.autofit = False
        out.alignment = WD_TABLE_ALIGNMENT.CENTER
        tbl = out._tbl
        tbl_pr = tbl.tblPr
        _set_child(tbl_pr, "tblW", _TBLPR_ORDER, {"w": str(sum(widths)), "type": "dxa"})
        borders = _set_child(tbl_pr, "tblBorders", _TBLPR_ORDER)
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(
                parse_xml(
                    f'<w:{edge} {nsdecls("w")} w:val="single" w:sz="{TABLE_BORDER_SIZE}" '
                    'w:space="0" w:color="auto"/>'
                )
            )
        lr = str(_mm_to_twips(TABLE_CELL_MARGIN_LR_MM))
        tb = str(_mm_to_twips(TABLE_CELL_MARGIN_TB_MM))
        margins = _set_child(tbl_pr, "tblCellMar", _TBLPR_ORDER)
        for edge, value in (("top", tb), ("left", lr), ("bottom", tb), ("right", lr)):
            margins.append(parse_xml(f'<w:{edge} {nsdecls("w")} w:w="{value}" w:type="dxa"/>'))
        for grid_col, width in zip(tbl.tblGrid.gridCol_lst, widths):
            grid_col.w = Twips(width)
        for row in out.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = Twips(width)
        for r, row_cells in enumerate(table.rows):
            longest = max((len(cell.text) for cell in row_cells if cell is not None), default=0)
            if longest <= CANT_SPLIT_MAX_CHARS:
                _set_child(tbl.tr_lst[r].get_or_add_trPr(), "cantSplit", _TRPR_ORDER)
            if r < table.header_rows:
                _set_child(tbl.tr_lst[r].get_or_add_trPr(), "tblHeader", _TRPR_ORDER)

        anchors = table.anchors()
        for r, c, cell in anchors:
            if cell.rowspan > 1 or cell.colspan > 1:
                out.cell(r, c).merge(out.cell(r + cell.rowspan - 1, c + cell.colspan - 1))

        size = Pt(table.font_size_pt)
        half_points = str(int(round(table.font_size_pt * 2)))
        for p in tbl.iter(qn("w:p")):
            ppr = p.get_or_add_pPr()
            ppr.style = "JXTable"
            rpr = _set_child(ppr, "rPr", _PPR_ORDER)
            rpr.append(parse_xml(f'<w:sz {nsdecls("w")} w:val="{half_points}"/>'))
            rpr.append(parse_xml(f'<w:szCs {nsdecls("w")} w:val="{half_points}"/>'))
        for row in out.rows:
            for docx_cell in row.cells:
                docx_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        for r, c, cell in anchors:
            self._fill_cell(out.cell(r, c), cell, size)

    def _fill_cell(self, docx_cell, cell: Cell, size) -> None:
        paragraph = docx_cell.paragraphs[0]
        paragraph.alignment = _ALIGN[cell.align]
        if cell.text:
            run = paragraph.add_run(cell.text)
            run.font.size = size
            if cell.bold:
                run.bold = True

    # ---------------------------------------------------------------- closing parts

    def attachment_note(self, attachments: Sequence[Attachment]) -> None:
        """附件说明: one blank line, then "附件：1. …" with later items aligned."""
        self._blank()
        char = _twips(BODY_SIZE_PT)
        prefix_width = _east_asian_width(ATTACHMENT_NOTE_PREFIX)
        titles = [a.title.replace("\n", "") for a in attachments]
        if len(titles) == 1:
            left = int(char * (2 + prefix_width))
            paragraph = self._paragraph(ATTACHMENT_NOTE_PREFIX + titles[0], STYLE_ATTACHMENT_LIST)
            _set_child(
                paragraph._p.get_or_add_pPr(), "ind", _PPR_ORDER,
                {"left": str(left), "hanging": str(int(char * prefix_width))},
            )
            return
        number_width = max(_east_asian_width(f"{len(titles)}. "), 1.0)
        number_start = int(char * (2 + prefix_width))
        left = number_start + int(char * number_width)
        for i, title in enumerate(titles, start=1):
            lead = ATTACHMENT_NOTE_PREFIX if i == 1 else ""
            paragraph = self._paragraph(f"{lead}{i}.\t{title}", STYLE_ATTACHMENT_LIST)
            ppr = paragraph._p.get_or_add_pPr()
            tabs = _set_child(ppr, "tabs", _PPR_ORDER)
            tabs.append(parse_xml(f'<w:tab {nsdecls("w")} w:val="left" w:pos="{left}"/>'))
            first = 2 * char if i == 1 else number_start
            _set_child(ppr, "ind", _PPR_ORDER, {"left": str(left), "hanging": str(left - first)})

    def signature(self, signature: str | None, date: str | None) -> None:
        """署名 and 成文日期 (GB/T 9704 7.3.5.2, no seal): one blank line first."""
        if signature is None and date is None:
            return
        self._blank()
        sig_right = date_right = None
        if signature is not None and date is not None:
            sig_width, date_width = _east_asian_width(signature), _east_asian_width(date)
            sig_right = SIGNATURE_RIGHT_CHARS
            date_right = sig_right + sig_width - DATE_SHIFT_CHARS - date_width
            if date_right < SIGNATURE_RIGHT_CHARS:
                date_right = SIGNATURE_RIGHT_CHARS
                sig_right = date_right + date_width + DATE_SHIFT_CHARS - sig_width
        elif signature is not None:
            sig_right = SIGNATURE_RIGHT_CHARS
        else:
            date_right = DATE_ONLY_RIGHT_CHARS
        for text, right in ((signature, sig_right), (date, date_right)):
            if text is None:
                continue
            paragraph = self._paragraph(text, STYLE_SIGNATURE)
            _set_child(
                paragraph._p.get_or_add_pPr(), "ind", _PPR_ORDER,
                {
                    "left": "0",
                    "rightChars": str(int(round(right * 100))),
                    "right": str(int(round(right * _twips(BODY_SIZE_PT)))),
                    "firstLine": "0",
                },
            )

    def attachment(self, attachment: Attachment) -> None:
        self._new_section(LANDSCAPE if attachment.landscape else PORTRAIT)
        self._paragraph(attachment.label, STYLE_LABEL)
        self._blank()
        self.title(attachment.title)
        self.blocks(attachment.blocks)
        for note in attachment.notes:
            self._paragraph(note, STYLE_NOTE)

    # ---------------------------------------------------------------- whole document

    def build(self):
        spec = self.spec
        self.title(spec.title)
        self._blank()
        self.blocks(spec.blocks)
        if spec.attachment_note and spec.attachments:
            self.attachment_note(spec.attachments)
        self.signature(spec.signature, spec.date)
        for attachment in spec.attachments:
            self.attachment(attachment)
        self._install_footers()
        return self.doc


def write_docx(doc: Document, path: Path) -> None:
    """Write ``doc`` to ``path`` atomically.

    The whole document is built in memory first, then saved to a temporary file
    in the target directory and moved over ``path`` with :func:`os.replace`, so
    an error never leaves a half-written file where a good one was. OSErrors
    (e.g. a directory that is not writable) propagate to the caller.
    """
    path = Path(path)
    built = _Writer(doc).build()
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o666)  # mode is filtered by the umask, like open()
    try:
        with os.fdopen(fd, "wb") as stream:
            built.save(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
