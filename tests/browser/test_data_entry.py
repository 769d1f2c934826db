"""In a real browser: log in, see the list, open the data page, upload a data file, see its findings;
script payloads in the data never run."""

from __future__ import annotations

from pathlib import Path

from tests.browser.login import log_in

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "taojiang-rsj-2024.yaml"


def test_log_in_list_upload_and_findings(page, server, shots, tmp_path):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server["url"] + "/login")
    page.screenshot(path=str(shots / "login.png"))
    log_in(page, server)
    assert page.locator("td", has_text="桃江县人力资源和社会保障局").count() == 1
    assert page.locator(".status", has_text="草稿").count() == 1
    page.screenshot(path=str(shots / "reports.png"))

    page.click("a[href$='/data']")
    page.wait_for_selector("#findings")
    payload = "<script>alert(1)</script><svg onload=alert(2)>"  # within the 50 characters a 填表人 may have
    text = EXAMPLE.read_text(encoding="utf-8").replace("preparer: 王晓艳", f'preparer: "{payload}"')
    upload = tmp_path / "本年数据.yaml"
    upload.write_text(text, encoding="utf-8")
    page.set_input_files("input[type=file]", str(upload))
    page.click("button:has-text('上传')")
    page.wait_for_selector("text=已保存为第2版")
    assert page.locator("#findings li").count() > 0
    assert page.input_value("input[name='identity.preparer']") == payload
    page.screenshot(path=str(shots / "data.png"), full_page=False)
    page.locator("#findings li a").first.click()
    page.screenshot(path=str(shots / "data-finding.png"))
    assert dialogs == []


def test_malformed_upload_shows_the_line_in_chinese(page, server, tmp_path):
    log_in(page, server)
    report = server["store"].list_reports()[0]
    page.goto(f"{server['url']}/reports/{report.id}/data")
    bad = tmp_path / "坏.yaml"
    bad.write_text("identity:\n  name: 甲\n  year: [2024\nbasic_data: {}\n", encoding="utf-8")
    page.set_input_files("input[type=file]", str(bad))
    page.click("button:has-text('上传')")
    alert = page.locator(".alert.error")
    alert.wait_for()
    assert "YAML 格式错误" in alert.inner_text() and "第4行" in alert.inner_text()


def test_reviewer_sees_a_read_only_form(page, server):
    log_in(page, server, "reviewer")
    page.click("a[href$='/data']")
    page.wait_for_selector("#findings")
    assert page.locator("input[type=file]").count() == 0
    assert page.locator("input[name='identity.name']").is_disabled()


def test_the_data_form_saves_untouched_and_changed(page, server):
    log_in(page, server)
    report = server["store"].list_reports()[0]
    url = f"{server['url']}/reports/{report.id}/data"
    page.goto(url)
    before = server["store"].latest_data(report.id).number
    page.click("button:has-text('保存（新版本）')")
    page.wait_for_selector(f"text=已保存为第{before + 1}版")
    assert page.locator(".alert.error").count() == 0

    page.fill("input[name='identity.preparer']", "赵六")
    page.click("button:has-text('保存（新版本）')")
    page.wait_for_selector(f"text=已保存为第{before + 2}版")
    assert "preparer: 赵六" in server["store"].latest_data(report.id).text
    assert page.input_value("input[name='identity.preparer']") == "赵六"


def test_the_data_form_has_sections_keeps_a_local_draft_and_warns_before_leaving(page, server, shots):
    log_in(page, server)
    report = server["store"].list_reports()[0]
    url = f"{server['url']}/reports/{report.id}/data"
    page.goto(url)
    nav = page.locator("nav.form-nav")
    for section in ("附件1 基础数据表", "附件2 绩效自评表", "成效数据", "项目支出情况", "绩效指标"):
        assert nav.locator("a", has_text=section).count() >= 1
    nav.locator("a", has_text="绩效指标").first.click()
    assert nav.is_visible()  # sticky: still in view beside the indicators table
    assert page.locator("select[name='self_assessment.indicators[0].direction'] option:checked").inner_text() \
        .startswith("自动")
    assert "fund_income" not in page.locator("form.data-form").inner_text()

    page.fill("input[name='identity.preparer']", "草稿里的人")
    page.fill("input[name='narrative.sangong.reception.final']", "61234")
    assert page.input_value("input[name='basic_data.sangong.reception.final']") == "6.12"
    assert page.locator("input[name='basic_data.sangong.reception.final']").get_attribute("readonly") is not None
    page.wait_for_timeout(600)  # the draft is kept 0.4 s after typing stops

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.locator("header.top a.brand").click()  # leaving asks first; dismissing stays on the page
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"] and page.url.startswith(url)

    fresh = page.context.new_page()  # coming back later: the draft is restored with a notice
    fresh.goto(url)
    notice = fresh.locator("[data-role=draft-notice]")
    notice.wait_for()
    assert "已恢复您在本机未保存的填写" in notice.inner_text()
    assert fresh.input_value("input[name='identity.preparer']") == "草稿里的人"
    fresh.set_viewport_size({"width": 1366, "height": 900})
    fresh.screenshot(path=str(shots / "data-draft.png"))
    fresh.on("dialog", lambda dialog: dialog.accept())
    with fresh.expect_navigation():  # discarding reloads the page with the saved data
        fresh.click("[data-role=draft-discard]")
    assert fresh.locator("[data-role=draft-notice]").is_hidden()
    assert fresh.input_value("input[name='identity.preparer']") != "草稿里的人"
    fresh.set_viewport_size({"width": 390, "height": 844})
    fresh.screenshot(path=str(shots / "data-390.png"))
    fresh.close()
