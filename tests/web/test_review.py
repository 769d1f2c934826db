"""The review page: number-aware diffs between versions and against last year's report, findings,
comments (escaped), the 待审 → 退回/通过 workflow, JSON twins, and access by every new URL."""

from __future__ import annotations

import re

import pytest

from assistant.drafting.conversation import ReportSession, unit_kinds
from assistant.web import create_app
from assistant.web.config import WebSettings

KIND = "budget_execution"
OLD, NEW = "1715.12万元", "1725.12万元"
PAYLOAD = "<script>alert('xss')</script><img src=x onerror=alert(2)>"


def _two_versions(site, report_key="a"):
    """Version 1: the template's draft; version 2: one number changed."""
    session = ReportSession.open(site.store, site.reports[report_key].id)
    first = session.ensure_section(KIND)
    assert OLD in first.text
    return session.edit(KIND, first.text.replace(OLD, NEW, 1), None, first.number)


def _url(site, suffix="", key="a"):
    return f"/reports/{site.reports[key].id}{suffix}"


def test_the_default_diff_is_the_previous_version_against_the_current_with_whole_numbers(site):
    _two_versions(site)
    client = site.login("reviewer")
    page = client.get(_url(site, f"/review?kind={KIND}"))
    assert page.status_code == 200
    assert f"<del>{OLD}</del><ins>{NEW}</ins>" in page.text
    data = client.get(_url(site, f"/review?kind={KIND}"), headers={"Accept": "application/json"}).json()
    assert (data["compare"]["a"], data["compare"]["b"]) == (1, 2)
    changes = [(op["op"], op["text"]) for op in data["compare"]["ops"] if op["op"] != "equal"]
    assert changes == [("delete", OLD), ("insert", NEW)]
    assert data["compare"]["stats"]["changed"] == 1


def test_the_newer_side_is_checked_and_a_changed_number_is_a_mismatch(site):
    _two_versions(site)
    data = site.login("reviewer").get(f"/api/reports/{site.reports['a'].id}/review?kind={KIND}").json()
    wrong = [f for f in data["check"]["findings"] if f["text"] == NEW]
    assert wrong and wrong[0]["status"] == "mismatch" and wrong[0]["expected"]
    assert data["check"]["version"] == 2
    page = site.login("reviewer").get(_url(site, f"/review?kind={KIND}")).text
    assert 'class="n st-mismatch"' in page and 'class="n st-verified"' in page
    assert "台账数值" in page  # evidence in the hover tip


def test_any_two_versions_can_be_picked_and_unknown_ones_are_404(site):
    _two_versions(site)
    client = site.login("staff_a")
    same = client.get(f"/api/reports/{site.reports['a'].id}/review", params={"kind": KIND, "a": 2, "b": 2}).json()
    assert [op["op"] for op in same["compare"]["ops"]] == ["equal"]
    reverse = client.get(_url(site, "/review"), params={"kind": KIND, "a": 2, "b": 1},
                         headers={"Accept": "application/json"}).json()
    assert [(o["op"], o["text"]) for o in reverse["compare"]["ops"] if o["op"] != "equal"] == [("delete", NEW), ("insert", OLD)]
    missing = client.get(_url(site, "/review"), params={"kind": KIND, "a": 7})
    assert missing.status_code == 404 and "第7版" in missing.text
    assert client.get(_url(site, "/review"), params={"kind": "no_such"}).status_code == 404


def test_a_section_without_versions_says_so_in_chinese(site):
    data = site.login("staff_a").get(_url(site, "/review"), headers={"Accept": "application/json"}).json()
    assert data["section"]["kind"] == unit_kinds()[0]
    assert data["compare"]["ops"] == [] and "还没有保存的版本" in data["compare"]["note"]
    assert len(data["sections"]) == len(unit_kinds())


LAST_YEAR = """---
department: 桃江县人力资源和社会保障局
county: 桃江县
year: 2023
kind: 部门整体支出绩效自评报告
---
桃江县人力资源和社会保障局2023年度部门整体支出绩效自评报告

一、部门概况

（一）部门基本情况

我局2023年末在职人员共85人。

二、部门整体支出管理及使用成效分析

（一）收支及预算执行情况

2023年，我局年初预算数为900.00万元，全年预算数为1600.00万元，预算执行率为97.50%。

三、存在问题

资金拨付进度偏慢。
"""


def _site_with_corpus(site, corpus):
    app = create_app(WebSettings(data_dir=corpus.parent, secret_key="test-secret", corpus_dir=corpus), site.store)
    return type(site)(app, site.store, site.reports)


def test_the_diff_against_last_years_report_of_the_department(site, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "taojiang-rsj-2023.md").write_text(LAST_YEAR, encoding="utf-8")
    _two_versions(site)
    client = _site_with_corpus(site, corpus).login("reviewer")
    data = client.get(_url(site, "/review"), params={"kind": KIND, "against": "last_year"},
                      headers={"Accept": "application/json"}).json()
    compare = data["compare"]
    assert compare["mode"] == "last_year" and compare["source"] == "taojiang-rsj-2023.md"
    assert compare["note"] is None and compare["b"] == 2
    deleted = [op["text"] for op in compare["ops"] if op["op"] == "delete"]
    inserted = [op["text"] for op in compare["ops"] if op["op"] == "insert"]
    assert "900.00万元" in deleted and "979.39万元" in inserted
    assert "2023年" in deleted and "2024年" in inserted
    assert not any(text.startswith(("00", ".")) for text in deleted + inserted)  # never split mid-number
    assert "部门基本情况" not in "".join(deleted)  # other sections of last year stay out
    page = client.get(_url(site, "/review"), params={"kind": KIND, "against": "last_year"})
    assert "<del>900.00万元</del>" in page.text and "2023年度报告（taojiang-rsj-2023.md）" in page.text


def test_no_report_of_last_year_is_said_in_chinese(site, tmp_path):
    corpus = tmp_path / "empty-corpus"
    corpus.mkdir()
    client = _site_with_corpus(site, corpus).login("staff_a")
    page = client.get(_url(site, "/review"), params={"kind": KIND, "against": "last_year"})
    assert page.status_code == 200
    assert "语料库中没有找到桃江县人力资源和社会保障局2023年度的报告" in page.text


def test_comments_are_stored_with_author_and_escaped(site):
    for username in ("reviewer", "staff_a"):
        client = site.login(username)
        response = client.post(_url(site, "/comments"), data={"kind": KIND, "text": f"{username}：{PAYLOAD}",
                                                               "csrf_token": client.csrf}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].endswith(f"kind={KIND}#comments")
    page = site.login("reviewer").get(_url(site, f"/review?kind={KIND}")).text
    assert PAYLOAD not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in page
    assert "reviewer（审核）" in page and "staff_a" in page
    comments = site.store.comments(site.reports["a"].id, KIND)
    assert [c.text.split("：")[0] for c in comments] == ["reviewer", "staff_a"]
    data = site.login("staff_a").get(_url(site, f"/review?kind={KIND}"), headers={"Accept": "application/json"}).json()
    assert data["comments"][0]["text"] == f"reviewer：{PAYLOAD}"


def test_empty_comments_and_unknown_sections_are_refused(site):
    client = site.login("reviewer")
    empty = client.post(_url(site, "/comments"), data={"kind": KIND, "text": "  ", "csrf_token": client.csrf})
    assert empty.status_code == 422 and "评论内容不能为空" in empty.text
    unknown = client.post(_url(site, "/comments"), data={"kind": "nope", "text": "好", "csrf_token": client.csrf})
    assert unknown.status_code == 422
    assert site.store.comments(site.reports["a"].id) == []
    no_token = client.post(_url(site, "/comments"), data={"kind": KIND, "text": "好"})
    assert no_token.status_code == 403


def _act(client, site, action, comment="", key="a", json=False, acknowledge="1"):
    """A workflow step; `acknowledge`: the staff member ticked "我已知悉…" (the example has open items)."""
    headers = {"Accept": "application/json"} if json else {}
    return client.post(_url(site, "/status", key), data={"action": action, "comment": comment, "kind": KIND,
                                                         "acknowledge": acknowledge, "csrf_token": client.csrf},
                       headers=headers, follow_redirects=False)


def test_the_workflow_submit_return_resubmit_approve(site):
    staff, reviewer = site.login("staff_a"), site.login("reviewer")
    report_id = site.reports["a"].id
    assert _act(staff, site, "submit").status_code == 303
    assert site.store.get_report(report_id).status == "submitted"
    again = _act(staff, site, "submit")
    assert again.status_code == 409 and "报告当前为“待审”，不能改为“待审”" in again.text
    no_reason = _act(reviewer, site, "return")
    assert no_reason.status_code == 422 and "退回时请填写退回意见" in no_reason.text
    assert _act(reviewer, site, "return", "预算执行率<b>有误</b>").status_code == 303
    assert site.store.get_report(report_id).status == "returned"
    page = staff.get(_url(site, f"/review?kind={KIND}")).text
    assert "预算执行率&lt;b&gt;有误&lt;/b&gt;" in page and "待审 → 退回" in page
    assert 'value="submit"' in page
    assert _act(staff, site, "submit").status_code == 303
    approved = _act(reviewer, site, "approve", "分值缺失已电话确认，下年补正。", json=True)
    assert approved.status_code == 200 and approved.json()["report"]["status_label"] == "通过"
    events = site.store.status_events(report_id)
    assert [(e.from_status, e.to_status) for e in events] == [
        ("draft", "submitted"), ("submitted", "returned"), ("returned", "submitted"), ("submitted", "approved")]
    done = _act(reviewer, site, "return", "再看看")
    assert done.status_code == 409 and "不能改为“退回”" in done.text


def test_each_role_takes_only_its_own_steps(site):
    staff, reviewer = site.login("staff_a"), site.login("reviewer")
    assert _act(reviewer, site, "submit").status_code == 403
    assert _act(staff, site, "submit").status_code == 303
    for action in ("approve", "return"):
        refused = _act(staff, site, action, "自己通过")
        assert refused.status_code == 403 and "只有审核人员" in refused.text
    assert _act(staff, site, "publish").status_code == 422
    assert site.store.get_report(site.reports["a"].id).status == "submitted"
    page = reviewer.get(_url(site, f"/review?kind={KIND}")).text
    assert 'value="approve"' in page and 'value="return"' in page and 'value="submit"' not in page


def test_check_json_lists_every_sections_findings(site):
    _two_versions(site)
    data = site.login("staff_a").get(f"/api/reports/{site.reports['a'].id}/check.json").json()
    assert [s["kind"] for s in data["sections"]] == unit_kinds()
    section = next(s for s in data["sections"] if s["kind"] == KIND)
    assert section["number"] == 2 and section["attention"] >= 1
    finding = next(f for f in section["findings"] if f["text"] == NEW)
    assert set(finding) >= {"start", "end", "text", "status", "value", "unit", "fact", "expected", "message",
                            "label", "formula", "inputs", "source"}
    assert section["text"][finding["start"]:finding["end"]] == NEW


NEW_URLS = ["/review", "/review?kind=budget_execution&against=last_year", "/export", "/export.docx?confirm=1"]


@pytest.mark.parametrize("suffix", NEW_URLS)
def test_staff_of_another_department_get_404_by_every_url(site, suffix):
    client = site.login("staff_b")
    other = client.get(_url(site, suffix))
    missing = client.get(f"/reports/99999{suffix}")
    assert other.status_code == missing.status_code == 404
    assert other.text == missing.text


def test_staff_of_another_department_get_404_for_json_and_writes(site):
    client = site.login("staff_b")
    report_id = site.reports["a"].id
    for url in (f"/api/reports/{report_id}/review", f"/api/reports/{report_id}/check.json",
                f"/api/reports/{report_id}/export"):
        assert client.get(url).status_code == 404, url
    assert client.post(_url(site, "/comments"), data={"kind": KIND, "text": "看看", "csrf_token": client.csrf}).status_code == 404
    assert _act(client, site, "submit").status_code == 404
    assert site.store.comments(report_id) == [] and site.store.status_events(report_id) == []
    assert client.get(_url(site, "/review", "b")).status_code == 200  # their own report


def test_logged_out_users_are_sent_to_login(site):
    client = site.client()
    response = client.get(_url(site, "/review"), follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert client.get(f"/api/reports/{site.reports['a'].id}/check.json").status_code == 401


def test_submit_and_approve_list_what_is_open_and_need_a_confirmation_or_a_reason(site):
    staff, reviewer = site.login("staff_a"), site.login("reviewer")
    report_id = site.reports["a"].id
    page = staff.get(_url(site, f"/review?kind={KIND}")).text
    assert "未解决事项" in page and "数据检查错误" in page and "R14" in page
    assert 'name="acknowledge"' in page
    unticked = _act(staff, site, "submit", acknowledge="")
    assert unticked.status_code == 422 and "请确认知悉后再提交审核" in unticked.text
    assert site.store.get_report(report_id).status == "draft"
    assert _act(staff, site, "submit").status_code == 303
    submitted = site.store.status_events(report_id)[-1].comment
    assert submitted.startswith("提交时仍有未解决事项") and "提交人已确认知悉" in submitted

    page = reviewer.get(_url(site, f"/review?kind={KIND}")).text
    assert "通过理由（必填" in page
    no_reason = _act(reviewer, site, "approve")
    assert no_reason.status_code == 422 and "通过前请填写理由" in no_reason.text
    assert site.store.get_report(report_id).status == "submitted"
    assert _act(reviewer, site, "approve", "分值缺失已电话确认，下年补正。").status_code == 303
    approved = site.store.status_events(report_id)[-1].comment
    assert approved.startswith("通过时仍有未解决事项") and approved.endswith("理由：分值缺失已电话确认，下年补正。")


def test_staff_see_the_return_reason_and_the_right_status_text_on_the_report_page(site):
    staff, reviewer = site.login("staff_a"), site.login("reviewer")
    report_id = site.reports["a"].id
    page = staff.get(f"/reports/{report_id}").text
    assert "报告尚未提交审核。核对无误后请提交审核。" in page and 'value="submit"' in page
    _act(staff, site, "submit")
    assert "报告已提交，正在等待审核" in staff.get(f"/reports/{report_id}").text
    _act(reviewer, site, "return", "全年预算数与附件1不一致，请核对。")
    page = staff.get(f"/reports/{report_id}").text
    assert 'id="return-notice"' in page and "全年预算数与附件1不一致，请核对。" in page
    assert "报告已被退回：请按退回意见修改后重新提交审核。" in page and "报告尚未提交审核" not in page
    review = staff.get(_url(site, f"/review?kind={KIND}")).text
    assert "报告已被退回" in review and "报告尚未提交审核" not in review


def test_rule_findings_are_shown_beside_the_sections_they_touch_and_flagged_numbers_are_not_green(site):
    ReportSession.open(site.store, site.reports["a"].id).generate(drafter="template")
    client = site.login("reviewer")
    page = client.get(f"/reports/{site.reports['a'].id}").text
    self_assessment = page.split('id="s-self_score"')[1].split('<section class="unit"')[0]
    assert "R14" in self_assessment and "不可能为满分" in self_assessment
    assert re.search(r'<span class="n flagged" title="[^"]*R14[^"]*">100(\.00)?分</span>', self_assessment)
    assert not re.search(r'<span class="n verified"[^>]*>100(\.00)?分</span>', self_assessment)
    review = client.get(_url(site, "/review?kind=self_score")).text
    assert "数据检查：涉及本节数字的问题" in review and "R14" in review
    assert "st-verified\" data-status=\"verified\">100" not in review


def test_the_reviewers_list_filters_by_status_and_links_the_review_page(site):
    staff, reviewer = site.login("staff_a"), site.login("reviewer")
    _act(staff, site, "submit")
    waiting = reviewer.get("/?status=submitted").text
    assert "待审（1）" in waiting and "全部（2）" in waiting
    assert f'href="/reports/{site.reports["a"].id}/review"' in waiting
    assert site.reports["b"].id not in [r["id"] for r in reviewer.get("/api/reports?status=submitted").json()["reports"]]
    assert "没有处于这一状态的报告" in reviewer.get("/?status=approved").text
