"""The reports list (`/`, JSON twin `/api/reports`) and creating a report (department × year)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from assistant.web.pages import respond, wants_json
from assistant.web.security import current_user, is_reviewer, store_of

router = APIRouter(tags=["报告列表"])
FILTER_ORDER = ("submitted", "returned", "draft", "approved")  # 待审 first: what reviewers act on


def report_row(request: Request, report, departments: dict) -> dict:
    store = store_of(request)
    latest = store.latest_data(report.id)
    check = request.app.state.checks.summary(report.id, latest)
    department = departments.get(report.department_id)
    return {
        "id": report.id, "year": report.year, "status": report.status, "status_label": report.status_label,
        "department": department.name if department else "", "county": department.county if department else "",
        "updated_at": report.updated_at, "data_version": latest.number if latest else None,
        "check": {"has_data": check.has_data, "problem": check.problem, **check.counts},
        "url": f"/reports/{report.id}", "data_url": f"/reports/{report.id}/data",
        "review_url": f"/reports/{report.id}/review",
    }


def reports_context(request: Request, user, status: str | None = None) -> dict:
    """`status`: show only reports in that status (the filter above the list; 待审 first for reviewers)."""
    from assistant.store.records import STATUS_LABELS

    store = store_of(request)
    departments = {d.id: d for d in store.list_departments()}
    reports = store.list_reports(None if is_reviewer(user) else user.department_id)
    status = status if status in STATUS_LABELS else None
    found = {code: sum(1 for r in reports if r.status == code) for code in FILTER_ORDER}
    rows = sorted((report_row(request, r, departments) for r in reports if status in (None, r.status)),
                  key=lambda row: (row["department"], -row["year"]))
    own = departments.get(user.department_id) if user.department_id else None
    return {
        "reports": rows, "status": status,
        "filters": [{"status": None, "label": "全部", "count": len(reports), "url": "/"}]
        + [{"status": code, "label": STATUS_LABELS[code], "count": found[code], "url": f"/?status={code}"}
           for code in FILTER_ORDER],
        "can_create": not is_reviewer(user) and own is not None,
        "department": {"id": own.id, "name": own.name, "county": own.county} if own else None,
        "suggested_year": dt.date.today().year - 1,
    }


@router.get("/", summary="报告列表")
@router.get("/api/reports", summary="报告列表（JSON）")
def reports_page(request: Request, status: str | None = None, user=Depends(current_user)):
    return respond(request, "reports.html", reports_context(request, user, status))


@router.post("/reports", summary="新建报告（本部门 × 年度）")
@router.post("/api/reports", summary="新建报告（JSON）")
def create_report(request: Request, year: int = Form(..., ge=2000, le=2100), user=Depends(current_user)):
    if is_reviewer(user) or user.department_id is None:
        raise HTTPException(403, "只有部门填报人员可以新建本部门的报告")
    store = store_of(request)
    report = store.find_report(user.department_id, year) or store.ensure_report(user.department_id, year)
    if wants_json(request):
        return respond(request, "reports.html", {"report": report, "url": f"/reports/{report.id}/data"},
                       status_code=201)
    return RedirectResponse(f"/reports/{report.id}/data", status_code=303)
