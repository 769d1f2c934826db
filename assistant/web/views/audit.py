"""The reviewer's audit page: upload a department's finished report, see it checked against itself.

  GET  /audit            the upload form (reviewers)
  POST /audit            audit the uploaded .docx / .txt / .md (multipart, CSRF token as for every form)
  POST /api/audit        the same, answered as JSON (the same context, without the page-only parts)

The file is read within the app's upload limits (size, type by content, zip-bomb bounds:
assistant/web/uploads.py), written to a temporary file with a fixed name, audited in a worker thread
(assistant/audit) and deleted; nothing is stored. The page shows the findings, each linked to the number,
sentence or table cell it points at, and the text with every number coloured by status and its
evidence on hover. Staff have no access: the page is a reviewer's tool.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile

from assistant.audit.html import CHECK_NAMES, STATUS_NAMES, evidence_text, marked_spans, worst
from assistant.audit.report import audit_document
from assistant.cli.common import SEVERITY_NAMES
from assistant.model.errors import InputError
from assistant.web.pages import respond
from assistant.web.security import current_user, is_reviewer
from assistant.web.uploads import UploadTooLarge, read_upload

router = APIRouter()
AUDIT_KINDS = {".docx": "docx", ".pdf": "pdf", ".txt": "text", ".md": "text"}
ACCEPTED = ".docx、.pdf、.txt 或 .md 格式的报告"


def _reviewer(user) -> None:
    if not is_reviewer(user):
        raise HTTPException(status_code=403, detail="报告审核页面仅供审核人员使用")


def audit_context(audit=None, *, document: str | None = None, problem: str | None = None) -> dict:
    """One context for the page and its JSON twin."""
    context: dict = {"document": document, "problem": problem, "accepted": ACCEPTED}
    if audit is None:
        return context
    findings = [{**finding.to_json(), "severity_name": SEVERITY_NAMES[finding.severity]} for finding in audit.findings]
    problems = [{**item, "kind": CHECK_NAMES.get(item.get("check", "number"), item.get("check")),
                 "anchor": f"n{item['start']}"} for item in audit.inconsistent_numbers]
    context.update({
        "department": audit.department, "county": audit.county, "year": audit.year, "mode": audit.mode,
        "summary": audit.summary(), "counts": audit.number_counts(), "findings": findings,
        "problems": problems, "numbers": audit.numbers,
        "_pieces": _pieces(audit), "_status_names": STATUS_NAMES,
    })
    return context


def _pieces(audit) -> list[dict]:
    """The text cut into plain stretches and marked numbers (status, evidence, anchor)."""
    pieces, position = [], 0
    for start, end, found in marked_spans(audit):
        pieces.append({"text": audit.text[position:start]})
        pieces.append({"text": audit.text[start:end], "status": worst(found)["status"], "anchor": f"n{start}",
                       "evidence": " ｜ ".join(evidence_text(item) for item in found)})
        position = end
    pieces.append({"text": audit.text[position:]})
    return pieces


@router.get("/audit", summary="报告审核：上传")
def audit_form(request: Request, user=Depends(current_user)):
    _reviewer(user)
    return respond(request, "audit.html", audit_context())


@router.post("/audit", summary="报告审核：审核上传的报告")
@router.post("/api/audit", summary="报告审核（JSON）")
async def audit_upload(request: Request, file: UploadFile = File(...), user=Depends(current_user)):
    _reviewer(user)
    settings = request.app.state.settings
    try:
        upload = await read_upload(file, settings, AUDIT_KINDS, ACCEPTED)
        audit = await asyncio.to_thread(_audit_bytes, upload.content, Path(upload.display_name).suffix.lower(),
                                        upload.display_name)
    except UploadTooLarge as error:
        return respond(request, "audit.html", audit_context(problem=str(error)), status_code=413)
    except InputError as error:
        return respond(request, "audit.html", audit_context(problem=f"未能审核：{error}"), status_code=422)
    return respond(request, "audit.html", audit_context(audit, document=upload.display_name))


def _audit_bytes(content: bytes, suffix: str, display_name: str):
    with tempfile.TemporaryDirectory(prefix="jixiao-audit-") as directory:
        path = Path(directory) / f"upload{suffix}"  # never the user's name
        path.write_bytes(content)
        try:
            audit = audit_document(path)
        except InputError as error:
            raise InputError(str(error).replace(path.name, display_name).replace(str(path), display_name)) from None
    audit.path = Path(display_name)
    audit.notes = [note.replace(path.name, display_name) for note in audit.notes]
    return audit
