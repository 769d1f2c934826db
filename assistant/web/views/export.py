"""Export: what still needs attention, then the current package as .docx (the CLI's writer).

URLs:
  GET /reports/{id}/export           the warnings: 〔待补〕/〔待核〕 marks and numbers needing attention
                                     (mismatch, stale, unsupported), per section; JSON twin
                                     /api/reports/{id}/export
  GET /reports/{id}/export.docx      the Word file; while warnings remain it needs `?confirm=1`,
                                     otherwise it redirects back to the warning page
  POST /reports/{id}/export.docx     an approved report whose text still holds 〔待补〕/〔待核〕: exported
                                     only with a stated `reason`, recorded as a comment on the report
  GET /reports/{id}/checklist        the open items (data-check errors, unverified numbers, 〔待补〕/〔待核〕)
                                     as a page of their own, each linked to where it is fixed; JSON twin
                                     /api/reports/{id}/checklist. They never go into the .docx body.

Staff of the department and reviewers may export. The file is `session.package()` written by
`assistant.render.docx_writer.write_docx`, exactly as `jixiao generate` writes it.
"""

from __future__ import annotations

import asyncio

import re
import tempfile
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from assistant.checking.findings import CHECK_NAMES, STATUS_NAMES
from assistant.render.docx_writer import write_docx
from assistant.web.pages import respond
from assistant.web.security import current_user, readable_report, store_of
from assistant.render.checklist import KIND_LABELS, summary_line
from assistant.web.views.review import checks_context, open_session, report_open_items

router = APIRouter(tags=["导出"])
CARRY_NOTE = "导出已通过但正文仍含〔待补〕/〔待核〕{n}处的报告。理由：{reason}"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_UNSAFE = re.compile(r'[\\/:*?"<>|\r\n\t]+')


def export_context(request: Request, report, entry) -> dict:
    context = checks_context(request, report, entry)
    marks, numbers = [], []
    for state in context["_states"]:
        marks += [{"kind": state.kind, "title": state.title, "text": text} for text in state.marks]
        numbers += [{"kind": state.kind, "title": state.title, "text": f.text, "status": f.status,
                     "status_name": STATUS_NAMES[f.status], "check": CHECK_NAMES.get(f.check, f.check),
                     "expected": f.expected, "message": f.message} for f in state.attention]
    context.update({
        "marks": marks, "numbers": numbers, "warnings": len(marks) + len(numbers), "problem": None,
        "carry_marks": report.status == "approved" and bool(marks),
        "docx_url": f"/reports/{report.id}/export.docx" + ("?confirm=1" if marks or numbers else ""),
        "filename": docx_filename(entry.session.package().title),
    })
    return context


def docx_filename(title: str) -> str:
    """The report's title as a file name (a manual line break dropped, path characters replaced)."""
    return _UNSAFE.sub("_", title.replace("\n", "")) + ".docx"


@router.get("/reports/{report_id}/export", summary="导出前检查：待补、待核和需核对的数字")
@router.get("/api/reports/{report_id}/export", summary="导出前检查（JSON）")
def export_page(request: Request, report_id: int, unconfirmed: int = 0, user=Depends(current_user)):
    report = readable_report(request, report_id, user)
    context = export_context(request, report, open_session(request, report))
    context["unconfirmed"] = bool(unconfirmed and context["warnings"])
    return respond(request, "export.html", context)


def _docx_bytes(session) -> tuple:
    document = session.package()
    with tempfile.TemporaryDirectory(prefix="jixiao-export-") as folder:
        path = Path(folder) / "report.docx"
        write_docx(document, path)
        return document, path.read_bytes()


def _approved_with_marks(report, context: dict) -> bool:
    return report.status == "approved" and bool(context["marks"])


@router.get("/reports/{report_id}/export.docx", summary="下载 Word 文件（仍有待处理事项时需 confirm=1）")
async def export_docx(request: Request, report_id: int, confirm: int = 0, user=Depends(current_user)):
    report = readable_report(request, report_id, user)
    entry = open_session(request, report)
    context = export_context(request, report, entry)
    if _approved_with_marks(report, context):
        return RedirectResponse(f"/reports/{report.id}/export?unconfirmed=1#carry-marks", status_code=303)
    if not confirm and context["warnings"]:
        return RedirectResponse(f"/reports/{report.id}/export?unconfirmed=1", status_code=303)
    return await _download(entry)


@router.post("/reports/{report_id}/export.docx", summary="导出仍含〔待补〕/〔待核〕的已通过报告（需填写理由，记入评论）")
async def export_docx_with_marks(request: Request, report_id: int, reason: str = Form(""),
                                 user=Depends(current_user)):
    report = readable_report(request, report_id, user)
    entry = open_session(request, report)
    context = export_context(request, report, entry)
    reason = reason.strip()
    if _approved_with_marks(report, context):
        if not reason:
            context.update(unconfirmed=True, problem="请填写理由：已通过的报告仍含〔待补〕/〔待核〕，导出前需说明并记录")
            return respond(request, "export.html", context, status_code=422)
        store_of(request).add_comment(report.id, user.id, CARRY_NOTE.format(n=len(context["marks"]), reason=reason))
    return await _download(entry)


async def _download(entry) -> Response:
    # Writing the package takes most of a second: off the threads that serve page views (app.py).
    document, content = await asyncio.to_thread(_docx_bytes, entry.session)
    filename = docx_filename(document.title)
    fallback = f"report-{entry.session.report_id}-{entry.session.data.identity.year}.docx"
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=DOCX_TYPE, headers={"Content-Disposition": disposition})


def checklist_context(request: Request, report, entry) -> dict:
    items = report_open_items(request, report, entry)
    context = checks_context(request, report, entry)
    warnings = [f.to_json() for f in entry.session.findings if f.severity == "warning"]
    context.update({"items": [item.to_json() for item in items], "summary": summary_line(items),
                    "groups": [{"kind": kind, "label": label, "entries": [i.to_json() for i in items if i.kind == kind]}
                               for kind, label in KIND_LABELS.items()],
                    "warnings": warnings})
    context.pop("sections")
    return context


@router.get("/reports/{report_id}/checklist", summary="待办清单：未解决的事项（不进入 Word 正文）")
@router.get("/api/reports/{report_id}/checklist", summary="待办清单（JSON）")
def checklist_page(request: Request, report_id: int, user=Depends(current_user)):
    report = readable_report(request, report_id, user)
    return respond(request, "checklist.html", checklist_context(request, report, open_session(request, report)))
