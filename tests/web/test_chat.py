"""Chat with a section against the scripted OpenAI-compatible server: the reply streams as SSE events
(message, token…, done | failed), every turn is stored, a failed model keeps the message and the last
good version, and everything the user typed comes back escaped."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "llm"))
from scripted_server import ScriptedServer, error, reply  # noqa: E402

from assistant.drafting.conversation import ReportSession  # noqa: E402
from assistant.web import create_app  # noqa: E402
from assistant.web.config import WebSettings  # noqa: E402
from assistant.web.sessions import SessionCache  # noqa: E402
from tests.web.conftest import Site  # noqa: E402

PAYLOAD = "<script>alert('x')</script><img src=x onerror=alert(2)>"
STREAM = {"Accept": "text/event-stream, application/json"}


@pytest.fixture
def server(request):
    scripted = ScriptedServer().start()
    request.addfinalizer(scripted.stop)
    return scripted


@pytest.fixture
def llm_site(site, server, tmp_path):
    """The same store, served by an app whose settings point at the scripted server (no corpus)."""
    settings = WebSettings(data_dir=tmp_path, secret_key="test-secret", llm_base_url=server.base_url,
                           llm_api_key="test-key", llm_model="scripted-model", llm_timeout=2.0,
                           llm_max_retries=2, llm_retry_backoff=0.05)
    app = create_app(settings, site.store)
    app.state.report_sessions = SessionCache(site.store, settings, searcher=None)
    ReportSession.open(site.store, site.reports["a"].id).generate(drafter="template")
    return Site(app, site.store, site.reports)


def events(text: str) -> list[tuple[str, dict]]:
    found = []
    for record in text.replace("\r\n", "\n").split("\n\n"):
        lines = dict(line.split(": ", 1) for line in record.splitlines() if ": " in line and not line.startswith(":"))
        if "event" in lines:
            found.append((lines["event"], json.loads(lines["data"])))
    return found


def chat(client, report: int, kind: str, message: str):
    return client.post(f"/reports/{report}/sections/{kind}/chat", data={"message": message},
                       headers={**STREAM, "X-CSRF-Token": client.csrf})


def test_the_reply_streams_as_message_tokens_and_done_with_the_new_version(llm_site, server):
    server.default = reply(["2024年预算执行率为{{fun", "ding.execution_rate}}，", "资金使用规范有序。"])
    client = llm_site.login("staff_a")
    report = llm_site.reports["a"].id
    response = chat(client, report, "budget_execution", "改成一句话")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    stream = events(response.text)
    names = [name for name, _ in stream]
    assert names[0] == "message" and names[-1] == "done" and set(names[1:-1]) == {"token"}
    stored = llm_site.store.messages(report, "budget_execution")
    assert stream[0][1] == {"id": stored[0].id, "content": "改成一句话"}
    text = "".join(payload["text"] for name, payload in stream if name == "token")
    assert text == "2024年预算执行率为98.91%，资金使用规范有序。"  # slots filled while streaming
    done = stream[-1][1]
    assert done["version"] == 2 and done["meta"] == "第2版 · 大模型起草"
    assert '<span class="n verified"' in done["html"] and ">98.91%</span>" in done["html"]
    assert done["markup"].strip() == text and "保存为第2版" in done["reply"]
    assert [(m.role, m.status) for m in stored] == [("user", "ok"), ("assistant", "ok")]
    page = client.get(f"/reports/{report}").text
    assert "第2版 · 大模型起草" in page and "改成一句话" in page


def test_a_failed_model_keeps_the_message_and_the_last_good_version(llm_site, server):
    server.script(error(500), error(500), error(500))
    client = llm_site.login("staff_a")
    report = llm_site.reports["a"].id
    before = llm_site.store.latest_section(report, "plans")
    stream = events(chat(client, report, "plans", "加上社保卡的数据").text)
    assert [name for name, _ in stream] == ["message", "failed"]
    failed = stream[-1][1]
    assert "HTTP 500" in failed["reason"] and failed["version"] == 1 and "本节仍为第1版" in failed["reply"]
    assert llm_site.store.latest_section(report, "plans") == before
    stored = llm_site.store.messages(report, "plans")
    assert [(m.role, m.status) for m in stored] == [("user", "failed"), ("note", "ok")]
    page = client.get(f"/reports/{report}").text
    assert "加上社保卡的数据" in page and 'class="msg msg-user failed"' in page and "未完成：" in page
    # the endpoint recovered: the next turn is asked again (the session did not stay "down")
    server.default = reply("我局将继续加强社保卡发放管理。")
    assert events(chat(client, report, "plans", "再试一次").text)[-1][0] == "done"


def test_without_javascript_the_form_posts_and_the_page_shows_the_result(llm_site, server):
    server.default = reply("我局将继续加强预算管理。")
    client = llm_site.login("staff_a")
    report = llm_site.reports["a"].id
    response = client.post(f"/reports/{report}/sections/plans/chat",
                           data={"message": "改写", "csrf_token": client.csrf}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/reports/{report}#s-plans"
    page = client.get(response.headers["location"]).text
    assert "第2版 · 大模型起草" in page and "我局将继续加强预算管理。" in page


def test_script_payloads_in_messages_and_replies_are_escaped(llm_site, server):
    server.default = reply("我局将继续努力。" + PAYLOAD)
    client = llm_site.login("staff_a")
    report = llm_site.reports["a"].id
    stream = events(chat(client, report, "plans", PAYLOAD).text)
    assert stream[0][1]["content"] == PAYLOAD  # JSON data; chat.js sets it as text, never as HTML
    assert stream[-1][0] == "failed"  # a reply with markup is not usable report text: nothing saved
    assert llm_site.store.latest_section(report, "plans").number == 1
    page = client.get(f"/reports/{report}").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page


def test_an_empty_message_and_an_unknown_section_are_refused(llm_site):
    client = llm_site.login("staff_a")
    report = llm_site.reports["a"].id
    empty = chat(client, report, "plans", "   ")
    assert empty.status_code == 422 and empty.json()["error"]["message"] == "请输入修改要求"
    assert chat(client, report, "nonsense", "改写").status_code == 404
    assert llm_site.store.messages(report, "plans") == []


def test_reviewers_read_the_chat_history_but_cannot_chat(llm_site, server):
    report = llm_site.reports["a"].id
    server.default = reply("我局将继续加强预算管理，提高资金使用效益。")
    chat(llm_site.login("staff_a"), report, "plans", "改写")
    reviewer = llm_site.login("reviewer")
    page = reviewer.get(f"/reports/{report}").text
    assert "改写" in page and "chat-form" not in page
    refused = chat(reviewer, report, "plans", "再改")
    assert refused.status_code == 403 and "审核人员" in refused.json()["error"]["message"]
    other = llm_site.login("staff_b")
    assert chat(other, report, "plans", "再改").status_code == 404
    assert len(llm_site.store.messages(report, "plans")) == 2


def test_the_json_twin_of_a_turn(llm_site, server):
    server.default = reply("我局将继续加强预算管理，提高资金使用效益。")
    client = llm_site.login("staff_a")
    report = llm_site.reports["a"].id
    response = client.post(f"/api/reports/{report}/sections/plans/chat", json={"message": "改写"},
                           headers={"X-CSRF-Token": client.csrf})
    body = response.json()
    assert body["ok"] is True and body["turn"]["version"] == 2 and body["message"]["content"] == "改写"
    history = client.get(f"/api/reports/{report}").json()
    plans = next(s for s in history["sections"] if s["kind"] == "plans")
    assert [m["role"] for m in plans["messages"]] == ["user", "assistant"] and history["llm_configured"] is True


def test_without_a_model_the_text_box_is_there_the_message_is_kept_and_the_reply_is_plain(site):
    report = site.reports["a"].id
    ReportSession.open(site.store, report).generate(drafter="template")
    client = site.login("staff_a")
    page = client.get(f"/reports/{report}").text
    assert 'name="message" rows="2"' in page and "docs/" not in page  # the text box, with no model too
    found = events(chat(client, report, "plans", "语气更正式一些").text)
    assert [name for name, _ in found] == ["message", "failed"]
    failed = found[-1][1]
    assert "未配置大模型服务" in failed["reply"] and "本节没有改动，仍为第1版" in failed["reply"]
    assert "离线模板不理解文字要求" in failed["reply"] and "docs/" not in failed["reply"]
    assert site.store.messages(report, "plans")[0].content == "语气更正式一些"
    assert len(site.store.section_history(report, "plans")) == 1

    redraft = events(chat(client, report, "plans", "重新起草").text)[-1]
    assert redraft[0] == "done" and redraft[1]["changed"] is False
    assert redraft[1]["reply"] == "内容与上一版相同，未保存新版本（仍为第1版）。"
    assert len(site.store.section_history(report, "plans")) == 1
