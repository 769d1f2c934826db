"""“不是数据声明”: staff mark a number of a section that is no data claim, with the reason.

  POST /reports/{id}/claim-marks       `kind`, `text` (the number as written), `reason`, `context`
                                       (optional: the words before it) → the mark is kept with the
                                       section's latest version; every later check of the section
                                       reports that number ignored with the reason
  POST /api/reports/{id}/claim-marks   the same, answered with the mark as JSON

The review page shows a section's marks to the reviewer (templates/web/_claim_marks.html, whose data
comes from the `claim_marks_of` template function registered here). CSRF is checked app-wide.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse

from assistant.drafting.conversation import unit_kinds
from assistant.store.claim_marks import add_claim_mark, claim_marks
from assistant.store.errors import StoreError
from assistant.web.pages import templates, wants_json
from assistant.web.security import current_user, editable_report, store_of
from assistant.web.sessions import sessions_of

router = APIRouter(tags=["审核"])


@router.post("/reports/{report_id}/claim-marks", summary="标注“不是数据声明”")
@router.post("/api/reports/{report_id}/claim-marks", summary="标注“不是数据声明”（JSON）")
def add_mark(request: Request, report_id: int, kind: str = Form(""), text: str = Form(""),
             reason: str = Form(""), context: str = Form(""), user=Depends(current_user)):
    report = editable_report(request, report_id, user)
    if kind not in unit_kinds():
        raise HTTPException(422, "要标注的章节不存在，请从审核页提交")
    store = store_of(request)
    entry = sessions_of(request).entry(report.id)
    version = entry.session.ensure_section(kind, author_id=user.id)
    try:
        record = add_claim_mark(store, report.id, kind, version.number, text, reason, context=context,
                                author_id=user.id)
    except StoreError as error:
        raise HTTPException(422, error.message) from None
    entry.memos.clear()  # the checks memoised per version no longer hold: they ignore the marked number
    if wants_json(request):
        return JSONResponse({"mark": {"id": record.id, "kind": kind, "version": version.number, "text": record.text,
                                      "context": record.context, "reason": record.reason}}, status_code=201)
    return RedirectResponse(f"/reports/{report.id}/review?kind={kind}#claim-marks", status_code=303)


def claim_marks_of(request: Request, report_id: int, kind: str) -> list[dict]:
    """A section's marks for the review page: number, words before it, reason, who, on which version."""
    store = store_of(request)
    versions = {v.id: v.number for v in store.section_history(report_id, kind)}
    shown = []
    for record in claim_marks(store, report_id, kind):
        author = store.get_user(record.author_id).username if record.author_id else ""
        shown.append({"text": record.text, "context": record.context, "reason": record.reason, "author": author,
                      "version": versions.get(record.version_id)})
    return shown


templates.env.globals["claim_marks_of"] = claim_marks_of
