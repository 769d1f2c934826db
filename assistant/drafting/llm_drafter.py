"""The LLM drafter: each section written by the configured model, every number verified.

Public API
----------
    SectionWriter(data, ledger, findings, policy, settings=None, exemplars=None)
        .draft(kind, instruction="") -> UnitResult          a first draft of one unit
        .revise(kind, current, instruction, history="", reference="", on_text=None) -> UnitResult
    llm_report(data, ledger, findings, policy, settings=None, exemplars=None) -> tuple[Draft, list[UnitResult]]

How a unit is written (docs/drafting-llm.md):
1. The prompt (prompts/draft_section.txt or revise_section.txt) gives the unit's facts as a table of
   slots, the offline draft with its verified figures turned into slots, and exemplars made safe
   (`assistant.drafting.exemplars`).
2. The reply is cleaned (code fences, Markdown, a repeated title), its slots filled from the ledger
   (`assistant.drafting.slots`) and the result checked by the checker, like any draft.
3. Unknown slots and mismatch / stale / unsupported numbers go back to the model with the correct facts
   (prompts/repair_numbers.txt), up to `settings.llm_repair_rounds` times; the round with the fewest
   problems is kept.
4. What still fails is replaced by a visible 〔待核：…〕 mark and listed in `UnitResult.marked`.
A unit the model cannot write (service down, empty or unusable reply) falls back to the offline
template with a note saying so; after a failure that will not go away by itself (connection refused,
rejected, not configured, timeouts after the retries) the remaining units go offline without asking.
Units whose registry entry says `llm=False` (official texts) are always the template's.
"""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.checking import ClaimMark, apply_marks, check_text
from assistant.checking.findings import ATTENTION, NumberFinding
from assistant.checking.years import YEAR_LABEL
from assistant.drafting import prompts
from assistant.drafting.draft import Block, Draft, Paragraph, TableRef
from assistant.drafting.exemplars import NONE, ExemplarSource
from assistant.drafting.markup import parse_blocks, to_markup
from assistant.drafting.sections import SECTIONS, facts_for, numbered_titles, section
from assistant.drafting.slots import SLOT, Filled, SlotStream, fill_slots, mark_unknown, slotify
from assistant.drafting.template_drafter import TO_CHECK, assemble_draft, draft_units, report_title
from assistant.figures.findings import Finding
from assistant.figures.ledger import Fact, Ledger
from assistant.figures.policy import DEFAULT_POLICY, Policy
from assistant.llm import LLMUnavailable, complete, stream
from assistant.model.schema import DepartmentYear
from assistant.render.tables import REPORT_TABLES
from assistant.settings import Settings, get_settings

DRAFTER = "llm"
OFFLINE = "template"
MAX_FACTS = 80  # rows of the facts table in a prompt
MARK_PASSES = 5  # marking and re-checking until the shipped text has no unflagged problem
# Failures after which asking again for the next section would only repeat them.
PERSISTENT = frozenset({"not_configured", "connection", "rejected", "timeout", "rate_limited", "server_error"})
FALLBACK_NOTE = "{titles}由离线模板起草：{reason}"
PREAMBLE_TITLE = "报告开头"
NOT_CONFIGURED_NOTE = "未配置大模型服务，报告由离线模板起草（可设置环境变量 JIXIAO_LLM_BASE_URL、JIXIAO_LLM_MODEL 启用大模型）"

_FENCE = re.compile(r"^```[^\n]*\n?|\n?```\s*$")
_MD_HEADING = re.compile(r"^#{1,6}(?![1-4]\s)\s*")
_BULLET = re.compile(r"^\s*[-*•]\s+")
_LEADING_NUMBER = re.compile(r"^(?:[1-4]\s+)?(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+(?:[.．]\d+)*[.．、]?)?\s*")
_RULE = re.compile(r"[-*_=]{3,}")
_TABLE_ROW = re.compile(r"\|.*\|")  # a Markdown table row
# How a model signs off to its user; not report text.
_REMARKS = ("请根据", "请注意", "请核对", "请核实", "注：", "注意：", "以上内容", "以上为", "希望")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Character pairs of the words of a request itself (加上, 数据 …), which say nothing about which facts.
INSTRUCTION_BIGRAMS = frozenset({"加上", "数据", "一些", "更加", "简洁", "语气", "正式", "修改", "改写", "补充",
                                 "增加", "写上", "内容", "情况", "请把", "一下", "按照", "结构", "去年", "上年"})
_BLANK_MARKUP = re.compile(r"^(#[1-4] |@table.*$)", re.M)


class UnusableReply(Exception):
    """The model answered, but not with a section (no Chinese text, too short)."""


@dataclass(frozen=True)
class Tally:
    verified: int = 0
    attention: int = 0
    unknown_slots: int = 0

    @property
    def problems(self) -> int:
        return self.attention + self.unknown_slots

    def to_json(self) -> dict:
        return {"verified": self.verified, "attention": self.attention, "unknown_slots": self.unknown_slots}


@dataclass
class UnitResult:
    kind: str
    title: str
    markup: str  # the final section markup: figures filled, failures marked
    drafter: str  # "llm", or "template" after a fallback / for official texts
    rounds: int = 0  # repair rounds used
    before: Tally = field(default_factory=Tally)  # numbers of the model's first reply
    after: Tally = field(default_factory=Tally)  # numbers of what ships (marked ones are not counted)
    marked: list[str] = field(default_factory=list)  # Chinese: what was replaced by 〔待核〕
    note: str | None = None  # Chinese: why the offline template wrote it
    model_seconds: float = 0.0  # time spent waiting for the model
    seconds: float = 0.0  # all of it
    requests: int = 0

    @property
    def blocks(self) -> list[Block]:
        return parse_blocks(self.markup)

    @property
    def overhead_seconds(self) -> float:
        return max(0.0, self.seconds - self.model_seconds)

    def to_json(self) -> dict:
        return {"kind": self.kind, "title": self.title, "drafter": self.drafter, "rounds": self.rounds,
                "before": self.before.to_json(), "after": self.after.to_json(), "marked": self.marked,
                "note": self.note, "model_seconds": round(self.model_seconds, 3),
                "seconds": round(self.seconds, 3), "requests": self.requests}


@dataclass
class _Attempt:
    raw: str  # the reply with its slots (what a repair prompt shows the model)
    text: str  # filled markup
    problems: list[NumberFinding]
    unknown: tuple[str, ...]
    slots: Filled  # the filling of `raw`
    verified: int
    facts: tuple[str, ...] = ()  # keys of the facts its verified numbers cite

    @property
    def count(self) -> int:
        return len(self.problems) + len(self.unknown)


class SectionWriter:
    """Writes and revises the units of one department-year's report."""

    def __init__(self, data: DepartmentYear, ledger: Ledger, findings: list[Finding],
                 policy: Policy = DEFAULT_POLICY, settings: Settings | None = None,
                 exemplars: ExemplarSource | None = None, past_texts: tuple[str, ...] = ()):
        self.data, self.ledger, self.settings = data, ledger, settings or get_settings()
        self.base = draft_units(data, ledger, findings, policy)
        self.titles = numbered_titles(SECTIONS)
        self.exemplars = exemplars or ExemplarSource(None, data)
        self.past_texts = past_texts
        self.down: LLMUnavailable | None = None  # a persistent failure: the rest goes offline
        self._replies: dict[str, str] = {}  # kind → the text of its accepted first reply (relevance)
        if not self.settings.llm_configured:
            self.down = LLMUnavailable("未配置大模型服务", "not_configured")

    # -- public ------------------------------------------------------------------------------------
    def title(self, kind: str) -> str:
        return self.titles.get(kind, PREAMBLE_TITLE)

    def base_markup(self, kind: str) -> str:
        return to_markup(self.base[kind])

    def draft(self, kind: str, instruction: str = "") -> UnitResult:
        spec = section(kind)
        if not spec.llm:
            return self.offline(kind)
        started = time.perf_counter()
        base = self.base_markup(kind)
        slotted = slotify(base, self.ledger)

        def messages() -> list:
            return prompts.render(
                "draft_section", title=spec.title or PREAMBLE_TITLE,
                description=spec.description or "按底稿的内容写", facts=self.facts_table(kind, slotted),
                base=slotted, exemplars=self._exemplars(spec), instruction=instruction or "")
        return self._write(kind, messages, base, started, relevance=True)

    def revise(self, kind: str, current: str, instruction: str, *, history: str = "", reference: str = "",
               on_text: Callable[[str], None] | None = None) -> UnitResult:
        """`current`: the unit's markup now; `on_text` receives the reply's text as it streams, slots
        filled. Raises `LLMUnavailable` (a revision has no offline fallback: the caller keeps the
        current version and says why)."""
        spec = section(kind)
        started = time.perf_counter()
        slotted = slotify(current, self.ledger)
        if not reference and _asks_for_last_year(instruction):
            reference = self.exemplars.last_year(spec)
        reference_text = f"去年本节的写法（数字已隐去，仅作结构参考）：\n<<<去年\n{reference}\n去年>>>" if reference else ""
        messages = prompts.render(
            "revise_section", title=self.title(kind), current=slotted,
            facts=self.facts_table(kind, slotted, instruction),
            reference=reference_text, history=history or "（无）", instruction=instruction)
        if self.down is not None:
            raise self.down
        return self._converse(kind, messages, current, started, on_text=on_text)

    def offline(self, kind: str) -> UnitResult:
        """The unit as the offline template writes it."""
        return UnitResult(kind, self.title(kind), self.base_markup(kind), OFFLINE)

    def section_findings(self, kind: str, text: str, *, past: bool = True,
                         marks: Sequence[ClaimMark] = ()) -> list[NumberFinding]:
        """The checker's findings on `text` read as section `kind`: the section's title goes before it
        as context (a heading names what its figures are), spans refer to `text`. `past`: also
        compare with last year's report, when the writer has it. `marks`: numbers a user marked
        “不是数据声明”."""
        prefix = self.title(kind) + "\n"
        found = check_text(prefix + text, self.ledger, past_texts=self.past_texts if past else ())
        return apply_marks(text, [f.moved(-len(prefix)) for f in found if f.start >= len(prefix)], marks)

    def facts_table(self, kind: str, slotted: str = "", instruction: str = "") -> str:
        """`{{key}} | label | display` rows: the facts an instruction names ("加上社保卡的数据"), then
        the facts the draft already cites, then the ones the registry gives the section."""
        asked = [fact.key for fact in self.related_facts(instruction)]
        used = [m.group(1) for m in SLOT.finditer(slotted)]
        keys = list(dict.fromkeys(asked + used + [fact.key for fact in facts_for(section(kind), self.ledger)]))
        rows = [_fact_row(self.ledger[key]) for key in keys[:MAX_FACTS] if key in self.ledger]
        return "\n".join(rows) or "（本节没有可引用的数字；不要写数字）"

    def related_facts(self, text: str, limit: int = 12) -> list[Fact]:
        """Current-year facts whose label shares the most Chinese character pairs with `text`."""
        wanted = {text[i:i + 2] for i in range(len(text) - 1) if _CJK.fullmatch(text[i]) and _CJK.fullmatch(text[i + 1])}
        wanted -= INSTRUCTION_BIGRAMS
        if not wanted:
            return []
        scored = []
        for fact in self.ledger:
            if fact.period == "prior" or fact.value is None:
                continue
            score = sum(1 for gram in wanted if gram in fact.label)
            if score:
                scored.append((-score, len(fact.label), fact.key, fact))
        return [fact for *_, fact in sorted(scored)[:limit]]

    # -- the loop ----------------------------------------------------------------------------------
    def _write(self, kind: str, messages: Callable[[], list], base: str, started: float, *,
               relevance: bool = False) -> UnitResult:
        """A first draft, falling back to the template on any failure of the model."""
        if self.down is not None:
            return self._fallback(kind, base, self.down.message, started)
        try:
            return self._converse(kind, messages(), base, started, relevance=relevance)
        except LLMUnavailable as exc:
            if exc.reason in PERSISTENT:
                self.down = exc
            return self._fallback(kind, base, exc.message, started)
        except UnusableReply as exc:
            return self._fallback(kind, base, str(exc), started)

    def _converse(self, kind: str, messages: list, base: str, started: float, *,
                  on_text: Callable[[str], None] | None = None, relevance: bool = False) -> UnitResult:
        result = UnitResult(kind, self.title(kind), "", DRAFTER)
        reply = self._ask(messages, result, on_text)
        attempt = self._attempt(kind, clean_reply(reply, self.title(kind)))
        if relevance:
            self._relevant(kind, attempt)
        result.before = self._tally(attempt)
        best = attempt
        for _ in range(self.settings.llm_repair_rounds):
            if not best.count:
                break
            repair = prompts.render("repair_numbers", title=self.title(kind), problems=self._problems(best),
                                    facts=self.facts_table(kind, best.raw), draft=best.raw)
            result.rounds += 1
            try:
                attempt = self._attempt(kind, clean_reply(self._ask(repair, result, None), self.title(kind)))
            except (LLMUnavailable, UnusableReply):
                break  # keep the best draft so far; its problems are marked below
            if attempt.count < best.count:
                best = attempt
        result.markup, result.marked = self._finish(kind, best, base)
        result.after = self._tally(self._attempt(kind, result.markup, raw_is_filled=True))
        result.seconds = time.perf_counter() - started
        return result

    def _ask(self, messages: list, result: UnitResult, on_text: Callable[[str], None] | None) -> str:
        began = time.perf_counter()
        result.requests += 1
        try:
            if on_text is None:
                return complete(messages, self.settings)
            filler = SlotStream(self.ledger)
            pieces = []
            for piece in stream(messages, self.settings):
                pieces.append(piece)
                shown = filler.feed(piece)
                if shown:
                    on_text(shown)
            rest = filler.close()
            if rest:
                on_text(rest)
            return "".join(pieces)
        finally:
            result.model_seconds += time.perf_counter() - began

    def _attempt(self, kind: str, raw: str, *, raw_is_filled: bool = False) -> _Attempt:
        filled = fill_slots(raw, self.ledger)
        view = _BLANK_MARKUP.sub(lambda m: " " * len(m.group(0)), filled.text)  # same offsets, no markup
        findings = self.section_findings(kind, view)
        problems = [f for f in findings if f.status in ATTENTION]
        verified = sum(1 for f in findings if f.status == "verified" and f.check == "number")
        facts = tuple(f.fact for f in findings if f.status == "verified" and f.fact)
        return _Attempt(raw, filled.text, problems, () if raw_is_filled else filled.unknown, filled, verified, facts)

    def _relevant(self, kind: str, attempt: _Attempt) -> None:
        """Raises `UnusableReply` (the section falls back, with a note) when the reply does not
        address section `kind`: its text is another section's, or it cites none of the section's facts
        and uses none of its title's key terms."""
        shape = _bare_text(attempt.text)
        for other, text in self._replies.items():
            if other != kind and text == shape:
                raise UnusableReply(f"大模型的回复与“{self.title(other)}”一节相同，没有写本节")
        own = {fact.key for fact in facts_for(section(kind), self.ledger)}
        cited = {m.group(1) for m in SLOT.finditer(attempt.raw)} | set(attempt.facts)
        terms = title_terms(section(kind).title)
        if not (own & cited) and terms and not any(term in attempt.text for term in terms):
            raise UnusableReply("大模型的回复与本节无关（没有本节的数据，也没有本节标题中的关键词）")
        self._replies[kind] = shape

    @staticmethod
    def _tally(attempt: _Attempt) -> Tally:
        return Tally(attempt.verified, len(attempt.problems), len(attempt.unknown))

    def _problems(self, attempt: _Attempt) -> str:
        lines = []
        for key in attempt.unknown:
            close = difflib.get_close_matches(key, [fact.key for fact in self.ledger], n=3, cutoff=0.6)
            hint = f"；相近的键：{'、'.join('{{' + k + '}}' for k in close)}" if close else ""
            lines.append(f"占位符{{{{{key}}}}}不存在，事实表中没有这个键{hint}")
        for finding in attempt.problems:
            lines.append(self._problem_line(attempt, finding))
        return "\n".join(f"{n}. {line}" for n, line in enumerate(lines, 1))

    def _problem_line(self, attempt: _Attempt, finding: NumberFinding) -> str:
        slot = attempt.slots.slot_at(finding.start, finding.end)
        where = f"占位符{{{{{slot.key}}}}}（填入后为“{finding.text}”）" if slot else f"“{finding.text}”"
        context = attempt.text[max(0, finding.start - 12):finding.end + 8].replace("\n", " ")
        right = ""
        if finding.fact and finding.fact in self.ledger:
            fact = self.ledger[finding.fact]
            right = f"；应写 {{{{{fact.key}}}}}（{fact.label}，{fact.display}）"
        reason = {"mismatch": "与数据不符", "stale": "疑为上年的数字", "unsupported": "在数据中找不到依据"}[finding.status]
        detail = f"（{finding.message}）" if finding.message and finding.check != "number" else ""
        if is_year_finding(finding):  # 2022年，我局…: the work year of the report
            reason, detail, right = "年份有误", f"（{finding.message}）", f"；应写“{finding.expected}”"
        return f"{where}{reason}{detail}，原句“…{context}…”{right}"

    def _finish(self, kind: str, attempt: _Attempt, base: str) -> tuple[str, list[str]]:
        """The attempt's text with every remaining problem marked 〔待核〕, unknown slots too, and the
        base draft's tables kept. A mark changes the words around its neighbours (a sum loses a part,
        a clause its figure), so the marked text is checked again until nothing new fails."""
        text, problems, slots = attempt.text, attempt.problems, attempt.slots
        marked: list[str] = []
        for _ in range(MARK_PASSES):
            text, new = self._mark(kind, text, problems, slots)
            marked += new
            if not new:
                break
            again = self._attempt(kind, text, raw_is_filled=True)
            problems, slots = again.problems, again.slots
        for key in attempt.unknown:
            marked.append(f"{self.title(kind)}：未知数据项“{key}”")
        text = mark_unknown(text)
        return to_markup(_keep_tables(parse_blocks(text), parse_blocks(base))), marked

    def _mark(self, kind: str, text: str, problems: list[NumberFinding], slots: Filled) -> tuple[str, list[str]]:
        marked: list[str] = []
        spans = []
        for finding in problems:
            slot = slots.slot_at(finding.start, finding.end)
            start, end = (slot.start, slot.end) if slot else (finding.start, finding.end)
            if any(s < end and start < e for s, e, _ in spans):
                continue  # one mark per span (a number can fail two checks)
            reason = _short_reason(finding)
            spans.append((start, end, TO_CHECK.format(what=f"“{text[start:end]}”{reason}")))
            marked.append(f"{self.title(kind)}：“{text[start:end]}”{reason}")
        for start, end, mark in sorted(spans, reverse=True):
            text = text[:start] + mark + text[end:]
        return text, marked

    def _fallback(self, kind: str, base: str, reason: str, started: float) -> UnitResult:
        return UnitResult(kind, self.title(kind), base, OFFLINE, note=reason.rstrip("。"),
                          seconds=time.perf_counter() - started)

    def _exemplars(self, spec) -> str:
        try:
            return self.exemplars.style(spec)
        except Exception:  # noqa: BLE001 — retrieval is an aid: a broken index must not stop drafting
            return NONE


def clean_reply(reply: str, title: str) -> str:
    """The model's reply as section markup, one block per line: code fences, Markdown emphasis, rules,
    table rows and bullets removed, Markdown headings as `#3`, a first line repeating the section title dropped, a
    closing remark to the user ("请根据实际情况填写……") dropped. Raises `UnusableReply` when no Chinese
    text remains."""
    text = _FENCE.sub("", reply.strip()).replace("**", "").replace("__", "")
    lines = []
    for line in text.splitlines():
        line = _BULLET.sub("", line)
        if _RULE.fullmatch(line.strip()) or _TABLE_ROW.fullmatch(line.strip()):
            continue  # rules, and tables: the report's tables come from the ledger, never from a model
        if line.lstrip().startswith("#") and not re.match(r"^\s*#[1-4]\s", line):
            line = "#3 " + _MD_HEADING.sub("", line.strip())
        lines.append(line)
    bare_title = _bare(title)
    while lines and (not lines[0].strip() or _bare(lines[0]) == bare_title):
        lines.pop(0)
    while lines and (not lines[-1].strip() or (lines[-1].strip().startswith(_REMARKS) and len(lines[-1]) < 80)):
        lines.pop()
    # Each line of a reply is a paragraph of its own ("决算数：…" / "预算数：…" are items, not one
    # sentence); the checker then reads the same text the report shows.
    text = "\n\n".join(line.strip() for line in lines if line.strip())
    if len(_CJK.findall(text)) < 8:
        raise UnusableReply("大模型的回复不是可用的报告正文")
    return text


def _bare(line: str) -> str:
    """A heading line without markup, numbering and spaces ("#3 1. 政府采购情况" → "政府采购情况")."""
    return _LEADING_NUMBER.sub("", line.strip().lstrip("#").strip()).strip()


def llm_report(data: DepartmentYear, ledger: Ledger, findings: list[Finding], policy: Policy = DEFAULT_POLICY,
               settings: Settings | None = None, exemplars: ExemplarSource | None = None,
               past_texts: tuple[str, ...] = ()) -> tuple[Draft, list[UnitResult]]:
    writer = SectionWriter(data, ledger, findings, policy, settings, exemplars, past_texts)
    unconfigured = writer.down is not None
    results = [writer.draft(kind) for kind in writer.base]
    units = {r.kind: r.blocks for r in results}
    used_model = any(r.drafter == DRAFTER for r in results)
    draft = assemble_draft(report_title(data), units, {r.kind: r.drafter for r in results},
                           drafter=DRAFTER if used_model else OFFLINE)
    draft.notes = [NOT_CONFIGURED_NOTE] if unconfigured else fallback_notes(results)
    draft.notes += [line for r in results for line in r.marked]
    return draft, results


def fallback_notes(results: list[UnitResult]) -> list[str]:
    """One line per reason: which sections the offline template wrote, and why."""
    by_reason: dict[str, list[str]] = {}
    for result in results:
        if result.note:
            by_reason.setdefault(result.note, []).append(result.title)
    return [FALLBACK_NOTE.format(titles="、".join(titles), reason=reason) for reason, titles in by_reason.items()]


# ------------------------------------------------------------------------------------------ helpers

def _fact_row(fact: Fact) -> str:
    period = "上年" if fact.period == "prior" else ""
    return f"{{{{{fact.key}}}}} | {fact.label}{'（' + period + '）' if period and period not in fact.label else ''} | {fact.display}"


def _asks_for_last_year(instruction: str) -> bool:
    return any(word in instruction for word in ("去年", "上年", "上一年", "往年", "原来的结构", "以前的结构"))


def is_year_finding(finding: NumberFinding) -> bool:
    """A year that places the report's work in another year (checking/years.py)."""
    return finding.status == "stale" and finding.label == YEAR_LABEL


# Two-character words of section titles that every section shares: they say nothing about which one.
_GENERIC_TERMS = frozenset({"情况", "工作", "部门", "整体", "支出", "管理", "使用", "分析", "绩效", "及其", "主要", "相关"})


def title_terms(title: str) -> set[str]:
    """The key terms of a section title: its Chinese character pairs, less the generic ones."""
    pairs = {title[i:i + 2] for i in range(len(title) - 1) if _CJK.fullmatch(title[i]) and _CJK.fullmatch(title[i + 1])}
    return pairs - _GENERIC_TERMS


def _bare_text(text: str) -> str:
    """The Chinese characters of a text only (two replies alike but for spacing, digits or markup)."""
    return "".join(_CJK.findall(text))


def _short_reason(finding: NumberFinding) -> str:
    if is_year_finding(finding):
        return f"年份疑误，应为{finding.expected}"
    if finding.status == "mismatch":
        return f"与数据不符，应为{finding.expected}" if finding.expected and finding.check == "number" else "与数据不符"
    return {"stale": "疑为上年数", "unsupported": "无数据依据"}.get(finding.status, "待核")


def _keep_tables(blocks: list[Block], base: list[Block]) -> list[Block]:
    """The model's blocks with unknown table references dropped and the base draft's tables put back
    where the model left them out (at their position in the base, as near as the lengths allow)."""
    blocks = [b for b in blocks if not isinstance(b, TableRef) or b.name in REPORT_TABLES]
    names = {b.name for b in blocks if isinstance(b, TableRef)}
    for index, block in enumerate(base):
        if isinstance(block, TableRef) and block.name not in names:
            blocks.insert(min(index, len(blocks)), block)
    return blocks or [Paragraph("")]
