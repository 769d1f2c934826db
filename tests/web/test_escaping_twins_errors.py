"""Script payloads are escaped; every page has its JSON twin; errors are Chinese pages, never tracebacks."""

from decimal import Decimal

PAYLOAD = '<script>alert("x")</script>'


def test_script_payloads_in_data_fields_are_escaped_everywhere(site, example_text):
    client, report = site.login("staff_a"), site.reports["a"].id
    text = example_text.replace("preparer: 王晓艳", f"preparer: '{PAYLOAD}'")
    text = text.replace("short_name: 人社局", "short_name: '\"><img src=x onerror=alert(1)>'")
    upload = client.post(f"/reports/{report}/data/upload", data={"csrf_token": client.csrf},
                         files={"file": ("x.yaml", text.encode())})
    assert upload.status_code == 200
    for page in (upload.text, client.get(f"/reports/{report}/data").text, client.get("/").text):
        assert PAYLOAD not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in client.get(f"/reports/{report}/data").text
    assert client.get(f"/api/reports/{report}/data").json()["data"]["identity"]["preparer"] == PAYLOAD


def test_login_error_echo_is_escaped(site):
    client = site.client()
    from tests.web.conftest import token_of

    token = token_of(client.get("/login").text)
    response = client.post("/login", data={"username": PAYLOAD, "password": "x", "csrf_token": token})
    assert PAYLOAD not in response.text and "&lt;script&gt;" in response.text


def test_json_twins_come_from_the_same_context(site):
    client, report = site.login("staff_a"), site.reports["a"].id
    via_api = client.get(f"/api/reports/{report}/data").json()
    via_accept = client.get(f"/reports/{report}/data", headers={"Accept": "application/json"}).json()
    assert via_api == via_accept
    assert via_api["report"]["status_label"] == "草稿" and via_api["data_version"] == 1
    assert via_api["data"]["basic_data"]["sangong"]["total"]["final"] == "6.02"  # Decimal text, not a float
    assert Decimal(via_api["data"]["basic_data"]["sangong"]["total"]["final"]) == Decimal("6.02")
    assert "csrf_token" not in via_api and "_form" not in via_api
    listing = client.get("/", headers={"Accept": "application/json"}).json()
    assert listing == client.get("/api/reports").json()
    assert listing["reports"][0]["check"]["error"] == len([f for f in via_api["findings"] if f["severity"] == "error"])


def test_openapi_docs_are_served(site):
    client = site.client()
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/reports/{report_id}/data" in paths


def test_error_pages_are_chinese_and_json_clients_get_json(site):
    client = site.login("staff_a")
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "页面不存在" in page.text and "<html" in page.text
    api = client.get("/api/no/such")
    assert api.status_code == 404 and api.json()["error"]["title"] == "页面不存在"
    bad_id = client.get("/reports/abc/data")
    assert bad_id.status_code == 422 and "填写的内容有误" in bad_id.text
    wrong_method = client.put("/reports", headers={"X-CSRF-Token": client.csrf})
    assert wrong_method.status_code == 405 and "不支持" in wrong_method.text


def test_an_unexpected_error_is_a_chinese_500_without_traceback(site, monkeypatch):
    client = site.login("staff_a")

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(site.store, "list_reports", broken)
    response = client.get("/")
    assert response.status_code == 500 and "服务器出错" in response.text
    assert "secret internals" not in response.text and "Traceback" not in response.text
