"""/docs renders offline: Swagger UI comes from the app's own static files, never from a CDN."""

from __future__ import annotations

from urllib.parse import urlparse


def test_the_api_docs_render_with_no_outside_request(page, server, shots):
    outside = []

    def only_local(route):
        if urlparse(route.request.url).hostname not in {"127.0.0.1", None}:
            outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", only_local)
    page.goto(server["url"] + "/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "jixiao" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/reports/{report_id}/check.json" in path.replace("\u200b", "") for path in paths)
    assert outside == []
    page.screenshot(path=str(shots / "api-docs.png"))
