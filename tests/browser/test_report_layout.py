"""In a real browser: the report page's heading tree, skip links, numbers that are not tab stops but
show their evidence on tap, and a layout that works at 390 px."""

from __future__ import annotations

from assistant.drafting.conversation import ReportSession
from tests.browser.login import log_in

FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])"


def _drafted(server) -> int:
    store = server["store"]
    report = store.list_reports()[0].id
    if not store.latest_sections(report):
        ReportSession.open(store, report).generate(drafter="template")
    return report


def test_keyboard_skip_link_and_no_number_tab_stops(page, server, shots):
    report = _drafted(server)
    log_in(page, server)
    page.goto(f"{server['url']}/reports/{report}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    assert page.locator(".unit .body .n[tabindex]").count() == 0
    numbers = page.locator(".unit .body .n").count()
    stops = page.locator(FOCUSABLE).count()
    assert numbers > 100 and stops < numbers  # one stop per section's evidence list, not one per number
    page.locator("#s-budget_execution details.evidence summary").focus()
    page.keyboard.press("Enter")
    assert "台账数值：979.39万元" in page.locator("#s-budget_execution details.evidence").inner_text()
    assert page.locator("h2.part", has_text="一、部门概况").count() == 1
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{server['url']}/reports/{report}")
    page.screenshot(path=str(shots / "report.png"))


def test_at_390_px_the_menu_wraps_and_evidence_shows_on_tap(browser, server, shots):
    report = _drafted(server)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True,
                                  is_mobile=True, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, server)
    page.goto(f"{server['url']}/reports/{report}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, f"the page scrolls sideways ({width} px)"
    menu = page.locator("header.top nav a", has_text="报告列表")
    assert menu.bounding_box()["width"] > 50  # a word, not a one-character column
    page.screenshot(path=str(shots / "report-390.png"))
    number = page.locator("#s-budget_execution .body .n", has_text="979.39万元").first
    number.scroll_into_view_if_needed()
    number.tap()
    panel = page.locator(".evidence-panel")
    panel.wait_for()
    assert "979.39万元" in panel.inner_text() and "来源：附件2" in panel.inner_text()
    page.screenshot(path=str(shots / "report-390-evidence.png"))
    panel.locator("button", has_text="关闭").tap()
    assert panel.is_hidden()
    context.close()
