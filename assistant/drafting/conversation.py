"""The conversation service: drafting and revising the sections of a stored report, turn by turn.

Used by the web app and by `jixiao chat`. One `ReportSession` per report and data version:

    session = ReportSession.open(store, report_id, settings=None, searcher=None)
    session.generate(drafter="llm", author_id=None, progress=None) -> list[UnitResult]
    session.ensure_section(kind) -> SectionVersion            the template's draft when there is none
    session.chat(kind, instruction, author_id=None, on_text=None, on_message=None) -> Turn
    session.edit(kind, text, author_id, expected_number) -> SectionVersion
    session.revert(kind, number, author_id, expected_number) -> SectionVersion
    session.check(kind, text) -> SectionCheck
    session.current_draft() -> Draft                            the latest version of every section
    session.package() -> Document                               tables + current draft, for export

Nothing a staff member writes is lost: the message is stored before the model is asked; when the model
fails the message stays (status "failed", with the reason), a note says why, and the section keeps its
last good version. Each successful turn stores a new section version linked to the message. A revision
made while someone else saved the section is kept as the assistant's message (the newer version is not
overwritten), with the conflict explained.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from assistant.checking.findings import ATTENTION, NumberFinding
from assistant.drafting.draft import Draft
from assistant.drafting.exemplars import ExemplarSource
from assistant.drafting.llm_drafter import DRAFTER, OFFLINE, SectionWriter, UnitResult, UnusableReply
from assistant.drafting.markup import parse_blocks, plain_text, to_markup
from assistant.drafting.sections import units
from assistant.drafting.template_drafter import assemble_draft, report_title
from assistant.figures.computable import build_figures
from assistant.figures.policy import DEFAULT_POLICY, Policy
from assistant.llm import LLMUnavailable
from assistant.model.errors import InputError
from assistant.model.load import loads
from assistant.model.schema import DepartmentYear
from assistant.render.document import Document
from assistant.render.package import build_package
from assistant.settings import Settings, get_settings
from assistant.store.claim_marks import claim_marks
from assistant.store import ChatMessage, SectionVersion, Store, VersionConflict

HISTORY_TURNS = 6  # earlier messages shown to the model
NO_MODEL = "未配置大模型服务，无法按文字要求修改本节"
# What the reply says without a model: plainly that none is configured, what the offline redraft does,
# and that nothing changed. The message itself is stored like any other.
NO_MODEL_NOTE = ("未配置大模型服务，无法按文字要求修改本节。您的消息已保存，本节没有改动，仍为第{number}版。"
                 "可以直接编辑本节；或发送“重新起草”，由离线模板按当前数据重写本节"
                 "（离线模板不理解文字要求，只按数据重写）。")
UNCHANGED_NOTE = "内容与上一版相同，未保存新版本（仍为第{number}版）。"
REDRAFTED_NOTE = "已用离线模板按当前数据重新起草本节，保存为第{number}版（{summary}）。"
REVISED_NOTE = "已按要求修改，保存为第{number}版（{summary}）。"
FAILED_NOTE = "未能完成修改：{reason}。您的消息已保存，本节仍为第{number}版。"
CONFLICT_NOTE = "修改稿未保存为新版本：{reason}。修改稿内容已保留在本条消息中。"
REDRAFT_WORDS = ("重新起草", "恢复离线稿", "用模板重写")


def unit_kinds() -> list[str]:
    return [spec.kind for spec in units()]


@dataclass(frozen=True)
class SectionCheck:
    """The checker's verdict on one section version (spans refer to `text`, the plain text)."""

    text: str
    findings: list[NumberFinding]

    @property
    def verified(self) -> int:
        return sum(1 for f in self.findings if f.status == "verified" and f.check == "number")

    @property
    def attention(self) -> int:
        return sum(1 for f in self.findings if f.status in ATTENTION)

    @property
    def marks(self) -> int:
        return self.text.count("〔待核") + self.text.count("〔待补")

    def summary(self) -> str:
        parts = [f"核对数字{self.verified}个一致" if self.verified else "本节没有需要核对的数字"]
        if self.attention:
            parts.append(f"{self.attention}处需核对")
        if self.marks:
            parts.append(f"{self.marks}处〔待补〕/〔待核〕")
        return "，".join(parts)

    def to_json(self) -> dict:
        return {"verified": self.verified, "attention": self.attention, "marks": self.marks,
                "summary": self.summary()}


@dataclass(frozen=True)
class Turn:
    """One exchange: the stored user message, and either the new version or the note saying why not."""

    message: ChatMessage
    reply: ChatMessage
    version: SectionVersion | None
    result: UnitResult | None = None
    error: str | None = None
    changed: bool = True  # False: the reply equalled the current version, so none was saved

    @property
    def ok(self) -> bool:
        return self.version is not None


class ReportSession:
    def __init__(self, store: Store, report_id: int, data: DepartmentYear, data_number: int,
                 policy: Policy = DEFAULT_POLICY, settings: Settings | None = None, searcher=None,
                 past_texts: tuple[str, ...] = ()):
        self.store, self.report_id, self.data, self.data_number = store, report_id, data, data_number
        self.settings = settings or get_settings()
        self.ledger, self.findings = build_figures(data, policy)
        self.writer = SectionWriter(data, self.ledger, self.findings, policy, self.settings,
                                    ExemplarSource(searcher, data), past_texts)

    @classmethod
    def open(cls, store: Store, report_id: int, *, settings: Settings | None = None, searcher=None,
             past_texts: tuple[str, ...] = (), policy: Policy = DEFAULT_POLICY) -> ReportSession:
        stored = store.latest_data(report_id)
        if stored is None:
            raise InputError("这份报告还没有数据：请先上传或填写附件1、附件2的数据")
        data = loads(stored.text, ".json" if stored.format == "json" else ".yaml", f"第{stored.number}版数据")
        return cls(store, report_id, data, stored.number, policy, settings, searcher, past_texts)

    @property
    def model_available(self) -> bool:
        return self.writer.down is None

    # -- sections ----------------------------------------------------------------------------------
    def check(self, kind: str, text: str) -> SectionCheck:
        """The section checked as it is shown, numbers marked “不是数据声明” ignored with their reason."""
        shown = plain_text(parse_blocks(text))
        marks = [record.mark() for record in claim_marks(self.store, self.report_id, kind)]
        return SectionCheck(shown, self.writer.section_findings(kind, shown, past=False, marks=marks))

    def ensure_section(self, kind: str, author_id: int | None = None) -> SectionVersion:
        _known(kind)
        current = self.store.latest_section(self.report_id, kind)
        if current is not None:
            return current
        return self._save(kind, self.writer.base_markup(kind), source="generate", drafter=OFFLINE,
                          author_id=author_id, expected_number=0)

    def generate(self, drafter: str = DRAFTER, author_id: int | None = None,
                 progress: Callable[[int, int, str], None] | None = None) -> list[UnitResult]:
        """Every section drafted anew (LLM with fallback, or the template) and stored as a new version."""
        kinds = unit_kinds()
        results = []
        for done, kind in enumerate(kinds):
            if progress:
                progress(done, len(kinds), self.writer.title(kind))
            if drafter == DRAFTER:
                result = self.writer.draft(kind)
            else:
                result = self.writer.offline(kind)
            self._save(kind, result.markup, source="generate", drafter=result.drafter, author_id=author_id)
            results.append(result)
        if progress:
            progress(len(kinds), len(kinds), "")
        return results

    def edit(self, kind: str, text: str, author_id: int | None, expected_number: int | None) -> SectionVersion:
        """A staff member's own text, stored as it is written (normalised markup) and checked."""
        _known(kind)
        return self._save(kind, to_markup(parse_blocks(text)), source="edit", drafter="user",
                          author_id=author_id, expected_number=expected_number)

    def revert(self, kind: str, number: int, author_id: int | None, expected_number: int | None) -> SectionVersion:
        old = self.store.section_version(self.report_id, kind, number)
        return self._save(kind, old.text, source="revert", drafter=old.drafter, author_id=author_id,
                          expected_number=expected_number)

    def current_draft(self) -> Draft:
        """The report as it stands: each section's latest version (the template's draft for a section
        nobody has drafted yet)."""
        latest = self.store.latest_sections(self.report_id)
        units = {kind: parse_blocks(latest[kind].text) if kind in latest else self.writer.base[kind]
                 for kind in unit_kinds()}
        drafted_by = {kind: latest[kind].drafter if kind in latest else OFFLINE for kind in unit_kinds()}
        writers = set(drafted_by.values())
        return assemble_draft(report_title(self.data), units, drafted_by,
                              drafter=writers.pop() if len(writers) == 1 else "mixed")

    def package(self) -> Document:
        return build_package(self.data, self.ledger, self.current_draft())

    # -- chat --------------------------------------------------------------------------------------
    def chat(self, kind: str, instruction: str, author_id: int | None = None,
             on_text: Callable[[str], None] | None = None,
             on_message: Callable[[ChatMessage], None] | None = None) -> Turn:
        """`on_message` receives the user's message once it is stored (before the model is asked);
        `on_text` the reply's text as it streams, slots filled."""
        _known(kind)
        instruction = instruction.strip()
        if not instruction:
            raise InputError("请输入修改要求")
        current = self.ensure_section(kind, author_id)
        history = self.store.messages(self.report_id, kind, limit=HISTORY_TURNS)
        message = self.store.add_message(self.report_id, kind, "user", instruction, status="pending",
                                         author_id=author_id)
        if on_message:
            on_message(message)
        if any(word in instruction for word in REDRAFT_WORDS):
            result = self.writer.offline(kind)
            return self._conclude(kind, message, current, result)
        if not self.settings.llm_configured:
            failed = self.store.finish_message(message.id, status="failed", error=NO_MODEL)
            note = self.store.add_message(self.report_id, kind, "note", NO_MODEL_NOTE.format(number=current.number))
            return Turn(failed, note, None, error=NO_MODEL)
        try:
            if not self.model_available:
                raise LLMUnavailable(NO_MODEL, "not_configured")
            result = self.writer.revise(kind, current.text, instruction, history=_history_text(history),
                                        on_text=on_text)
        except (LLMUnavailable, UnusableReply) as exc:
            reason = getattr(exc, "message", None) or str(exc)
            failed = self.store.finish_message(message.id, status="failed", error=reason)
            note = self.store.add_message(self.report_id, kind, "note",
                                          FAILED_NOTE.format(reason=reason.rstrip("。"), number=current.number))
            return Turn(failed, note, None, error=reason)
        return self._conclude(kind, message, current, result)

    def _conclude(self, kind: str, message: ChatMessage, current: SectionVersion, result: UnitResult) -> Turn:
        if to_markup(parse_blocks(result.markup)) == to_markup(parse_blocks(current.text)):
            finished = self.store.finish_message(message.id, status="ok", version_id=current.id)
            reply = self.store.add_message(self.report_id, kind, "assistant", UNCHANGED_NOTE.format(number=current.number))
            self.store.finish_message(reply.id, status="ok", version_id=current.id)
            return Turn(finished, reply, current, result, changed=False)
        try:
            version = self._save(kind, result.markup, source="chat", drafter=result.drafter,
                                 message_id=message.id, expected_number=current.number)
        except VersionConflict as conflict:
            self.store.finish_message(message.id, status="ok")
            reply = self.store.add_message(self.report_id, kind, "assistant",
                                           CONFLICT_NOTE.format(reason=conflict.message.rstrip("。")) + "\n\n"
                                           + result.markup, status="failed")
            return Turn(message, reply, None, result, error=conflict.message)
        finished = self.store.finish_message(message.id, status="ok", version_id=version.id)
        summary = json.loads(version.check_json)["summary"]
        note = REDRAFTED_NOTE if result.drafter == OFFLINE else REVISED_NOTE
        text = note.format(number=version.number, summary=summary)
        if result.marked:
            text += "以下数字未能核实，已标为〔待核〕：" + "；".join(result.marked)
        reply = self.store.add_message(self.report_id, kind, "assistant", text)
        self.store.finish_message(reply.id, status="ok", version_id=version.id)
        return Turn(finished, reply, version, result)

    def _save(self, kind: str, text: str, *, source: str, drafter: str, author_id: int | None = None,
              message_id: int | None = None, expected_number: int | None = None) -> SectionVersion:
        check = self.check(kind, text)
        return self.store.add_section_version(
            self.report_id, kind, text, source=source, drafter=drafter, author_id=author_id,
            message_id=message_id, check_json=json.dumps(check.to_json(), ensure_ascii=False),
            expected_number=expected_number)


def _known(kind: str) -> None:
    if kind not in unit_kinds():
        raise InputError(f"没有名为“{kind}”的章节，可选：{'、'.join(unit_kinds())}")


def _history_text(messages: list[ChatMessage]) -> str:
    speaker = {"user": "工作人员", "assistant": "助手", "note": "系统"}
    lines = [f"{speaker[m.role]}：{m.content[:300]}" for m in messages]
    return "\n".join(lines) or "（无）"

