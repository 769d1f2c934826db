"""Export: the warning page (〔待补〕/〔待核〕 marks, numbers needing attention), its JSON twin, and the
.docx written by the CLI's writer (confirmation while warnings remain, Chinese file name)."""

from __future__ import annotations

import io
from urllib.parse import quote

import docx

from assistant.drafting.conversation import ReportSession

TITLE = "桃江县人力资源和社会保障局2024年度部门整体支出绩效自评报告"


def _export(site, suffix="", key="a"):
    return f"/reports/{site.reports[key].id}/export{suffix}"


def _clear_marks(site):
    """Rewrite the section whose template draft carries 〔待补〕/〔待核〕 marks without them."""
    session = ReportSession.open(site.store, site.reports["a"].id)
    current = session.ensure_section("self_score")
    text = "\n".join(line for line in current.text.splitlines() if "〔待" not in line)
    session.edit("self_score", text, None, current.number)


def test_the_warning_page_lists_marks_by_section(site):
    client = site.login("staff_a")
    page = client.get(_export(site))
    assert page.status_code == 200
    assert "〔待补：绩效指标得分〕" in page.text and "（七）绩效自评得分情况" in page.text
    assert f'href="/reports/{site.reports["a"].id}/export.docx?confirm=1"' in page.text
    data = client.get(_export(site), headers={"Accept": "application/json"}).json()
    assert data["warnings"] == len(data["marks"]) + len(data["numbers"]) >= 1
    assert {"kind": "self_score", "title": "（七）绩效自评得分情况", "text": "〔待补：绩效指标得分〕"} in data["marks"]
    assert data["filename"] == f"{TITLE}.docx"
    assert client.get(f"/api/reports/{site.reports['a'].id}/export").json() == data


def test_a_wrong_number_is_listed_as_needing_attention(site):
    session = ReportSession.open(site.store, site.reports["a"].id)
    current = session.ensure_section("budget_execution")
    session.edit("budget_execution", current.text.replace("1715.12万元", "1815.12万元", 1), None, current.number)
    data = site.login("reviewer").get(f"/api/reports/{site.reports['a'].id}/export").json()
    wrong = [n for n in data["numbers"] if n["text"] == "1815.12万元"]
    assert wrong and wrong[0]["status"] == "mismatch" and wrong[0]["kind"] == "budget_execution"
    assert wrong[0]["status_name"] == "不一致"


def test_download_needs_confirmation_while_warnings_remain(site):
    client = site.login("staff_a")
    response = client.get(_export(site, ".docx"), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == _export(site, "?unconfirmed=1")
    page = client.get(response.headers["location"])
    assert "请先处理，或确认后点击“仍然导出”" in page.text


def _check_docx(response):
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    disposition = response.headers["content-disposition"]
    assert f"filename*=UTF-8''{quote(TITLE + '.docx')}" in disposition
    assert 'filename="report-' in disposition and disposition.isascii()
    document = docx.Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert any(TITLE in text.replace("\n", "") for text in texts) or TITLE in "".join(texts).replace("\n", "")
    assert any(text.startswith("一、部门概况") for text in texts)
    assert any("收支及预算执行情况" in text for text in texts)


def test_confirmed_download_is_a_word_file_with_title_and_headings(site):
    _check_docx(site.login("staff_a").get(_export(site, ".docx?confirm=1")))


def test_reviewers_may_export_too(site):
    _check_docx(site.login("reviewer").get(_export(site, ".docx?confirm=1")))


def test_without_warnings_the_file_comes_at_once(site):
    _clear_marks(site)
    client = site.login("staff_a")
    data = client.get(_export(site), headers={"Accept": "application/json"}).json()
    assert data["warnings"] == 0, data["marks"] + data["numbers"]
    assert data["docx_url"].endswith("/export.docx")
    assert "可以导出" in client.get(_export(site)).text
    _check_docx(client.get(_export(site, ".docx"), follow_redirects=False))


def test_a_report_without_data_cannot_be_exported(site):
    store = site.store
    report = store.ensure_report(site.reports["a"].department_id, 2025)
    response = site.login("staff_a").get(f"/reports/{report.id}/export")
    assert response.status_code == 422 and "还没有数据" in response.text


def test_the_checklist_page_lists_every_open_item_linked_to_where_it_is_fixed(site):
    client = site.login("staff_a")
    report = site.reports["a"].id
    page = client.get(f"/reports/{report}/checklist")
    assert page.status_code == 200 and "不写入报告正文" in page.text
    data = client.get(f"/api/reports/{report}/checklist").json()
    kinds = {item["kind"] for item in data["items"]}
    assert {"rule", "mark"} <= kinds and data["summary"].startswith("未解决事项")
    rule = next(item for item in data["items"] if item["rule"] == "R14")
    assert rule["url"] == f"/reports/{report}/data#f-self_assessment-stated_total"
    assert f'href="{rule["url"]}"' in page.text


def _approve(site):
    staff, reviewer = site.login("staff_a"), site.login("reviewer")
    url = f"/reports/{site.reports['a'].id}/status"
    staff.post(url, data={"action": "submit", "acknowledge": "1", "csrf_token": staff.csrf})
    reviewer.post(url, data={"action": "approve", "comment": "已核实", "csrf_token": reviewer.csrf})
    assert site.store.get_report(site.reports["a"].id).status == "approved"


def test_an_approved_report_with_pending_marks_exports_only_with_a_recorded_reason(site):
    _approve(site)
    client = site.login("reviewer")
    assert client.get(_export(site, ".docx?confirm=1"), follow_redirects=False).status_code == 303
    page = client.get(_export(site)).text
    assert 'id="carry-marks"' in page and "理由（必填）" in page
    refused = client.post(_export(site, ".docx"), data={"reason": " ", "csrf_token": client.csrf})
    assert refused.status_code == 422 and "请填写理由" in refused.text
    assert site.store.comments(site.reports["a"].id) == []
    _check_docx(client.post(_export(site, ".docx"), data={"reason": "上级要求先报送，得分表随后补报",
                                                           "csrf_token": client.csrf}))
    recorded = site.store.comments(site.reports["a"].id)[-1].text
    assert recorded.startswith("导出已通过但正文仍含〔待补〕/〔待核〕") and recorded.endswith("上级要求先报送，得分表随后补报")


def test_the_exported_body_holds_no_reviewer_remarks(site):
    document = docx.Document(io.BytesIO(site.login("staff_a").get(_export(site, ".docx?confirm=1")).content))
    body = "".join(p.text for p in document.paragraphs)
    assert "尚无法按评分规则逐项复核" not in body and "〔待核" not in body
