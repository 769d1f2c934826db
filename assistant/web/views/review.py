"""The review page: number-aware diffs, check findings, comments and the 待审 → 退回/通过 workflow.

URLs (HTML, and JSON from the same context function):
  GET  /reports/{id}/review            one section (`kind`): the diff of two versions (`a`, `b`; default
                                       the previous version against the current one) or of last year's
                                       report against a version (`against=last_year`), the findings of
                                       the newer side, the section's comments, the workflow
  GET  /api/reports/{id}/review        the same as JSON
  GET  /api/reports/{id}/check.json    every section's findings (NumberFinding.to_json())
  POST /reports/{id}/comments          `kind`, `text` → a comment (staff of the department, reviewers)
  POST /reports/{id}/status            `action` submit | return | approve, `comment` (required to return)

Staff reach only their own department's reports (404 otherwise, as for a missing report); reviewers
read every report, comment and decide. Section texts are compared as a reader sees them (markup →
plain text), the same text the checker reads, so finding spans refer to the shown text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from assistant.checking.findings import ATTENTION, STATUS_NAMES, NumberFinding
from assistant.drafting.conversation import ReportSession, SectionCheck, unit_kinds
from assistant.drafting.markup import parse_blocks, plain_text
from assistant.drafting.sections import SectionSpec, section, units
from assistant.drafting.template_drafter import MARK
from assistant.model.errors import InputError
from assistant.render.diff import diff_stats, diff_texts, render_html
from assistant.render.checklist import OpenItem, counts, summary_line
from assistant.web.open_items import FLAGGED_NAME, data_url, flagged_facts, open_items, section_findings
from assistant.web.pages import respond, wants_json
from assistant.web.security import current_user, is_reviewer, readable_report, store_of
from assistant.web.sessions import sessions_of

router = APIRouter(tags=["审核"])

LAST_YEAR = "last_year"
# action → (new status, button label, whose step)
ACTIONS = {"submit": ("submitted", "提交审核", "staff"), "return": ("returned", "退回", "reviewer"),
           "approve": ("approved", "通过", "reviewer")}
COMMENT_MAX = 4000
# status → role → what the status means for that user (the review page and the report page).
STATUS_NOTES = {
    "draft": {"staff": "报告尚未提交审核。核对无误后请提交审核。", "reviewer": "报告尚未提交审核。"},
    "submitted": {"staff": "报告已提交，正在等待审核；审核期间不能修改数据和正文。", "reviewer": "报告已提交，等待您审核。"},
    "returned": {"staff": "报告已被退回：请按退回意见修改后重新提交审核。",
                 "reviewer": "报告已退回，等待填报人员修改后重新提交。"},
    "approved": {"staff": "报告已通过审核。", "reviewer": "报告已通过审核。"},
}
APPROVE_REASON_NEEDED = "仍有未解决的事项（{summary}），通过前请填写理由，说明为何仍予通过"
SUBMIT_ACK_NEEDED = "仍有未解决的事项（{summary}）：请确认知悉后再提交审核，或先处理这些事项"
NO_DATA = "这份报告还没有数据：请先在数据页上传或填写附件1、附件2的数据"


# ---------------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class SectionState:
    """One section of a report as it stands: its latest stored version (or the template's draft
    when nobody has drafted it yet) and the checker's verdict on it."""

    kind: str
    title: str
    number: int | None  # latest version number; None: the template's draft, not stored
    markup: str
    check: SectionCheck

    @property
    def marks(self) -> list[str]:
        return MARK.findall(self.check.text)

    @property
    def attention(self) -> list[NumberFinding]:
        return [f for f in self.check.findings if f.status in ATTENTION]

    def to_json(self) -> dict:
        return {"kind": self.kind, "title": self.title, "number": self.number,
                "text": self.check.text, "summary": self.check.summary(), **self.check.to_json(),
                "findings": [f.to_json() for f in self.check.findings]}


def open_session(request: Request, report):
    """The app's cached session entry (`assistant.web.sessions`: `.session`, `.check(version)`) of the
    report's latest data; InputError when it has none."""
    if store_of(request).latest_data(report.id) is None:
        raise InputError(NO_DATA)
    return sessions_of(request).entry(report.id)


def section_states(request: Request, report, entry) -> list[SectionState]:
    """Every section in report order, checked (one function for the review page, check.json and export)."""
    session = entry.session
    latest = store_of(request).latest_sections(report.id)
    states = []
    for kind in unit_kinds():
        version = latest.get(kind)
        if version is None:
            markup = session.writer.base_markup(kind)
            state = SectionState(kind, session.writer.title(kind), None, markup, session.check(kind, markup))
        else:
            state = SectionState(kind, session.writer.title(kind), version.number, version.text, entry.check(version))
        states.append(state)
    return states


def _report_json(request: Request, report) -> tuple[dict, dict]:
    department = store_of(request).get_department(report.department_id)
    return ({"id": report.id, "year": report.year, "status": report.status, "status_label": report.status_label},
            {"id": department.id, "name": department.name, "county": department.county})


def checks_context(request: Request, report, entry) -> dict:
    states = section_states(request, report, entry)
    report_json, department = _report_json(request, report)
    return {"report": report_json, "department": department, "sections": [s.to_json() for s in states],
            "_states": states}


# ---------------------------------------------------------------------------------- last year


def _title_words(title: str) -> list[str]:
    parts = re.split(r"[及、和与“”\"]", title)
    return [w for w in (part.replace("情况", "").replace("支出", "") for part in parts) if len(w) >= 2]


def _owner(chunk, group: list[SectionSpec]) -> SectionSpec:
    """Of the sections sharing a corpus section kind, the one whose title words the chunk's deepest
    heading names (机构设置, 主要职责, 政府采购 …); the first of them otherwise."""
    deepest = chunk.section_titles[-1] if chunk.section_titles else ""
    for spec in group:
        if any(word in deepest for word in _title_words(spec.title)):
            return spec
    return group[0]


def last_year_text(chunks, kind: str) -> str:
    """The plain text of last year's report that corresponds to section `kind`: its paragraphs (tables
    left out, as in the checked text), with the headings below the section's own level."""
    spec = section(kind)
    if spec.exemplar_kind is None:
        chosen = [c for c in chunks if not c.section_path]
    else:
        group = [s for s in units() if s.exemplar_kind == spec.exemplar_kind]
        chosen = [c for c in chunks if c.section_kind == spec.exemplar_kind and _owner(c, group) is spec]
    chosen = [c for c in chosen if c.block_type != "table"]
    own_level = {c.section_path[spec.level - 1] for c in chosen if spec.level and len(c.section_path) >= spec.level}
    first_shown = spec.level - 1 if len(own_level) > 1 else spec.level
    lines: list[str] = []
    shown_path: tuple[str, ...] = ()
    for chunk in chosen:
        path = chunk.section_path
        for depth in range(max(first_shown, 0), len(path)):
            if path[:depth + 1] != shown_path[:depth + 1] and not chunk.text.startswith(path[depth]):
                lines.append(path[depth])
        shown_path = path
        lines.append(chunk.text)
    return "\n".join(lines)


_PREVIOUS: dict[tuple, tuple | None] = {}  # (folder, mtime, name, county, year) → (source, chunks) or None


def previous_report(request: Request, session: ReportSession) -> tuple[str, tuple] | None:
    """(file name, chunks) of last year's report of this department in the corpus, or None. Cached
    by the corpus folder's mtime, so an added file is seen."""
    from assistant.drafting.carry_forward import REPO_CORPUS, find_previous, read_previous
    from assistant.retrieval.chunking import chunk_document

    folder = Path(request.app.state.settings.corpus_dir)
    folder = folder if folder.is_dir() else REPO_CORPUS
    identity = session.data.identity
    key = (str(folder.resolve()), folder.stat().st_mtime if folder.is_dir() else 0.0,
           identity.name, identity.county, identity.year)
    if key not in _PREVIOUS:
        path = find_previous(session.data, folder)
        _PREVIOUS[key] = None if path is None else (path.name, tuple(chunk_document(read_previous(path))))
    return _PREVIOUS[key]


# ---------------------------------------------------------------------------------- the page


def _segments(check: SectionCheck, flagged: dict | None = None) -> list[dict]:
    """The checked text cut into plain pieces and numbers with their findings (for highlighting); a
    verified number whose fact a data-check finding names is shown as `flagged`, never as verified."""
    flagged = flagged or {}
    numbers = sorted((f for f in check.findings if f.check == "number"), key=lambda f: (f.start, -f.end))
    pieces, cursor = [], 0
    for finding in numbers:
        if finding.start < cursor:
            continue
        if finding.start > cursor:
            pieces.append({"text": check.text[cursor:finding.start], "finding": None})
        shown = finding.to_json()
        rules = flagged.get(finding.fact, []) if finding.fact else []
        if rules and finding.status == "verified":
            shown["status"] = "flagged"
        pieces.append({"text": check.text[finding.start:finding.end], "finding": shown,
                       "status_name": FLAGGED_NAME if shown["status"] == "flagged" else STATUS_NAMES[finding.status],
                       "rules": [f"{r.rule} {r.message}" for r in rules]})
        cursor = finding.end
    if cursor < len(check.text):
        pieces.append({"text": check.text[cursor:], "finding": None})
    return pieces


class _Names:
    def __init__(self, store) -> None:
        self.store, self.names = store, {}

    def __call__(self, user_id: int | None) -> str:
        if user_id is None:
            return "系统"
        if user_id not in self.names:
            from assistant.store.errors import NotFound

            try:
                user = self.store.get_user(user_id)
                self.names[user_id] = user.username + ("（审核）" if user.role == "reviewer" else "")
            except NotFound:
                self.names[user_id] = "已删除的用户"
        return self.names[user_id]


def _version_number(value: int | None, numbers: list[int], what: str) -> int | None:
    if value is not None and value not in numbers:
        raise HTTPException(404, f"本节没有第{value}版（{what}）")
    return value


def _compare(request: Request, session: ReportSession, state: SectionState, history, a: int | None,
             b: int | None, against: str | None) -> dict:
    numbers = [v.number for v in history]
    texts = {v.number: plain_text(parse_blocks(v.text)) for v in history}
    b = _version_number(b, numbers, "比较对象") or (numbers[-1] if numbers else None)
    b_text = texts[b] if b is not None else state.check.text
    b_label = f"第{b}版" if b is not None else "模板稿（尚未保存）"
    if against == LAST_YEAR:
        found = previous_report(request, session)
        identity = session.data.identity
        if found is None:
            return {"mode": LAST_YEAR, "a": None, "b": b, "a_label": "上年报告", "b_label": b_label, "ops": [],
                    "note": f"语料库中没有找到{identity.name}{identity.year - 1}年度的报告，无法与上年比较。",
                    "source": None}
        source, chunks = found
        a_text = last_year_text(chunks, state.kind)
        note = None if a_text else f"上年报告（{source}）中没有找到与“{state.title}”对应的内容，下面把本节全部显示为新增。"
        return {"mode": LAST_YEAR, "a": None, "b": b, "a_label": f"{identity.year - 1}年度报告（{source}）",
                "b_label": b_label, "ops": diff_texts(a_text, b_text), "note": note, "source": source}
    if against not in (None, ""):
        raise HTTPException(422, "比较对象只能是本节的两个版本，或上年报告（against=last_year）")
    a = _version_number(a, numbers, "基准")
    if a is None and b is not None and b - 1 in texts:
        a = b - 1
    if a is None:
        note = "本节还没有保存的版本。" if b is None else f"本节只有第{b}版，没有可以比较的早期版本。"
        return {"mode": "versions", "a": None, "b": b, "a_label": "", "b_label": b_label, "ops": [], "note": note,
                "source": None}
    return {"mode": "versions", "a": a, "b": b, "a_label": f"第{a}版", "b_label": b_label,
            "ops": diff_texts(texts[a], b_text), "note": None, "source": None}


def report_open_items(request: Request, report, entry) -> list[OpenItem]:
    return open_items(report.id, section_states(request, report, entry), entry.session.findings)


def _open_items_or_none(request: Request, report) -> list[OpenItem] | None:
    """None when the report has no usable data (then there is nothing to list)."""
    try:
        return report_open_items(request, report, open_session(request, report))
    except InputError:
        return None


def workflow_context(request: Request, report, user, names: _Names, items: list[OpenItem] | None = None) -> dict:
    """The status, its plain explanation for this user, the steps this user may take (with what each
    needs while items are open), the open items and the status history."""
    role = "reviewer" if is_reviewer(user) else "staff"
    from assistant.store.records import STATUS_LABELS
    from assistant.store.workflow import TRANSITIONS

    items = items or []
    actions = [{"action": action, "label": label, "needs_comment": action == "return",
                "needs_reason": action == "approve" and bool(items),
                "needs_ack": action == "submit" and bool(items)}
               for action, (to, label, whose) in ACTIONS.items()
               if whose == role and (report.status, to) in TRANSITIONS]
    events = [{"from": e.from_status, "to": e.to_status, "from_label": STATUS_LABELS[e.from_status],
               "to_label": STATUS_LABELS[e.to_status], "author": names(e.author_id), "comment": e.comment,
               "created_at": e.created_at} for e in store_of(request).status_events(report.id)]
    returned = next((e for e in reversed(events) if e["to"] == "returned"), None)
    return {"status": report.status, "status_label": report.status_label, "actions": actions, "events": events,
            "note": STATUS_NOTES[report.status][role],
            "returned": returned if report.status == "returned" else None,
            "open": [item.to_json() for item in items], "open_summary": summary_line(items),
            "open_counts": counts(items)}


def review_context(request: Request, report, user, *, kind: str | None = None, a: int | None = None,
                   b: int | None = None, against: str | None = None, problem: str | None = None) -> dict:
    store = store_of(request)
    names = _Names(store)
    report_json, department = _report_json(request, report)
    context = {"report": report_json, "department": department, "problem": problem,
               "workflow": workflow_context(request, report, user, names, _open_items_or_none(request, report)),
               "can_comment": True, "sections": [], "section": None, "compare": None, "check": None,
               "comments": [], "_diff_html": "", "_segments": []}
    if kind is not None and kind not in unit_kinds():
        raise HTTPException(404, "这份报告没有这个章节")
    try:
        entry = open_session(request, report)
    except InputError as error:
        context["problem"] = problem or str(error)
        return context
    session = entry.session
    states = section_states(request, report, entry)
    kind = kind or states[0].kind
    state = next(s for s in states if s.kind == kind)
    context["sections"] = [{"kind": s.kind, "title": s.title, "number": s.number, "summary": s.check.summary(),
                            "attention": len(s.attention), "marks": len(s.marks), "selected": s.kind == kind,
                            "rules": len(section_findings(s.check, session.findings))}
                           for s in states]
    history = store.section_history(report.id, kind)
    compare = _compare(request, session, state, history, a, b, against)
    b_check = state.check
    if compare["b"] is not None and compare["b"] != state.number:
        b_check = entry.check(next(v for v in history if v.number == compare["b"]))
    context["section"] = {"kind": kind, "title": state.title, "number": state.number,
                          "versions": [{"number": v.number, "source": v.source, "drafter": v.drafter,
                                        "author": names(v.author_id) if v.author_id else "系统",
                                        "created_at": v.created_at} for v in history]}
    context["compare"] = {**compare, "ops": [op.to_json() for op in compare["ops"]],
                          "stats": diff_stats(compare["ops"])}
    context["check"] = {"version": compare["b"], **b_check.to_json(), "summary": b_check.summary(),
                        "findings": [f.to_json() for f in b_check.findings]}
    context["comments"] = [{"id": c.id, "kind": c.kind, "author": names(c.author_id), "text": c.text,
                            "created_at": c.created_at} for c in store.comments(report.id, kind)]
    context["_diff_html"] = render_html(compare["ops"])
    context["_segments"] = _segments(b_check, flagged_facts(session.findings))
    context["rule_findings"] = [f.to_json() | {"url": data_url(report.id, f.path)}
                                for f in section_findings(b_check, session.findings)]
    context["_attention"] = [f.to_json() | {"status_name": STATUS_NAMES[f.status]}
                             for f in b_check.findings if f.status in ATTENTION]
    return context


def _review_url(report_id: int, kind: str | None) -> str:
    return f"/reports/{report_id}/review" + (f"?kind={kind}" if kind else "")


@router.get("/reports/{report_id}/review", summary="审核页：版本差异、数字核对、评论、审核流程")
@router.get("/api/reports/{report_id}/review", summary="审核页（JSON）")
def review_page(request: Request, report_id: int, kind: str | None = None, a: int | None = None,
                b: int | None = None, against: str | None = None, user=Depends(current_user)):
    report = readable_report(request, report_id, user)
    context = review_context(request, report, user, kind=kind, a=a, b=b, against=against)
    return respond(request, "review.html", context)


@router.get("/api/reports/{report_id}/check.json", summary="各章节的数字核对结果（JSON）")
def check_json(request: Request, report_id: int, user=Depends(current_user)):
    report = readable_report(request, report_id, user)
    return respond(request, "review.html", checks_context(request, report, open_session(request, report)))


# ---------------------------------------------------------------------------------- comments


@router.post("/reports/{report_id}/comments", summary="对章节发表评论")
@router.post("/api/reports/{report_id}/comments", summary="对章节发表评论（JSON）")
def add_comment(request: Request, report_id: int, kind: str = Form(""), text: str = Form(""),
                user=Depends(current_user)):
    report = readable_report(request, report_id, user)
    kind = kind.strip() or None
    text = text.strip()
    if kind is not None and kind not in unit_kinds():
        raise HTTPException(422, "评论的章节不存在，请从审核页提交评论")
    problem = None
    if not text:
        problem = "评论内容不能为空"
    elif len(text) > COMMENT_MAX:
        problem = f"评论最多{COMMENT_MAX}字，当前{len(text)}字"
    if problem:
        return respond(request, "review.html", review_context(request, report, user, kind=kind, problem=problem),
                       status_code=422)
    comment = store_of(request).add_comment(report.id, user.id, text, kind)
    if wants_json(request):
        return respond(request, "review.html", {"comment": comment}, status_code=201)
    return RedirectResponse(_review_url(report.id, kind) + "#comments", status_code=303)


# ---------------------------------------------------------------------------------- workflow


@router.post("/reports/{report_id}/status", summary="提交审核、退回或通过")
@router.post("/api/reports/{report_id}/status", summary="提交审核、退回或通过（JSON）")
def change_status(request: Request, report_id: int, action: str = Form(...), comment: str = Form(""),
                  kind: str = Form(""), acknowledge: str = Form(""), back: str = Form(""),
                  user=Depends(current_user)):
    from assistant.store.errors import StatusError

    report = readable_report(request, report_id, user)
    if action not in ACTIONS:
        raise HTTPException(422, "未知的审核操作")
    to_status, label, whose = ACTIONS[action]
    if whose == "reviewer" and not is_reviewer(user):
        raise HTTPException(403, f"只有审核人员可以{label}报告")
    if whose == "staff" and is_reviewer(user):
        raise HTTPException(403, "只有本部门的填报人员可以提交审核")
    kind = kind if kind in unit_kinds() else None
    comment = comment.strip() or None
    items = _open_items_or_none(request, report) or []
    summary = summary_line(items)
    problem = None
    if action == "return" and not comment:
        problem = "退回时请填写退回意见，说明需要修改的地方"
    elif comment and len(comment) > COMMENT_MAX:
        problem = f"意见最多{COMMENT_MAX}字，当前{len(comment)}字"
    elif action == "approve" and items and not comment:
        problem = APPROVE_REASON_NEEDED.format(summary=summary)
    elif action == "submit" and items and acknowledge != "1":
        problem = SUBMIT_ACK_NEEDED.format(summary=summary)
    if problem:
        return respond(request, "review.html", review_context(request, report, user, kind=kind, problem=problem),
                       status_code=422)
    if items and action in {"approve", "submit"}:  # the history says what was open, and why it went on
        said = f"理由：{comment}" if action == "approve" else (f"说明：{comment}" if comment else "提交人已确认知悉。")
        comment = f"{'通过' if action == 'approve' else '提交'}时仍有{summary}。{said}"
    try:
        report = store_of(request).set_status(report.id, to_status, user.id, comment)
    except StatusError as error:
        context = review_context(request, store_of(request).get_report(report.id), user, kind=kind,
                                 problem=f"操作未完成：{error.message}")
        return respond(request, "review.html", context, status_code=409)
    if wants_json(request):
        return respond(request, "review.html", {"report": _report_json(request, report)[0]})
    if back == "report":
        return RedirectResponse(f"/reports/{report.id}#workflow", status_code=303)
    return RedirectResponse(_review_url(report.id, kind), status_code=303)
