"""The report page: every section's current draft with its numbers coloured by the checker, a chat panel
per section (the reply streams as Server-Sent Events), direct editing and version history.

URLs (JSON twins: `Accept: application/json`, or the /api/… URL):
  GET  /reports/{id}                                     the report page
  POST /reports/{id}/sections/{kind}/chat                a chat turn (SSE with `Accept: text/event-stream`;
                                                         otherwise the page reloads showing the result)
  POST /reports/{id}/sections/{kind}                     save the section's own text (`text`, `expected_number`)
  GET  /reports/{id}/sections/{kind}/versions            the section's versions
  GET  /reports/{id}/sections/{kind}/versions/{n}        one version
  POST /reports/{id}/sections/{kind}/versions/{n}/revert a new version with version n's text

SSE events of a chat turn, each `data` a JSON object: `message` {id, content} (the user's message is
stored), `token` {text} (pieces of the reply, slots filled), then `done` {version, html, markup, meta,
reply} or `failed` {reason, version, reply}.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse
from markupsafe import Markup, escape

from assistant.checking.findings import CHECK_NAMES, STATUS_NAMES, NumberFinding
from assistant.drafting.conversation import SectionCheck, unit_kinds
from assistant.drafting.draft import Heading, TableRef
from assistant.drafting.markup import parse_blocks
from assistant.drafting.sections import numbered_titles, section
from assistant.drafting.template_drafter import MARK
from assistant.model.errors import InputError
from assistant.render.html_table import table_html
from assistant.render.tables import REPORT_TABLES
from assistant.web.open_items import FLAGGED_NAME, data_url, flagged_facts, section_findings
from assistant.web.pages import respond, wants_json
from assistant.web.security import current_user, is_reviewer, read_form, readable_report, store_of
from assistant.web.views.data import _expected
from assistant.web.sessions import sessions_of

log = logging.getLogger("assistant.web")
router = APIRouter(tags=["报告正文"])

DRAFTER_LABELS = {"llm": "大模型起草", "template": "离线模板", "user": "人工编辑", "carry_forward": "沿用上年"}
SOURCE_LABELS = {"generate": "生成", "chat": "对话修改", "edit": "直接编辑", "revert": "恢复旧版", "import": "导入"}
ROLE_LABELS = {"user": "工作人员", "assistant": "助手", "note": "系统"}
NO_LLM_BANNER = ("未配置大模型服务：对话中的文字要求会保存，但不会据此修改报告；"
                 "可直接编辑各节，或用离线模板按当前数据重新起草")
LOCKED = {"submitted", "approved"}
MESSAGES_SHOWN = 30


# -- access -----------------------------------------------------------------------------------------
def writable_report(request: Request, report_id: int, user, action: str):
    """The report if this user may change its text: staff of its department, while it is not 待审/通过.
    `action` names what was refused ("修改报告" …)."""
    report = readable_report(request, report_id, user)
    if is_reviewer(user):
        raise HTTPException(403, f"审核人员只能查看、评论和审核，不能{action}")
    if report.status in LOCKED:
        raise HTTPException(403, f"报告处于“{report.status_label}”状态，不能{action}")
    return report


def known_kind(kind: str) -> str:
    if kind not in unit_kinds():
        raise HTTPException(404, "没有这个章节")
    return kind


def can_change(user, report) -> bool:
    return not is_reviewer(user) and report.status not in LOCKED


# -- rendering a section ----------------------------------------------------------------------------
# The evidence lines of a number's hover text: (label, NumberFinding field), in reading order.
EVIDENCE = (("说明", "message"), ("台账数据", "label"), ("台账数值", "expected"), ("公式", "formula"),
            ("计算依据", "inputs"), ("来源", "source"), ("原因", "reason"))


def evidence(finding: NumberFinding, relations: list[NumberFinding], ledger) -> str:
    """The hover text of a number: the checker's verdict and its evidence, one item a line."""
    lines = [f"核对：{STATUS_NAMES[finding.status]}"]
    for name, attribute in EVIDENCE:
        value = getattr(finding, attribute)
        if attribute == "inputs":
            facts = [ledger.get(key) if ledger is not None else None for key in value]
            value = "；".join(f"{fact.label} {fact.display}" if fact is not None else key
                             for key, fact in zip(value, facts))
        elif attribute == "label" and value and finding.fact:
            value = f"{value}（{finding.fact}）"
        if value:
            lines.append(f"{name}：{value}")
    lines += [f"{CHECK_NAMES.get(r.check, r.check)}：{STATUS_NAMES[r.status]}，{r.message}" for r in relations]
    return "\n".join(lines)


def evidence_rows(check: SectionCheck, ledger, flagged: dict) -> list[dict]:
    """Every checked number of a section with its verdict and evidence: the keyboard's (and a screen
    reader's) way to the hover text, since numbers are not tab stops."""
    relations: dict[tuple[int, int], list[NumberFinding]] = {}
    for relation in (f for f in check.findings if f.check != "number"):
        for span in relation.related:
            relations.setdefault(tuple(span), []).append(relation)
    rows = []
    for finding in sorted((f for f in check.findings if f.check == "number" and f.status != "ignored"),
                          key=lambda f: f.start):
        rules = flagged.get(finding.fact, []) if finding.fact else []
        status = "flagged" if rules and finding.status == "verified" else finding.status
        lines = evidence(finding, relations.get((finding.start, finding.end), []), ledger).split("\n")
        rows.append({"text": finding.text, "status": status, "status_name": FLAGGED_NAME if status == "flagged"
                     else STATUS_NAMES[finding.status], "lines": lines[1:] + [f"数据检查 {r.rule}：{r.message}" for r in rules]})
    return rows


class _Highlighter:
    """Escaped HTML of the section's plain text pieces, numbers wrapped by status, marks highlighted."""

    def __init__(self, check: SectionCheck, ledger, flagged: dict | None = None) -> None:
        self.flagged = flagged or {}
        self.numbers = sorted((f for f in check.findings if f.check == "number"), key=lambda f: (f.start, -f.end))
        self.attached: dict[tuple[int, int], list[NumberFinding]] = {}
        for relation in (f for f in check.findings if f.check != "number"):
            for span in relation.related:
                self.attached.setdefault(tuple(span), []).append(relation)
        self.ledger = ledger

    def piece(self, text: str, offset: int) -> Markup:
        out, cursor = [], 0
        for mark in MARK.finditer(text):
            out.append(self._numbers(text[cursor:mark.start()], offset + cursor))
            inner = self._numbers(mark.group(0), offset + mark.start())
            out.append(Markup('<mark class="todo">{}</mark>').format(inner))
            cursor = mark.end()
        out.append(self._numbers(text[cursor:], offset + cursor))
        return Markup("").join(out)

    def _numbers(self, text: str, offset: int) -> Markup:
        out, cursor = [], 0
        for finding in self.numbers:
            start, end = finding.start - offset, finding.end - offset
            if start < cursor or end > len(text):
                continue
            out.append(escape(text[cursor:start]))
            relations = self.attached.get((finding.start, finding.end), [])
            rules = self.flagged.get(finding.fact, []) if finding.fact else []
            status = "flagged" if rules and finding.status == "verified" else finding.status
            classes = "n " + status + (" rel-mismatch" if any(r.status == "mismatch" for r in relations) else "")
            hover = evidence(finding, relations, self.ledger)
            if rules:
                hover += "\n" + "\n".join(f"数据检查 {r.rule}：{r.message}" for r in rules)
            out.append(Markup('<span class="{}" title="{}">{}</span>').format(classes, hover, text[start:end]))
            cursor = end
        out.append(escape(text[cursor:]))
        return Markup("").join(out)


def section_html(markup: str, check: SectionCheck, ledger, data=None, flagged: dict | None = None) -> Markup:
    """A section's markup as headings, paragraphs and its tables built from the ledger, as in the .docx
    (offsets follow `markup.plain_text`; `data` None: tables shown by their captions only; `flagged`:
    fact → the data-check findings naming it, whose numbers are never shown as verified)."""
    highlighter = _Highlighter(check, ledger, flagged)
    out, offset = [], 0
    for block in parse_blocks(markup):
        if isinstance(block, TableRef):
            if data is not None and block.name in REPORT_TABLES:
                out.append(table_html(REPORT_TABLES[block.name](data, ledger)))
            else:
                out.append(Markup('<p class="table-ref">表：{}</p>').format(block.caption or block.name))
            continue
        inner = highlighter.piece(block.text, offset)
        if isinstance(block, Heading):
            level = min(block.level + 1, 6)
            out.append(Markup("<h{0}>{1}</h{0}>").format(level, inner))
        else:
            out.append(Markup("<p>{}</p>").format(inner))
        offset += len(block.text) + 1
    return Markup("\n").join(out)


def version_meta(version) -> str:
    if version is None:
        return "尚未起草"
    return f"第{version.number}版 · {DRAFTER_LABELS.get(version.drafter, version.drafter)}"


def version_row(version, users: dict) -> dict:
    check = json.loads(version.check_json) if version.check_json else {}
    return {"number": version.number, "source": version.source,
            "source_label": SOURCE_LABELS.get(version.source, version.source), "drafter": version.drafter,
            "drafter_label": DRAFTER_LABELS.get(version.drafter, version.drafter),
            "author": users.get(version.author_id), "created_at": version.created_at,
            "summary": check.get("summary", ""), "meta": version_meta(version)}


def _usernames(request: Request, ids) -> dict:
    from assistant.store.errors import NotFound

    names = {}
    for user_id in {i for i in ids if i is not None}:
        try:
            names[user_id] = store_of(request).get_user(user_id).username
        except NotFound:
            names[user_id] = None
    return names


def section_view(entry, kind: str, version, report_id: int) -> dict:
    """One section as the page and the JSON twin show it."""
    session = entry.session
    item = {"kind": kind, "title": session.writer.title(kind), "anchor": f"s-{kind}",
            "url": f"/reports/{report_id}/sections/{kind}",
            "version": None, "meta": version_meta(version), "markup": "", "html": "", "findings": [],
            "check": None, "rule_findings": [], "evidence": []}
    if version is not None:
        check = entry.check(version)
        item.update({"version": {"number": version.number, "drafter": version.drafter, "source": version.source,
                                 "drafter_label": DRAFTER_LABELS.get(version.drafter, version.drafter),
                                 "source_label": SOURCE_LABELS.get(version.source, version.source),
                                 "created_at": version.created_at},
                     "markup": version.text,
                     "html": entry.memo("html", version,
                                        lambda: section_html(version.text, check, session.ledger, session.data,
                                                             flagged_facts(session.findings))),
                     "rule_findings": [f.to_json() | {"url": data_url(report_id, f.path)}
                                       for f in section_findings(check, session.findings)],
                     "findings": entry.memo("findings", version, lambda: [f.to_json() for f in check.findings]),
                     "evidence": entry.memo("evidence", version,
                                            lambda: evidence_rows(check, session.ledger, flagged_facts(session.findings))),
                     "check": entry.memo("check_json", version, check.to_json)})
    return item


def message_view(message) -> dict:
    return {"id": message.id, "role": message.role, "role_label": ROLE_LABELS.get(message.role, message.role),
            "content": message.content, "status": message.status, "error": message.error,
            "created_at": message.created_at}


# -- the report page --------------------------------------------------------------------------------
def report_context(request: Request, report, user, *, problem: str | None = None,
                   forms: dict[str, dict] | None = None, saved: str | None = None) -> dict:
    """`forms`: kind → {text, expected_number, problem} for an edit form shown again (a conflict)."""
    store = store_of(request)
    department = store.get_department(report.department_id)
    cache = sessions_of(request)
    context = {
        "report": {"id": report.id, "year": report.year, "status": report.status, "status_label": report.status_label},
        "department": {"id": department.id, "name": department.name, "county": department.county},
        "llm_configured": cache.llm_configured,
        "banner": None if cache.llm_configured else NO_LLM_BANNER,
        "can_edit": can_change(user, report), "problem": problem, "saved": saved,
        "data_version": None, "sections": [], "drafted": False, "workflow": None,
        "toc": [],  # the heading tree once: 一、… with its （一）… children
    }
    try:
        entry = cache.entry(report.id)
    except InputError as error:
        context["problem"] = problem or str(error)
        return context
    context["data_version"] = entry.session.data_number
    from assistant.web.views.review import _Names, report_open_items, workflow_context

    context["workflow"] = workflow_context(request, report, user, _Names(store),
                                           report_open_items(request, report, entry))
    latest = store.latest_sections(report.id)
    context["drafted"] = bool(latest)
    recent = store.recent_messages(report.id, MESSAGES_SHOWN)
    titles, shown_parents = numbered_titles(), set()
    for kind in unit_kinds():
        item = section_view(entry, kind, latest.get(kind), report.id)
        parent = section(kind).parent
        item["part"] = None  # the 一、… heading, shown once before its first （一）
        if parent and parent not in shown_parents:
            shown_parents.add(parent)
            item["part"] = {"title": titles[parent], "anchor": f"p-{parent}"}
        item["level"] = section(kind).level
        if item["part"]:
            context["toc"].append({**item["part"], "children": []})
        if item["level"] == 2:
            context["toc"][-1]["children"].append({"title": item["title"], "anchor": item["anchor"]})
        else:
            context["toc"].append({"title": item["title"], "anchor": item["anchor"], "children": []})
        item["messages"] = [message_view(m) for m in recent.get(kind, [])]
        version = latest.get(kind)
        item["form"] = (forms or {}).get(kind) or {"text": version.text if version else "",
                                                  "expected_number": version.number if version else 0,
                                                  "problem": None}
        context["sections"].append(item)
    return context


@router.get("/reports/{report_id}", summary="报告页（各章节当前稿、数字核对、对话与编辑）")
@router.get("/api/reports/{report_id}", summary="报告页（JSON）")
def report_page(request: Request, report_id: int, saved: str | None = None, user=Depends(current_user)):
    report = readable_report(request, report_id, user)
    saved = saved if saved in unit_kinds() else None
    return respond(request, "report.html", report_context(request, report, user, saved=saved))


# -- direct edit ------------------------------------------------------------------------------------
async def _fields(request: Request) -> dict:
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.json()
        return body if isinstance(body, dict) else {}
    return {key: value for key, value in (await read_form(request)).items() if isinstance(value, str)}


@router.post("/reports/{report_id}/sections/{kind}", summary="保存本节文字（新版本，并重新核对）")
@router.post("/api/reports/{report_id}/sections/{kind}", summary="保存本节文字（JSON）")
async def edit_section(request: Request, report_id: int, kind: str, user=Depends(current_user)):
    from assistant.store.errors import VersionConflict

    report = writable_report(request, report_id, user, "修改报告")
    known_kind(kind)
    fields = await _fields(request)
    text, expected = str(fields.get("text") or ""), _expected(fields.get("expected_number"))
    session = sessions_of(request).session(report.id)
    if not parse_blocks(text):
        form = {"text": text, "expected_number": expected, "problem": "未保存：本节内容不能为空"}
        context = report_context(request, report, user, forms={kind: form})
        return respond(request, "report.html", context, status_code=422)
    try:
        version = session.edit(kind, text, user.id, expected)
    except VersionConflict as conflict:
        problem = (f"未保存：{conflict.message}。下面仍是您写的内容；在您编辑期间，其他人保存了第{conflict.current}版，"
                   "请先查看最新稿再决定是否再次保存（再次保存将成为新的版本）。")
        form = {"text": text, "expected_number": conflict.current, "problem": problem}
        context = report_context(request, report, user, forms={kind: form})
        return respond(request, "report.html", context, status_code=409)
    if wants_json(request):
        entry = sessions_of(request).entry(report.id)
        return respond(request, "report.html", {"section": section_view(entry, kind, version, report.id)})
    return RedirectResponse(f"/reports/{report.id}?saved={kind}#s-{kind}", status_code=303)


# -- chat -------------------------------------------------------------------------------------------
def _sse(event: str, payload: dict) -> dict:
    return {"event": event, "data": json.dumps(payload, ensure_ascii=False, default=str)}


def _turn_events(entry, report_id: int, kind: str, turn) -> dict:
    if turn.ok:
        view = section_view(entry, kind, turn.version, report_id)
        return _sse("done", {"version": turn.version.number, "html": str(view["html"]), "markup": view["markup"],
                             "meta": view["meta"], "check": view["check"], "reply": turn.reply.content,
                             "changed": turn.changed})
    current = latest_number(entry, report_id, kind)
    return _sse("failed", {"reason": turn.error or "未能完成修改", "version": current, "reply": turn.reply.content})


def latest_number(entry, report_id: int, kind: str) -> int | None:
    latest = entry.session.store.latest_section(report_id, kind)
    return latest.number if latest else None


@router.post("/reports/{report_id}/sections/{kind}/chat", summary="对话修改本节（SSE 流式回复）")
@router.post("/api/reports/{report_id}/sections/{kind}/chat", summary="对话修改本节（JSON：整段回复）")
async def chat(request: Request, report_id: int, kind: str, user=Depends(current_user)):
    report = writable_report(request, report_id, user, "对话修改报告")
    known_kind(kind)
    fields = await _fields(request)
    instruction = str(fields.get("message") or "").strip()
    if not instruction:
        raise HTTPException(422, "请输入修改要求")
    entry = sessions_of(request).entry(report.id)
    if "text/event-stream" not in request.headers.get("accept", ""):
        turn = await asyncio.to_thread(entry.session.chat, kind, instruction, user.id)
        if wants_json(request):
            return respond(request, "report.html", {"turn": json.loads(_turn_events(entry, report.id, kind, turn)["data"]),
                                                    "ok": turn.ok, "message": message_view(turn.message)})
        return RedirectResponse(f"/reports/{report.id}#s-{kind}", status_code=303)
    from sse_starlette.sse import EventSourceResponse

    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()

    def put(item) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, item)

    def work() -> None:
        try:
            turn = entry.session.chat(
                kind, instruction, user.id,
                on_text=lambda text: put(_sse("token", {"text": text})),
                on_message=lambda message: put(_sse("message", {"id": message.id, "content": message.content})))
            put(_turn_events(entry, report.id, kind, turn))
        except InputError as error:
            put(_sse("failed", {"reason": str(error), "version": None, "reply": ""}))
        except Exception:  # noqa: BLE001 — the stream must end with a Chinese reason, never hang
            log.exception("chat turn failed on report %s section %s", report.id, kind)
            put(_sse("failed", {"reason": "处理请求时出现了意外错误，已记录。您的消息如已保存，不会丢失。",
                                "version": None, "reply": ""}))
        finally:
            put(None)

    async def events():
        threading.Thread(target=work, daemon=True, name=f"chat-{report.id}-{kind}").start()
        while True:
            item = await queue.get()
            if item is None:
                return
            yield item

    return EventSourceResponse(events(), ping=15)


# -- versions ---------------------------------------------------------------------------------------
def versions_context(request: Request, report, user, kind: str) -> dict:
    store = store_of(request)
    entry = sessions_of(request).entry(report.id)
    history = store.section_history(report.id, kind)
    users = _usernames(request, [v.author_id for v in history])
    return {
        "report": {"id": report.id, "year": report.year, "status": report.status, "status_label": report.status_label},
        "section": {"kind": kind, "title": entry.session.writer.title(kind)},
        "current": history[-1].number if history else None,
        "versions": [version_row(v, users) for v in reversed(history)],
        "can_edit": can_change(user, report),
    }


@router.get("/reports/{report_id}/sections/{kind}/versions", summary="本节的历史版本")
@router.get("/api/reports/{report_id}/sections/{kind}/versions", summary="本节的历史版本（JSON）")
def versions_page(request: Request, report_id: int, kind: str, user=Depends(current_user)):
    report = readable_report(request, report_id, user)
    known_kind(kind)
    return respond(request, "report_versions.html", versions_context(request, report, user, kind))


def version_context(request: Request, report, user, kind: str, number: int, problem: str | None = None) -> dict:
    from assistant.store.errors import NotFound

    store = store_of(request)
    try:
        version = store.section_version(report.id, kind, number)
    except NotFound:
        raise HTTPException(404, "没有这个版本") from None
    entry = sessions_of(request).entry(report.id)
    latest = store.latest_section(report.id, kind)
    users = _usernames(request, [version.author_id])
    return {
        "report": {"id": report.id, "year": report.year, "status": report.status, "status_label": report.status_label},
        "section": section_view(entry, kind, version, report.id),
        "row": version_row(version, users),
        "current": latest.number if latest else None,
        "can_revert": can_change(user, report) and latest is not None and latest.number != version.number,
        "problem": problem,
    }


@router.get("/reports/{report_id}/sections/{kind}/versions/{number}", summary="查看本节的某一版")
@router.get("/api/reports/{report_id}/sections/{kind}/versions/{number}", summary="查看本节的某一版（JSON）")
def version_page(request: Request, report_id: int, kind: str, number: int, user=Depends(current_user)):
    report = readable_report(request, report_id, user)
    known_kind(kind)
    return respond(request, "report_version.html", version_context(request, report, user, kind, number))


@router.post("/reports/{report_id}/sections/{kind}/versions/{number}/revert", summary="恢复此版本（保存为新版本）")
@router.post("/api/reports/{report_id}/sections/{kind}/versions/{number}/revert", summary="恢复此版本（JSON）")
async def revert_version(request: Request, report_id: int, kind: str, number: int, user=Depends(current_user)):
    from assistant.store.errors import NotFound, VersionConflict

    report = writable_report(request, report_id, user, "恢复旧版本")
    known_kind(kind)
    expected = _expected((await _fields(request)).get("expected_number"))
    session = sessions_of(request).session(report.id)
    try:
        version = session.revert(kind, number, user.id, expected)
    except NotFound:
        raise HTTPException(404, "没有这个版本") from None
    except VersionConflict as conflict:
        problem = f"未恢复：{conflict.message}。当前为第{conflict.current}版，请先查看最新稿再决定是否恢复。"
        context = version_context(request, report, user, kind, number, problem=problem)
        return respond(request, "report_version.html", context, status_code=409)
    if wants_json(request):
        entry = sessions_of(request).entry(report.id)
        return respond(request, "report.html", {"section": section_view(entry, kind, version, report.id)})
    return RedirectResponse(f"/reports/{report.id}?saved={kind}#s-{kind}", status_code=303)

