"""In a real browser, with no model configured: the chat box is there, a message is kept and the reply
says plainly that nothing changed; the offline redraft says when the text is the same as before."""

from __future__ import annotations

from assistant.drafting.conversation import ReportSession
from tests.browser.login import log_in


def test_chat_without_a_model_is_honest(page, server, shots):
    store = server["store"]
    report = store.list_reports()[0].id
    if not store.latest_sections(report):
        ReportSession.open(store, report).generate(drafter="template")
    before = len(store.section_history(report, "plans"))
    log_in(page, server)
    page.goto(f"{server['url']}/reports/{report}#s-plans")
    plans = page.locator("#s-plans")
    plans.locator("details.chat summary").click()
    plans.locator("textarea[name=message]").fill("语气更正式一些")
    plans.locator("button:has-text('发送')").click()
    note = plans.locator(".msg-note .content").last
    note.wait_for()
    assert "未配置大模型服务" in note.inner_text() and "本节没有改动" in note.inner_text()
    assert plans.locator(".msg-user .content").last.inner_text() == "语气更正式一些"

    plans.locator("button:has-text('用离线模板重新起草本节')").click()
    reply = plans.locator(".msg-assistant .content").last
    reply.wait_for()
    page.wait_for_function("() => !document.querySelector('#s-plans .msg-assistant.streaming')")
    assert reply.inner_text().startswith("内容与上一版相同，未保存新版本")
    assert len(store.section_history(report, "plans")) == before
    assert "docs/" not in page.content()
    page.set_viewport_size({"width": 1366, "height": 900})
    plans.locator("details.chat").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "chat-offline.png"))
