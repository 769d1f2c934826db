"""“根据数据生成报告”: a background job with progress, offline in well under 3 s, only adding versions."""

from __future__ import annotations

import time

from assistant.drafting.conversation import unit_kinds


def wait_for(client, url: str, timeout: float = 10.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(url, headers={"Accept": "application/json"}).json()["job"]
        if job["finished"] or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


def test_offline_generation_drafts_every_section_in_under_three_seconds(site):
    client = site.login("staff_a")
    report = site.reports["a"].id
    started = time.perf_counter()
    response = client.post(f"/reports/{report}/generate", data={"csrf_token": client.csrf}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith(f"/reports/{report}/generate/")
    job = wait_for(client, response.headers["location"])
    seconds = time.perf_counter() - started
    assert job["finished"] and job["error"] is None and job["drafter"] == "template"
    assert job["done"] == job["total"] == len(unit_kinds())
    assert seconds < 3, seconds
    latest = site.store.latest_sections(report)
    assert set(latest) == set(unit_kinds()) and {v.drafter for v in latest.values()} == {"template"}
    # the progress page, once done, sends the browser to the report page
    page = client.get(response.headers["location"], follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == f"/reports/{report}"
    polled = client.get(response.headers["location"], headers={"HX-Request": "true"})
    assert polled.headers["HX-Redirect"] == f"/reports/{report}"


def test_generating_again_adds_versions_and_deletes_nothing(site):
    client = site.login("staff_a")
    report = site.reports["a"].id
    site.store.add_section_version(report, "plans", "我局自己写的计划。", source="edit", drafter="user")
    response = client.post(f"/api/reports/{report}/generate", headers={"X-CSRF-Token": client.csrf})
    assert response.status_code == 202
    assert wait_for(client, response.json()["job"]["url"])["error"] is None
    history = site.store.section_history(report, "plans")
    assert [v.number for v in history] == [1, 2] and history[0].text.strip() == "我局自己写的计划。"


def test_progress_while_running_is_a_partial_polled_every_half_second(site):
    from assistant.web.views.generate import Job, jobs_of

    client = site.login("staff_a")
    report = site.reports["a"].id
    client.get(f"/reports/{report}")  # the app's job table exists after any request
    jobs = jobs_of(type("R", (), {"app": site.app})())
    job = Job("running-job", report, "llm", total=13, done=4, current="（一）部门基本情况")
    jobs._items[job.id] = job
    partial = client.get(f"/reports/{report}/generate/running-job", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 500ms"' in partial.text and "已完成 4 / 13" in partial.text
    assert "（一）部门基本情况" in partial.text and "<html" not in partial.text
    page = client.get(f"/reports/{report}/generate/running-job")
    assert page.status_code == 200 and "根据数据生成报告" in page.text
    job.finished, job.error = True, "生成未完成：出现意外错误，已记录。已生成的章节已保存，可以重新生成。"
    failed = client.get(f"/reports/{report}/generate/running-job", headers={"HX-Request": "true"})
    assert "生成未完成" in failed.text and "hx-trigger" not in failed.text and "HX-Redirect" not in failed.headers


def test_only_staff_of_the_department_may_generate(site):
    other = site.reports["b"].id
    staff = site.login("staff_a")
    assert staff.post(f"/reports/{other}/generate", data={"csrf_token": staff.csrf}).status_code == 404
    reviewer = site.login("reviewer")
    refused = reviewer.post(f"/reports/{other}/generate", data={"csrf_token": reviewer.csrf})
    assert refused.status_code == 403 and "审核人员" in refused.text and "不能生成报告" in refused.text
    assert site.store.latest_sections(other) == {}
    own = site.login("staff_b")
    job = own.post(f"/api/reports/{other}/generate", headers={"X-CSRF-Token": own.csrf}).json()["job"]
    assert staff.get(job["url"]).status_code == 404  # another department's job, by its URL
    assert staff.get(f"/reports/{site.reports['a'].id}/generate/{job['id']}").status_code == 404


def test_a_submitted_report_is_locked_and_a_report_without_data_says_so(site):
    client = site.login("staff_a")
    report = site.reports["a"].id
    site.store.set_status(report, "submitted", site.store.find_user("staff_a").id)
    locked = client.post(f"/reports/{report}/generate", data={"csrf_token": client.csrf})
    assert locked.status_code == 403 and "待审" in locked.text
    empty = site.store.ensure_report(site.reports["a"].department_id, 2025)
    refused = client.post(f"/reports/{empty.id}/generate", data={"csrf_token": client.csrf})
    assert refused.status_code == 422 and "还没有数据" in refused.text
