"""In a real browser: a reviewer reads the diff of two versions (numbers whole), comments (a script
payload stays text), returns and approves; the staff member submits and downloads the .docx."""

from __future__ import annotations

import docx

from assistant.drafting.conversation import ReportSession
from tests.browser.login import log_in

KIND = "budget_execution"
OLD, NEW = "1715.12万元", "1725.12万元"
PAYLOAD = "<script>alert('xss')</script><img src=x onerror=alert(2)>"


def _report_with_two_versions(server):
    store = server["store"]
    report = store.list_reports()[0]
    if len(store.section_history(report.id, KIND)) < 2:
        session = ReportSession.open(store, report.id)
        first = session.ensure_section(KIND)
        session.edit(KIND, first.text.replace(OLD, NEW, 1), None, first.number)
    return report


def report_status(server, report) -> str:
    return server["store"].get_report(report.id).status


def _watch_dialogs(pages, dialogs):
    for page in pages:
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))


def _act(page, label, comment=None, acknowledge=False):
    form = page.locator("form.workflow-action", has=page.locator(f"button:has-text('{label}')"))
    if acknowledge:
        form.locator("input[name=acknowledge]").check()
    if comment is not None:
        form.locator("textarea[name=comment]").fill(comment)
    with page.expect_navigation():  # the form posts and the app redirects back: wait for that page
        form.locator("button").click()


def test_review_comment_return_approve_and_download(browser, page, server, shots, tmp_path):
    report = _report_with_two_versions(server)
    review_url = f"{server['url']}/reports/{report.id}/review?kind={KIND}"
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    staff_page = staff.new_page()
    staff_page.set_default_timeout(10_000)
    dialogs: list[str] = []
    _watch_dialogs((page, staff_page), dialogs)

    log_in(staff_page, server, "demo")
    staff_page.goto(f"{server['url']}/reports/{report.id}")  # 提交审核 on the report page, with what is open
    panel = staff_page.locator("#workflow")
    assert "未解决事项" in panel.locator("details.open-items summary").inner_text()
    assert panel.locator("details.open-items li", has_text="R14").count() == 1
    staff_page.set_viewport_size({"width": 1366, "height": 900})
    panel.scroll_into_view_if_needed()
    staff_page.screenshot(path=str(shots / "submit-open-items.png"))
    panel.locator("button:has-text('提交审核')").click()  # the box is not ticked: the browser asks for it
    assert staff_page.locator("#workflow").count() == 1 and report_status(server, report) == "draft"
    _act(staff_page, "提交审核", acknowledge=True)
    assert report_status(server, report) == "submitted"
    assert "提交人已确认知悉" in server["store"].status_events(report.id)[-1].comment
    log_in(page, server, "reviewer")
    page.goto(review_url)
    assert page.locator(".diff del").all_inner_texts() == [OLD]
    assert page.locator(".diff ins").all_inner_texts() == [NEW]
    assert page.locator(".checked .n.st-mismatch", has_text=NEW).count() == 1
    page.locator(".checked .n.st-mismatch").first.hover()
    assert "台账数值" in page.locator(".checked .n.st-mismatch .tip").first.inner_text()
    page.fill("#comments textarea[name=text]", PAYLOAD)
    page.click("#comments button[type=submit]")
    page.wait_for_selector(".comment-text")
    assert page.locator(".comment-text").last.inner_text() == PAYLOAD
    page.screenshot(path=str(shots / "review.png"), full_page=True)

    _act(page, "退回", "全年预算数与附件1不一致，请核对。")
    assert page.locator("#report-status").inner_text() == "退回"
    assert "全年预算数与附件1不一致" in page.locator("ol.events").inner_text()

    staff_page.goto(f"{server['url']}/reports/{report.id}")  # staff see why, on the report page
    notice = staff_page.locator("#return-notice")
    assert "全年预算数与附件1不一致，请核对。" in notice.inner_text()
    assert "报告已被退回" in staff_page.locator("#workflow .status-note").inner_text()
    staff_page.screenshot(path=str(shots / "returned.png"))
    staff_page.set_viewport_size({"width": 390, "height": 844})
    staff_page.screenshot(path=str(shots / "returned-390.png"))
    staff_page.set_viewport_size({"width": 1280, "height": 900})
    _act(staff_page, "提交审核", acknowledge=True)
    page.goto(review_url)
    page.locator("form.workflow-action button:has-text('通过')").click()  # no reason: the browser refuses
    assert report_status(server, report) == "submitted"
    _act(page, "通过", "分值缺失已与单位电话核实，下年度补正。")
    assert page.locator("#report-status").inner_text() == "通过"
    assert "理由：分值缺失已与单位电话核实" in page.locator("ol.events").inner_text()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(shots / "approved-with-reason.png"))

    staff_page.goto(f"{server['url']}/reports/{report.id}/export")
    assert staff_page.locator("#marks").count() == 1
    # Approved with a 〔待补〕 left: exported only with a stated reason, recorded as a comment.
    staff_page.fill("#carry-marks textarea[name=reason]", "得分表随后补报，先报送正文。")
    staff_page.screenshot(path=str(shots / "export.png"), full_page=True)
    with staff_page.expect_download() as download_info:
        staff_page.click("#download")
    download = download_info.value
    assert download.suggested_filename.endswith("部门整体支出绩效自评报告.docx")
    target = tmp_path / "report.docx"
    download.save_as(str(target))
    texts = [paragraph.text for paragraph in docx.Document(str(target)).paragraphs]
    assert any(text.startswith("一、部门概况") for text in texts)
    assert any(NEW in text for text in texts)
    assert not any("尚无法按评分规则" in text or "〔待核" in text for text in texts)
    assert server["store"].comments(report.id)[-1].text.endswith("得分表随后补报，先报送正文。")
    assert dialogs == []
    staff.close()
