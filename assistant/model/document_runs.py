"""Table rows whose cells were run together ("年度资金总额194.9194.9100%"), as some document sites flatten
Word tables: split back into cells by the forms' own vocabulary and by the shape of figures.

A line is such a row when it starts with a word of the vocabulary (a header word of the 项目支出 /
转移支付 / 专项资金 forms or an indicator level) and holds another one or a figure. Cells: the longest
vocabulary word at each position, a run of figures, or the text up to the next of these. A run of
figures ("194.9194.9100%") is split into as many figures as the header row leaves columns for: every
way of cutting it into well-formed figures (no leading zero, at most three decimals, % only at the end
of a figure) is tried, and the one whose plain figures have the most similar number of decimals wins
(194.9 | 194.9 | 100%, not 194.91 | 94.9 | 100%), then the fewest decimals. A % always ends a figure.
When nothing fits, the run stays one cell.
"""

from __future__ import annotations

import re
from functools import lru_cache

VOCABULARY = (
    "项目资金（万元）", "项目资金(万元)", "年初预算数", "全年预算数（A）", "全年预算数(A)", "全年预算数",
    "全年执行数（B）", "全年执行数(B)", "全年执行数", "预算执行率（B/A）", "执行率（B/A）", "执行率(B/A)", "执行率",
    "分值", "得分", "一级指标", "二级指标", "三级指标", "年度指标值", "全年完成值", "实际完成值",
    "未完成原因和改进措施", "偏差原因分析及改进措施", "专项资金名称", "项目名称", "负责人及电话", "县级主管部门",
    "主管部门", "实施单位", "年度资金总额", "年度总体目标", "年初设定目标", "全年实际完成情况",
    "产出指标", "效益指标", "满意度指标", "数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标",
    "社会效益指标", "生态效益指标", "可持续影响指标", "服务对象满意度指标",
)
_WORDS = sorted(VOCABULARY, key=len, reverse=True)
_FIGURES = re.compile(r"[\d.%％]+")
_ONE_FIGURE = re.compile(r"(?:0|[1-9]\d{0,11})(?:\.\d{1,3})?%?")


def is_run_together(line: str) -> bool:
    stripped = line.strip()
    if not stripped or any(mark in stripped for mark in ("\t", "|", "  ", "。")) or len(stripped) > 120:
        return False
    first = _word_at(stripped, 0) or ("其中" if stripped.startswith("其中") else None)
    if first is None:
        return False
    rest = stripped[len(first):]
    return bool(_FIGURES.search(rest)) or any(word in rest for word in VOCABULARY)


def _word_at(text: str, position: int) -> str | None:
    return next((word for word in _WORDS if text.startswith(word, position)), None)


def split_run(line: str, columns: int | None) -> list[tuple[int, str]]:
    """(offset, text) of the cells of a run-together row; `columns` is the header row's width."""
    text = line.rstrip()
    cells: list[tuple[int, str]] = []
    position, start = 0, None
    while position < len(text):
        word = _word_at(text, position)
        figures = _FIGURES.match(text, position) if text[position].isdigit() else None
        if word or figures:
            if start is not None:
                cells.append((start, text[start:position]))
                start = None
            if word:
                cells.append((position, word))
                position += len(word)
            else:
                run = figures.group(0)
                wanted = None if columns is None else columns - len(cells)
                offset = position
                for piece in split_figures(run, wanted):
                    cells.append((offset, piece))
                    offset += len(piece)
                position += len(run)
        else:
            if start is None:
                start = position
            position += 1
    if start is not None:
        cells.append((start, text[start:]))
    return [(offset, cell.strip()) for offset, cell in cells if cell.strip()]


def split_figures(run: str, wanted: int | None) -> list[str]:
    """"194.9194.9100%" → ["194.9", "194.9", "100%"], "100%100%" → ["100%", "100%"] (see the module
    docstring): a % always ends a figure; a piece that is not one figure is cut into the fewest
    well-formed figures, the most similar in decimals."""
    pieces: list[str] = []
    segments = re.findall(r"[^%％]+[%％]?|[%％]", run)
    for number, segment in enumerate(segments):
        if _ONE_FIGURE.fullmatch(segment.replace("％", "%")):
            pieces.append(segment)
            continue
        left = (wanted - len(pieces) - (len(segments) - number - 1)) if wanted else 4
        choice = None
        for count in range(2, max(2, left) + 1):
            options = _cuts(segment.replace("％", "%"), count)
            if options:
                choice = min(options, key=_spread)
                break
        pieces.extend(choice or (segment,))
    return pieces


def _spread(option: tuple[str, ...]) -> tuple[int, int]:
    decimals = [len(p.split(".")[1]) if "." in p else 0 for p in option if not p.endswith("%")]
    return (max(decimals) - min(decimals) if decimals else 0, sum(decimals))


@lru_cache(maxsize=256)
def _cuts(run: str, count: int) -> tuple[tuple[str, ...], ...]:
    if count == 1:
        return ((run,),) if _ONE_FIGURE.fullmatch(run) else ()
    found = []
    for end in range(1, len(run)):
        head = run[:end]
        if _ONE_FIGURE.fullmatch(head):
            found.extend((head, *rest) for rest in _cuts(run[end:], count - 1))
    return tuple(found)
