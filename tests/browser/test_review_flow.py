"""In a real browser: a reviewer reads the diff of two versions (numbers whole), comments (a script
payload stays text), returns and approves; the staff member submits and downloads the .docx."""

from __future__ import annotations

import docx

from assistant.drafting.conversation import ReportSession
from tests.browser.test_data_entry import _log_in

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


def _watch_dialogs(pages, dialogs):
    for page in pages:
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))


def _act(page, label, comment=None):
    form = page.locator("form.workflow-action", has=page.locator(f"button:has-text('{label}')"))
    if comment is not None:
        form.locator("textarea[name=comment]").fill(comment)
    form.locator("button").click()
    page.wait_for_load_state()


def test_review_comment_return_approve_and_download(browser, page, server, shots, tmp_path):
    report = _report_with_two_versions(server)
    review_url = f"{server['url']}/reports/{report.id}/review?kind={KIND}"
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    staff_page = staff.new_page()
    staff_page.set_default_timeout(10_000)
    dialogs: list[str] = []
    _watch_dialogs((page, staff_page), dialogs)

    _log_in(staff_page, server, "demo")
    staff_page.goto(review_url)
    _act(staff_page, "提交审核")
    assert staff_page.locator("#report-status").inner_text() == "待审"

    _log_in(page, server, "reviewer")
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

    staff_page.goto(review_url)
    _act(staff_page, "提交审核")
    page.goto(review_url)
    _act(page, "通过")
    assert page.locator("#report-status").inner_text() == "通过"

    staff_page.goto(f"{server['url']}/reports/{report.id}/export")
    assert staff_page.locator("#marks").count() == 1
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
    assert dialogs == []
    staff.close()
