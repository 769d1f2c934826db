"""“不是数据声明”: staff mark a number with a reason; the mark is kept with the section version, shown to
the reviewer, and survives a re-check and later versions of the section (issue 13)."""

from __future__ import annotations

from assistant.drafting.conversation import ReportSession
from assistant.store.claim_marks import claim_marks

KIND = "plans"
ADDED = "全年组织职业技能培训3456人次。"


def _section_with_an_unsupported_number(site):
    session = ReportSession.open(site.store, site.reports["a"].id)
    first = session.ensure_section(KIND)
    return session.edit(KIND, first.text + "\n\n" + ADDED, None, first.number)


def _finding(site, client, text):
    data = client.get(f"/api/reports/{site.reports['a'].id}/check.json").json()
    section = next(s for s in data["sections"] if s["kind"] == KIND)
    return next(f for f in section["findings"] if f["text"] == text)


def test_a_marked_number_is_ignored_with_its_reason_and_the_reviewer_sees_it(site):
    version = _section_with_an_unsupported_number(site)
    staff = site.login("staff_a")
    assert _finding(site, staff, "3456人次")["status"] == "unsupported"
    response = staff.post(f"/reports/{site.reports['a'].id}/claim-marks", follow_redirects=False,
                          data={"kind": KIND, "text": "3456人次", "reason": "培训台账数字，数据表中没有此项",
                                "csrf_token": staff.csrf})
    assert response.status_code == 303 and response.headers["location"].endswith("#claim-marks")
    marked = _finding(site, staff, "3456人次")
    assert marked["status"] == "ignored" and "培训台账数字，数据表中没有此项" in marked["message"]
    [record] = claim_marks(site.store, site.reports["a"].id, KIND)
    assert record.version_id == version.id and record.reason == "培训台账数字，数据表中没有此项"

    reviewer = site.login("reviewer")
    page = reviewer.get(f"/reports/{site.reports['a'].id}/review?kind={KIND}")
    assert 'id="claim-marks"' in page.text and "3456人次" in page.text and "培训台账数字" in page.text
    assert "标注为不是数据声明</button>" not in page.text  # only staff mark numbers


def test_a_mark_survives_a_recheck_and_a_later_version(site):
    version = _section_with_an_unsupported_number(site)
    staff = site.login("staff_a")
    staff.post(f"/reports/{site.reports['a'].id}/claim-marks",
               data={"kind": KIND, "text": "3456人次", "reason": "培训台账数字", "csrf_token": staff.csrf})
    session = ReportSession.open(site.store, site.reports["a"].id)  # a fresh check, nothing cached
    later = session.edit(KIND, version.text + "\n\n我局将持续加强预算绩效管理。", None, version.number)
    found = [f for f in session.check(KIND, later.text).findings if f.text == "3456人次"]
    assert [f.status for f in found] == ["ignored"] and found[0].reason == "用户标注：不是数据声明"


def test_a_mark_needs_a_number_a_reason_and_the_csrf_token(site):
    _section_with_an_unsupported_number(site)
    staff = site.login("staff_a")
    url = f"/reports/{site.reports['a'].id}/claim-marks"
    assert staff.post(url, data={"kind": KIND, "text": "3456人次", "reason": ""}).status_code == 403
    missing = staff.post(url, data={"kind": KIND, "text": "3456人次", "reason": " ", "csrf_token": staff.csrf})
    assert missing.status_code == 422 and "请填写理由" in missing.text
    reviewer = site.login("reviewer")
    refused = reviewer.post(url, data={"kind": KIND, "text": "3456人次", "reason": "x", "csrf_token": reviewer.csrf})
    assert refused.status_code == 403 and "审核人员" in refused.text
