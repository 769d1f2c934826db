"""In a real browser: the model's stream is cut halfway through a chat reply. The half reply that was
already shown disappears, the user's message stays (marked, with the reason), a note says the section
kept its version, and the section body is unchanged, also after a reload."""

from __future__ import annotations

import pytest

from assistant.drafting.conversation import ReportSession
from tests.browser.login import log_in

HALF = ["我局将进一步加强预算管理，", "半截的回复"]


@pytest.fixture(scope="module", autouse=True)
def model(scripted):
    return scripted


def test_a_stream_cut_halfway_shows_no_half_answer_and_keeps_the_message(page, server, model, shots):
    from scripted_server import cut_stream, error

    store = server["store"]
    report = store.list_reports()[0].id
    ReportSession.open(store, report).generate(drafter="template")
    url = server["url"]
    log_in(page, server)
    page.goto(f"{url}/reports/{report}")
    plans = page.locator("#s-plans")
    body_before = plans.locator(".body").inner_text()
    meta_before = plans.locator("[data-role=meta]").inner_text()

    model.script(cut_stream(HALF))
    model.default = error(500)
    plans.locator("details.chat summary").click()
    plans.locator("textarea[name=message]").fill("加上社保卡的数据")
    plans.locator("button:has-text('发送')").click()
    plans.locator(".msg-user.failed").wait_for(timeout=20_000)
    messages = plans.locator("[data-role=messages]").inner_text()
    assert "加上社保卡的数据" in messages and "中途中断" in messages
    assert "半截的回复" not in messages and "半截的回复" not in plans.locator(".body").inner_text()
    assert "本节仍为第1版" in messages
    assert plans.locator("[data-role=meta]").inner_text() == meta_before
    assert plans.locator(".body").inner_text() == body_before
    page.screenshot(path=str(shots / "chat-cut-stream.png"))

    page.reload()
    plans = page.locator("#s-plans")
    assert "加上社保卡的数据" in plans.inner_text() and "半截的回复" not in page.content()
    assert plans.locator(".msg-user.failed").count() == 1
