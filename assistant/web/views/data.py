"""The data page of a report: upload, Excel template, the generated form, validation findings.

URLs (each page also under /api/… as JSON, from the same context function):
  GET  /reports/{id}/data               the form, filled from the latest data version, findings by field
  POST /reports/{id}/data               save the form (a new data version; `expected_number` guards
                                        against lost updates)
  POST /reports/{id}/data/upload        upload YAML / JSON / Excel, or last year's report .docx
  GET  /reports/{id}/data.yaml          the latest data as YAML
  GET  /reports/{id}/data/template.xlsx the Excel template, filled from the latest data
"""

from __future__ import annotations

import asyncio

import tempfile
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from assistant.figures.computable import checked_text
from assistant.model.errors import InputError, describe_validation_error
from assistant.model.load import parse_json
from assistant.model.schema import DepartmentYear
from assistant.web.checks import check_model
from assistant.web.data_text import FORMAT, load_data
from assistant.web.forms import build_form, errors_by_field, parse_form
from assistant.web.pages import respond, wants_json
from assistant.web.security import current_user, editable_report, read_form, readable_report, store_of
from assistant.web.uploads import UploadTooLarge, read_upload, to_department_year

router = APIRouter(tags=["数据"])
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _blank_data(request: Request, report) -> dict:
    department = store_of(request).get_department(report.department_id)
    return {"identity": {"name": department.name, "county": department.county, "year": report.year}}


def data_context(request: Request, report, user, *, raw: dict | None = None, errors: dict | None = None,
                 problem: str | None = None, notes: list[str] | None = None, saved: int | None = None,
                 expected_number: int | None = None) -> dict:
    """The data page. `raw`: what the user posted, shown instead of the stored data (nothing typed is
    lost after an error or a conflict)."""
    store = store_of(request)
    department = store.get_department(report.department_id)
    latest = store.latest_data(report.id)
    data, check, stored_problem = None, None, None
    if latest is not None:
        try:
            data = load_data(latest.text, "已保存的数据")
        except InputError as error:
            stored_problem = str(error)
    if data is not None:
        check = check_model(data)
    findings = [f.to_json() for f in check.findings] if check else []
    notes_by_path: dict[str, list[dict]] = {}
    for finding in findings:
        notes_by_path.setdefault(finding["path"], []).append(
            {"severity": finding["severity"], "text": finding["message"], "rule": finding["rule"]})
    for path, messages in (errors or {}).items():
        notes_by_path.setdefault(path, []).extend({"severity": "input", "text": m, "rule": ""} for m in messages)
    shown = raw if raw is not None else (data.model_dump() if data is not None else _blank_data(request, report))
    return {
        "report": {"id": report.id, "year": report.year, "status": report.status,
                   "status_label": report.status_label},
        "department": {"id": department.id, "name": department.name, "county": department.county},
        "data_version": latest.number if latest else None,
        "expected_number": expected_number if expected_number is not None else (latest.number if latest else 0),
        "data": data,
        "findings": findings,
        "summary": check.counts if check else None,
        "problem": problem or stored_problem or (check.problem if check else None),
        "errors": errors or {},
        "notes": notes or [],
        "saved": saved,
        "can_edit": user.role == "staff" and report.status not in {"submitted", "approved"},
        "_form": build_form(shown),
        "_notes_by_path": notes_by_path,
    }


@router.get("/reports/{report_id}/data", summary="数据页")
@router.get("/api/reports/{report_id}/data", summary="数据页（JSON）")
def data_page(request: Request, report_id: int, saved: int | None = None, user=Depends(current_user)):
    report = readable_report(request, report_id, user)
    return respond(request, "data.html", data_context(request, report, user, saved=saved))


def _expected(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        raise HTTPException(422, "版本号格式不对，请刷新页面后重试") from None


async def _save(request: Request, report, user, data: DepartmentYear, expected: int | None, note: str) -> int:
    """Store a new data version once its whole build succeeds (figures, displays, form rules: nothing
    stored can break a page); InputError names what cannot be computed; a VersionConflict propagates."""
    department = store_of(request).get_department(report.department_id)
    if data.identity.year != report.year:
        raise InputError(f"数据的年度是{data.identity.year}年，而这份报告是{report.year}年度，请核对后再上传")
    if data.identity.name != department.name:
        raise InputError(f"数据的单位是“{data.identity.name}”，与这份报告的单位“{department.name}”不一致")
    text = await asyncio.to_thread(checked_text, data)  # the build takes a while: off the page-view thread
    version = store_of(request).save_data(report.id, text, FORMAT, author_id=user.id, note=note,
                                          expected_number=expected)
    return version.number


async def _json_body(request: Request) -> dict:
    """The posted JSON object, read like an uploaded .json (Decimal numbers, bounded digits and depth)."""
    try:
        body = parse_json((await request.body()).decode("utf-8"), "提交的数据")
    except UnicodeDecodeError:
        raise HTTPException(422, "提交的数据不是 UTF-8 编码") from None
    except InputError as error:
        raise HTTPException(422, str(error)) from None
    return body if isinstance(body, dict) else {}


@router.post("/reports/{report_id}/data", summary="保存表单（新的数据版本）")
@router.post("/api/reports/{report_id}/data", summary="保存数据（JSON：{data, expected_number} 或表单字段）")
async def save_data_form(request: Request, report_id: int, user=Depends(current_user)):
    from assistant.store.errors import VersionConflict

    report = editable_report(request, report_id, user)
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await _json_body(request)
        raw, expected = body.get("data"), _expected(body.get("expected_number"))
        raw = raw if isinstance(raw, dict) else {}
    else:
        fields = {key: value for key, value in (await read_form(request)).items() if isinstance(value, str)}
        raw, expected = parse_form(fields), _expected(fields.get("expected_number"))
    try:
        data = DepartmentYear.model_validate(raw)
        number = await _save(request, report, user, data, expected, "表单修改")
    except ValidationError as error:
        problem = "数据未保存：" + describe_validation_error(DepartmentYear, error)
        context = data_context(request, report, user, raw=raw, errors=errors_by_field(error), problem=problem,
                               expected_number=expected)
        return respond(request, "data.html", context, status_code=422)
    except InputError as error:
        context = data_context(request, report, user, raw=raw, problem=f"数据未保存：{error}", expected_number=expected)
        return respond(request, "data.html", context, status_code=422)
    except VersionConflict as conflict:
        problem = (f"数据未保存：{conflict.message}。在您编辑期间，其他人保存了第{conflict.current}版；"
                   "下面仍是您填写的内容，请核对后再次保存（将覆盖为新的版本）。")
        context = data_context(request, report, user, raw=raw, problem=problem, expected_number=conflict.current)
        return respond(request, "data.html", context, status_code=409)
    if wants_json(request):
        return respond(request, "data.html", data_context(request, report, user, saved=number))
    return RedirectResponse(f"/reports/{report.id}/data?saved={number}", status_code=303)


@router.post("/reports/{report_id}/data/upload", summary="上传数据文件或上年度报告")
@router.post("/api/reports/{report_id}/data/upload", summary="上传数据文件或上年度报告（JSON）")
async def upload_data(request: Request, report_id: int, file: UploadFile = File(...),
                      expected_number: str | None = Form(None), user=Depends(current_user)):
    from assistant.store.errors import VersionConflict

    report = editable_report(request, report_id, user)
    settings = request.app.state.settings
    expected = _expected(expected_number)
    try:
        upload = await read_upload(file, settings)
        data, notes = await asyncio.to_thread(to_department_year, upload)  # parsing a .docx/.xlsx takes a while
        number = await _save(request, report, user, data, expected, f"上传：{upload.display_name}")
    except UploadTooLarge as error:
        return respond(request, "data.html", data_context(request, report, user, problem=str(error)), status_code=413)
    except InputError as error:
        context = data_context(request, report, user, problem=f"未能导入：{error}")
        return respond(request, "data.html", context, status_code=422)
    except VersionConflict as conflict:
        context = data_context(request, report, user, problem=f"未能导入：{conflict.message}")
        return respond(request, "data.html", context, status_code=409)
    context = data_context(request, report, user, notes=notes, saved=number)
    return respond(request, "data.html", context)


def _attachment(content: bytes, filename: str, media_type: str) -> Response:
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


def _file_stem(request: Request, report) -> str:
    department = store_of(request).get_department(report.department_id)
    return f"{department.name}-{report.year}"


@router.get("/reports/{report_id}/data.yaml", summary="下载当前数据（YAML）")
def download_yaml(request: Request, report_id: int, user=Depends(current_user)):
    report = readable_report(request, report_id, user)
    latest = store_of(request).latest_data(report.id)
    if latest is None:
        raise HTTPException(404, "这份报告还没有数据")
    return _attachment(latest.text.encode("utf-8"), f"{_file_stem(request, report)}.yaml", "application/yaml")


def _workbook_bytes(data: DepartmentYear | None) -> bytes:
    from assistant.model.excel import write_workbook

    with tempfile.TemporaryDirectory(prefix="jixiao-template-") as directory:
        path = Path(directory) / "template.xlsx"
        write_workbook(path, data)
        return path.read_bytes()


@router.get("/reports/{report_id}/data/template.xlsx", summary="下载 Excel 填报模板（按当前数据预先填好）")
async def download_template(request: Request, report_id: int, user=Depends(current_user)):
    report = readable_report(request, report_id, user)
    latest = store_of(request).latest_data(report.id)
    data = None
    if latest is not None:
        try:
            data = load_data(latest.text)
        except InputError:
            data = None
    content = await asyncio.to_thread(_workbook_bytes, data)  # openpyxl: off the page-view threads
    return _attachment(content, f"{_file_stem(request, report)}-填报模板.xlsx", XLSX_TYPE)
