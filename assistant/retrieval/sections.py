"""Section kinds: what a part of a 自评报告 is about, from the words of its headings.

The table is data, checked in order (the first kind with a word in a heading wins), so more specific
kinds come first: 三公经费 before 收支 (三公经费支出情况), 绩效目标 before 项目支出 (项目绩效目标设立情况).
`kind_of_path` says how a chunk's heading path picks one kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OTHER = "其他"


@dataclass(frozen=True)
class SectionKind:
    name: str
    strong: tuple[str, ...]  # words that name the section outright
    weak: tuple[str, ...] = ()  # words that only hint at it (预算, 项目 …), used when nothing strong matches
    container: bool = False  # its sub-headings are topics of its own (a problem about 三公经费 is a problem)


SECTION_KINDS: tuple[SectionKind, ...] = (
    SectionKind("三公经费", ("三公", "公务接待", "公务用车", "公车", "因公出国")),
    SectionKind("会议费培训费", ("会议费", "培训费")),
    SectionKind("自评得分", ("自评得分", "得分情况", "自评结论", "评价结论", "自评结果", "评价结果", "综合评分",
                         "绩效自评表", "自评等级", "评价等级"), ("评分", "得分"), container=True),
    SectionKind("存在问题", ("存在的问题", "存在问题", "主要问题", "问题及原因", "问题分析", "不足之处",
                         "困难和问题", "问题和不足"), container=True),
    SectionKind("下一步工作计划", ("下一步", "工作计划", "改进措施", "整改措施", "改进意见", "意见建议",
                            "改进建议", "工作打算", "工作思路", "努力方向", "工作安排"), container=True),
    SectionKind("绩效目标", ("绩效目标", "目标设立", "绩效指标", "年度目标", "总体目标"), ("目标完成", "目标实现")),
    SectionKind("项目支出/工作成效", ("项目支出", "项目资金", "使用成效", "工作成效", "履职成效", "履职绩效",
                               "主要成效", "实施成效", "取得成效", "重点项目", "项目实施", "项目情况"),
                ("绩效情况", "重点工作", "履职情况", "项目", "成效")),
    SectionKind("收支及预算执行", ("收支", "收入情况", "支出规模", "基本支出", "支出情况", "预算执行", "资金管理",
                             "决算", "基础数据表", "财务管理", "资产管理", "政府采购", "预算安排", "资金投入"),
                ("预算", "收入", "支出")),
    SectionKind("部门概况", ("部门概况", "单位概况", "基本概况", "基本情况", "机构设置", "内设机构", "主要职责",
                         "部门职能", "单位职责", "人员情况", "人员编制", "机构和人员", "单位构成"),
                ("职能", "职责", "人员")),
)

KINDS: tuple[str, ...] = tuple(kind.name for kind in SECTION_KINDS) + (OTHER,)


def _matches(title: str, strength: str, kinds=SECTION_KINDS) -> list[SectionKind]:
    """The kinds a title names, in table order. A word that overlaps one already taken by an earlier
    kind does not count: "项目支出情况" names 项目支出, not also 收支 through "支出情况"."""
    found: list[SectionKind] = []
    taken: list[tuple[int, int]] = []
    for kind in kinds:
        spans = [(m.start(), m.start() + len(word)) for word in getattr(kind, strength)
                 for m in re.finditer(re.escape(word), title)]
        free = [span for span in spans if all(span[1] <= a or span[0] >= b for a, b in taken)]
        if free:
            found.append(kind)
            taken.extend(free)
    return found


def _first_named(kinds: list[SectionKind], text: str) -> str:
    """Of several kinds one heading names ("三公"经费和会议费、培训费), the one the text starts on."""
    if len(kinds) > 1 and text:
        head = text[:80]
        found = [(min(head.find(w) for w in kind.strong if w in head), index)
                 for index, kind in enumerate(kinds) if any(w in head for w in kind.strong)]
        if found:
            return kinds[min(found)[1]].name
    return kinds[0].name


def kind_of_path(titles: list[str] | tuple[str, ...], text: str = "") -> str:
    """The kind of a chunk under these headings (outermost first):
    1. a container kind named anywhere on the path (outermost first) — 存在问题 › （三）绩效目标量化不够;
    2. else the deepest heading with a strong word — 三公 › （2）会议费支出情况 is 会议费培训费;
    3. else the deepest heading with a weak word; else 其他.
    When that heading names several kinds, the one the chunk's text starts on wins."""
    containers = tuple(kind for kind in SECTION_KINDS if kind.container)
    for title in titles:
        found = _matches(title, "strong", containers)
        if found:
            return found[0].name
    for strength in ("strong", "weak"):
        for title in reversed(titles):
            found = _matches(title, strength)
            if found:
                return _first_named(found, text)
    return OTHER


def resolve_kind(text: str) -> str | None:
    """A user's --section value → a kind: its exact name, or the one kind whose name or words contain it."""
    text = text.strip()
    if text in KINDS:
        return text
    matches = {kind.name for kind in SECTION_KINDS if text and (text in kind.name or text in kind.strong)}
    if not matches:
        matches = {kind.name for kind in SECTION_KINDS if any(word in text for word in kind.strong)}
    return matches.pop() if len(matches) == 1 else None
