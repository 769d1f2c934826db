"""LLM faults as a user meets them in the web chat, against the scripted OpenAI-compatible server.

For every fault (500s, 429 with Retry-After, a hang past the timeout, invalid JSON, a stream cut
halfway, an empty answer, a 200 KB answer): the user's message is stored, no half answer is shown or
stored as a version, the user is told in Chinese what happened and that the section kept its version.
A reply with wrong numbers ships only with those numbers marked 〔待核〕.
"""

from __future__ import annotations

import re

import pytest

from tests.web.test_chat import chat, events, llm_site, server  # noqa: F401 - fixtures; puts tests/llm on the path
from scripted_server import cut_stream, empty, error, malformed, reply, slow  # noqa: E402, I001

HALF = "2024年预算执行率为半截回复"
FAULTS = {
    "500s": ([error(500)] * 3, "HTTP 500"),
    "429 with Retry-After": ([error(429, retry_after="600")], "服务要求 600 秒后再试"),
    "a hang past the timeout": ([slow(5)] * 3, "秒内没有"),
    "invalid JSON": ([malformed()] * 3, "无法解析"),
    "a stream cut halfway": ([cut_stream(["2024年预算执行率为", "半截回复"])], "中途中断"),
    "an empty answer": ([empty()], "空内容"),
    "a 200 KB answer": ([reply(["工作成效显著。" * 100] * 300)], "回复过长"),
}


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_a_model_fault_keeps_the_message_and_the_version_and_says_so(llm_site, server, fault):  # noqa: F811
    steps, said = FAULTS[fault]
    server.script(*steps)
    server.default = error(500)  # a fault that is retried stays a fault
    client, report = llm_site.login("staff_a"), llm_site.reports["a"].id
    before = llm_site.store.latest_section(report, "plans")
    stream = events(chat(client, report, "plans", "加上社保卡的数据").text)
    assert stream[0] == ("message", {"id": stream[0][1]["id"], "content": "加上社保卡的数据"})
    name, failed = stream[-1]
    assert name == "failed" and said in failed["reason"], failed
    assert failed["version"] == before.number and f"本节仍为第{before.number}版" in failed["reply"]
    assert llm_site.store.latest_section(report, "plans") == before  # nothing half was stored
    stored = llm_site.store.messages(report, "plans")
    assert [(m.role, m.status) for m in stored] == [("user", "failed"), ("note", "ok")]
    assert stored[0].content == "加上社保卡的数据" and said in stored[0].error
    page = client.get(f"/reports/{report}").text
    assert "加上社保卡的数据" in page and HALF not in page and "工作成效显著。工作成效显著。" not in page


def test_a_reply_with_wrong_numbers_ships_only_with_them_marked(llm_site, server):  # noqa: F811
    server.default = reply("2024年预算执行率为97.35%，资金使用规范有序。")  # the ledger says 98.91%
    client, report = llm_site.login("staff_a"), llm_site.reports["a"].id
    done = events(chat(client, report, "budget_execution", "改成一句话").text)[-1]
    assert done[0] == "done"
    version = llm_site.store.latest_section(report, "budget_execution")
    outside_marks = re.sub(r"〔待核：[^〕]*〕", "", version.text)
    assert "〔待核" in version.text and "97.35%" not in outside_marks
    assert "未能核实" in done[1]["reply"] and "97.35%" in done[1]["reply"]
    check = llm_site.app.state.report_sessions.session(report).check("budget_execution", version.text)
    assert [f for f in check.findings if f.status == "mismatch"] == []
