"""A staff user of department A can neither read nor change department B's report, by any URL."""

import pytest

READ_URLS = ("/reports/{id}/data", "/api/reports/{id}/data", "/reports/{id}/data.yaml",
             "/reports/{id}/data/template.xlsx")


@pytest.mark.parametrize("url", READ_URLS)
def test_staff_cannot_read_another_departments_report(site, url):
    client = site.login("staff_a")
    other = site.reports["b"].id
    response = client.get(url.format(id=other))
    assert response.status_code == 404
    assert "水利局" not in response.text
    missing = client.get(url.format(id=99999))
    assert missing.status_code == 404 and missing.text.replace(str(99999), str(other)) == response.text


def test_staff_cannot_change_another_departments_report(site, example_text):
    client = site.login("staff_a")
    other = site.reports["b"].id
    before = site.store.latest_data(other).number
    headers = {"X-CSRF-Token": client.csrf}
    attempts = [
        client.post(f"/reports/{other}/data", data={"identity.name": "x"}, headers=headers),
        client.post(f"/api/reports/{other}/data", json={"data": {}}, headers=headers),
        client.post(f"/reports/{other}/data/upload", files={"file": ("a.yaml", example_text.encode())},
                    headers=headers),
        client.post(f"/api/reports/{other}/data/upload", files={"file": ("a.yaml", example_text.encode())},
                    headers=headers),
    ]
    assert [r.status_code for r in attempts] == [404] * 4
    assert site.store.latest_data(other).number == before


def test_staff_list_shows_only_their_department(site):
    rows = site.login("staff_a").get("/api/reports").json()["reports"]
    assert [row["id"] for row in rows] == [site.reports["a"].id]


def test_reviewer_reads_every_report_but_cannot_change_data(site):
    client = site.login("reviewer")
    rows = client.get("/api/reports").json()["reports"]
    assert {row["id"] for row in rows} == {site.reports["a"].id, site.reports["b"].id}
    assert client.get(f"/api/reports/{site.reports['b'].id}/data").status_code == 200
    refused = client.post(f"/reports/{site.reports['b'].id}/data", data={"csrf_token": client.csrf})
    assert refused.status_code == 403 and "审核人员" in refused.text
    assert client.post("/reports", data={"year": "2025", "csrf_token": client.csrf}).status_code == 403


def test_staff_creates_a_report_only_for_their_own_department(site):
    client = site.login("staff_b")
    response = client.post("/reports", data={"year": "2025", "csrf_token": client.csrf}, follow_redirects=False)
    assert response.status_code == 303
    created = site.store.find_report(site.reports["b"].department_id, 2025)
    assert created is not None and response.headers["location"] == f"/reports/{created.id}/data"
    page = client.get(response.headers["location"])
    assert 'value="示例县水利局"' in page.text and 'value="2025"' in page.text
