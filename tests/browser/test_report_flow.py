"""In a real browser, with the scripted OpenAI-compatible server as the model: press 根据数据生成报告,
land on the report page, chat with a section and watch the reply stream in, edit a section, look at
its version history. No script payload may run."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "llm"))
from scripted_models import obedient  # noqa: E402
from scripted_server import reply, respond  # noqa: E402
from tests.browser.login import log_in

REVISED = ["我局将进一步加强预算管理，", "提高资金使用效益，", "确保各项工作任务落到实处。"]


@pytest.fixture(scope="module", autouse=True)
def model(scripted):
    """The scripted model is up before the app is built (the app's settings read the environment)."""
    scripted.default = respond(obedient)
    return scripted


def test_generate_chat_edit_and_history(page, server, scripted, shots):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    url = server["url"]
    log_in(page, server)
    report = server["store"].list_reports()[0].id
    page.click(f"a[href='/reports/{report}']")
    page.wait_for_url(f"{url}/reports/{report}")

    page.click("button:has-text('根据数据生成报告')")
    page.wait_for_url(f"{url}/reports/{report}", timeout=30_000)
    page.wait_for_selector("#s-plans [data-role=meta]:has-text('第1版 · 大模型起草')")
    assert page.locator(".unit .n.verified").count() > 20
    page.screenshot(path=str(shots / "report.png"))

    scripted.script(reply(REVISED))
    plans = page.locator("#s-plans")
    plans.locator("details.chat summary").click()
    plans.locator("textarea[name=message]").fill("<script>alert(1)</script>更简洁一些")
    plans.locator("button:has-text('发送')").click()
    plans.locator("[data-role=meta]:has-text('第2版 · 大模型起草')").wait_for()
    assert "".join(REVISED) in plans.locator(".body").inner_text()
    assert plans.locator(".msg-user .content").last.inner_text() == "<script>alert(1)</script>更简洁一些"
    assert "保存为第2版" in plans.locator(".msg-assistant .content").last.inner_text()
    assert plans.locator("input[name=expected_number]").input_value() == "2"
    plans.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "chat.png"))

    plans.locator("details.edit summary").click()
    plans.locator("textarea[name=text]").fill("2024年，我局全年预算数为1715.12万元。\n\n<img src=x onerror=alert(2)>")
    plans.locator("button:has-text('保存（新版本）')").click()
    page.wait_for_selector("text=已保存为第3版 · 人工编辑")
    assert page.locator("#s-plans .body .n.verified", has_text="1715.12万元").count() == 1

    page.locator("#s-plans a.history").click()
    page.wait_for_url(f"{url}/reports/{report}/sections/plans/versions")
    assert page.locator("table.versions tbody tr").count() == 3
    page.click("a:has-text('第1版')")
    page.click("button:has-text('恢复此版本')")
    page.wait_for_selector("text=已保存为第4版 · 大模型起草")
    assert dialogs == []
    if os.environ.get("JIXIAO_SCREENSHOTS"):
        assert (shots / "report.png").exists() and (shots / "chat.png").exists()
