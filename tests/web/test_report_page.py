"""The report page: each section's current version, numbers coloured by the checker with their evidence,
marks highlighted, direct editing with a version check, version history and revert, access rules."""

from __future__ import annotations

import html
import re

import pytest

from assistant.drafting.conversation import ReportSession, unit_kinds

PAYLOAD = "<script>alert('x')</script><img src=x onerror=alert(2)>"


@pytest.fixture
def drafted(site):
    """Department A's report with every section drafted offline."""
    ReportSession.open(site.store, site.reports["a"].id).generate(drafter="template")
    return site.reports["a"].id


def test_every_section_is_shown_with_its_version_and_drafter(site, drafted):
    page = site.login("staff_a").get(f"/reports/{drafted}")
    assert page.status_code == 200
    for title in ("（一）部门基本情况", "（一）收支及预算执行情况", "四、下一步工作计划"):
        assert title in page.text
    assert page.text.count("第1版 · 离线模板") == len(unit_kinds())
    assert "未配置大模型服务：对话中的文字要求会保存，但不会据此修改报告" in page.text
    assert "根据数据生成报告" in page.text


def test_numbers_are_coloured_by_status_with_their_evidence_on_hover(site, drafted):
    page = site.login("staff_a").get(f"/reports/{drafted}").text
    span = re.search(r'<span class="n verified" title="([^"]*)">979\.39万元</span>', page)
    assert span, "the initial budget is wrapped as a verified number"
    title = html.unescape(span.group(1))
    assert "核对：一致" in title and "台账数据：年初预算数（funding.initial_budget）" in title
    assert "台账数值：979.39万元" in title and "来源：附件2 › 年度资金总额 › 年初预算数" in title
    rate = re.search(r'<span class="n verified" title="([^"]*)">98\.91%</span>', page)
    assert "公式：" in html.unescape(rate.group(1)) and "计算依据：" in html.unescape(rate.group(1))


def test_a_sections_table_is_shown_with_the_cells_of_the_docx(site, drafted):
    from assistant.render.tables import sangong_comparison_table

    page = site.login("staff_a").get(f"/reports/{drafted}").text
    session = ReportSession.open(site.store, drafted)
    table = sangong_comparison_table(session.data, session.ledger)
    assert '<table class="report-table"><caption>“三公经费”与年初预算、上年度收支情况对比说明（元）</caption>' in page
    for cell in table.rows[1]:
        if cell is not None:
            assert f">{html.escape(cell.text)}</td>" in page


def test_marks_and_mismatches_are_highlighted_and_the_json_twin_has_the_findings(site, drafted):
    client = site.login("staff_a")
    markup = "预算执行率为97.00%，年初预算数为979.39万元。\n\n绩效指标得分〔待补：绩效指标得分〕。\n"
    site.store.add_section_version(drafted, "budget_execution", markup, source="edit", drafter="user")
    page = client.get(f"/reports/{drafted}").text
    assert re.search(r'<span class="n mismatch"[^>]*>97\.00%</span>', page)
    assert '<mark class="todo">〔待补：绩效指标得分〕</mark>' in page
    assert "第2版 · 人工编辑" in page
    data = client.get(f"/api/reports/{drafted}").json()
    section = next(s for s in data["sections"] if s["kind"] == "budget_execution")
    assert section["version"]["number"] == 2 and section["version"]["drafter"] == "user"
    statuses = {f["text"]: f["status"] for f in section["findings"]}
    assert statuses["97.00%"] == "mismatch" and statuses["979.39万元"] == "verified"
    assert {"start", "end", "expected", "formula", "inputs", "source", "label"} <= set(section["findings"][0])
    assert section["check"]["attention"] >= 1 and section["markup"] == markup
    assert data["banner"] and data["llm_configured"] is False


def test_a_report_not_yet_drafted_offers_the_button(site):
    page = site.login("staff_a").get(f"/reports/{site.reports['a'].id}")
    assert page.text.count("尚未起草") >= len(unit_kinds()) and "根据数据生成报告" in page.text


def test_an_edit_is_saved_as_a_new_version_and_checked(site, drafted):
    client = site.login("staff_a")
    text = "2024年，我局全年预算数为1715.12万元。\n\n" + PAYLOAD + "\n"
    saved = client.post(f"/reports/{drafted}/sections/procurement",
                        data={"csrf_token": client.csrf, "text": text, "expected_number": "1"}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"/reports/{drafted}?saved=procurement#s-procurement"
    version = site.store.latest_section(drafted, "procurement")
    assert version.number == 2 and version.source == "edit" and version.drafter == "user"
    page = client.get(saved.headers["location"]).text
    assert "已保存为第2版 · 人工编辑" in page
    assert re.search(r'<span class="n verified"[^>]*>1715\.12万元</span>', page)
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_a_stale_edit_is_refused_and_shows_the_users_text_again(site, drafted):
    client = site.login("staff_a")
    site.store.add_section_version(drafted, "plans", "同事先保存的文字。", source="edit", drafter="user",
                                   expected_number=1)
    conflict = client.post(f"/reports/{drafted}/sections/plans",
                           data={"csrf_token": client.csrf, "text": "我写的新计划。" + PAYLOAD, "expected_number": "1"})
    assert conflict.status_code == 409
    assert "本节已被他人修改（当前为第2版）" in conflict.text and "其他人保存了第2版" in conflict.text
    assert "我写的新计划。&lt;script&gt;" in conflict.text and "<script>alert" not in conflict.text
    assert re.search(r'<section class="unit" id="s-plans".*?name="expected_number" value="2"', conflict.text, re.S)
    assert site.store.latest_section(drafted, "plans").text.strip() == "同事先保存的文字。"
    again = client.post(f"/api/reports/{drafted}/sections/plans",
                        json={"text": "我写的新计划。", "expected_number": 2}, headers={"X-CSRF-Token": client.csrf})
    assert again.status_code == 200 and again.json()["section"]["version"]["number"] == 3


def test_an_empty_edit_is_refused(site, drafted):
    client = site.login("staff_a")
    empty = client.post(f"/reports/{drafted}/sections/plans",
                        data={"csrf_token": client.csrf, "text": "  \n\n", "expected_number": "1"})
    assert empty.status_code == 422 and "本节内容不能为空" in empty.text
    assert site.store.latest_section(drafted, "plans").number == 1


def test_history_lists_versions_and_revert_adds_one(site, drafted):
    client = site.login("staff_a")
    site.store.add_section_version(drafted, "plans", "第二版文字。", source="edit", drafter="user",
                                   author_id=site.store.find_user("staff_a").id)
    listing = client.get(f"/reports/{drafted}/sections/plans/versions")
    assert listing.status_code == 200 and "第2版" in listing.text and "（当前）" in listing.text
    assert "直接编辑" in listing.text and "staff_a" in listing.text
    rows = client.get(f"/api/reports/{drafted}/sections/plans/versions").json()["versions"]
    assert [(r["number"], r["source"]) for r in rows] == [(2, "edit"), (1, "generate")]
    old = client.get(f"/reports/{drafted}/sections/plans/versions/1")
    assert old.status_code == 200 and "恢复此版本" in old.text and 'name="expected_number" value="2"' in old.text
    reverted = client.post(f"/reports/{drafted}/sections/plans/versions/1/revert",
                           data={"csrf_token": client.csrf, "expected_number": "2"}, follow_redirects=False)
    assert reverted.status_code == 303
    latest = site.store.latest_section(drafted, "plans")
    assert latest.number == 3 and latest.source == "revert"
    assert latest.text == site.store.section_version(drafted, "plans", 1).text
    stale = client.post(f"/reports/{drafted}/sections/plans/versions/2/revert",
                        data={"csrf_token": client.csrf, "expected_number": "2"})
    assert stale.status_code == 409 and "当前为第3版" in stale.text
    assert client.get(f"/reports/{drafted}/sections/plans/versions/9").status_code == 404
    assert client.get(f"/reports/{drafted}/sections/nonsense/versions").status_code == 404


def test_the_reports_list_links_to_the_report_page(site):
    rows = site.login("staff_a").get("/api/reports").json()["reports"]
    assert rows[0]["url"] == f"/reports/{site.reports['a'].id}"


READ_URLS = ("/reports/{id}", "/api/reports/{id}", "/reports/{id}/sections/plans/versions",
             "/api/reports/{id}/sections/plans/versions", "/reports/{id}/sections/plans/versions/1",
             "/api/reports/{id}/sections/plans/versions/1")


@pytest.mark.parametrize("url", READ_URLS)
def test_another_departments_staff_gets_404_by_every_read_url(site, url):
    other = site.reports["b"].id
    ReportSession.open(site.store, other).generate(drafter="template")
    client = site.login("staff_a")
    response = client.get(url.format(id=other))
    assert response.status_code == 404 and "水利局" not in response.text
    assert site.login("reviewer").get(url.format(id=other)).status_code == 200


def test_writes_by_another_department_404_and_by_a_reviewer_403(site):
    other = site.reports["b"].id
    ReportSession.open(site.store, other).generate(drafter="template")
    writes = [(f"/reports/{other}/sections/plans", {"text": "改", "expected_number": "1"}),
              (f"/reports/{other}/sections/plans/chat", {"message": "重新起草"}),
              (f"/reports/{other}/sections/plans/versions/1/revert", {"expected_number": "1"}),
              (f"/reports/{other}/generate", {})]
    staff, reviewer = site.login("staff_a"), site.login("reviewer")
    for url, fields in writes:
        assert staff.post(url, data={**fields, "csrf_token": staff.csrf}).status_code == 404, url
        refused = reviewer.post(url, data={**fields, "csrf_token": reviewer.csrf})
        assert refused.status_code == 403 and "审核人员只能查看、评论和审核" in refused.text, url
    assert site.store.latest_section(other, "plans").number == 1
    assert site.store.messages(other, "plans") == []
    page = reviewer.get(f"/reports/{other}").text
    assert "<summary>直接编辑" not in page and "chat-form" not in page and "根据数据生成报告" not in page


def test_a_submitted_report_is_read_only_for_staff(site, drafted):
    site.store.set_status(drafted, "submitted", site.store.find_user("staff_a").id)
    client = site.login("staff_a")
    refused = client.post(f"/reports/{drafted}/sections/plans",
                          data={"csrf_token": client.csrf, "text": "改", "expected_number": "1"})
    assert refused.status_code == 403 and "待审" in refused.text
    page = client.get(f"/reports/{drafted}").text
    assert "<summary>直接编辑" not in page and "根据数据生成报告" not in page


def test_the_report_page_shows_the_heading_tree_once_and_numbers_are_not_tab_stops(site, drafted):
    page = site.login("staff_a").get(f"/reports/{drafted}").text
    body = page.split('id="report-body"')[1]
    for part in ("一、部门概况", "二、部门整体支出管理及使用成效分析", "三、存在问题", "四、下一步工作计划"):
        assert body.count(f">{part}</h2>") == 1, part
    assert body.index("一、部门概况") < body.index("（一）部门基本情况") < body.index("二、部门整体支出管理及使用成效分析") \
        < body.index("（一）收支及预算执行情况")
    toc = page.split('<nav class="toc"')[1].split("</nav>")[0]
    assert toc.count("（一）") == 2 and toc.index("一、部门概况") < toc.index("（一）部门基本情况")
    assert 'class="n verified" tabindex' not in page and "tabindex=\"0\"" not in body
    assert 'href="#report-body">跳到报告正文' in page and 'href="#main">跳到主要内容' in page
    assert "本节数字核对明细" in body and "台账数值：979.39万元" in body  # the evidence, reachable without hover
