"""The reviewer's audit page: upload a finished report, see its numbers checked, each finding pointing at
its place; the JSON twin carries the same findings; staff have no access; limits and CSRF hold."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "taojiang-rsj-2024.txt"
TEXT_ONLY = ("某县数据中心2024年度项目支出绩效自评报告\n"
             "本中心共实施项目15个，年初安排8个项目，年中新增8个项目。\n"
             "本项目完成预算资金89.97万元。其中：30万元用于编制；30万元用于审计；29.99万元用于设计。\n"
             "因公出国（境）费0万元，占 %。\n")


def upload(client, name: str, content: bytes, path: str = "/audit", **headers):
    return client.post(path, files={"file": (name, content, "application/octet-stream")},
                       data={"csrf_token": client.csrf}, headers=headers)


def test_a_reviewer_sees_the_text_audit_with_findings_linked_to_their_numbers(site):
    client = site.login("reviewer")
    assert 'href="/audit"' in client.get("/audit").text  # the nav link
    page = upload(client, "报告.txt", TEXT_ONLY.encode("gbk"))
    assert page.status_code == 200, page.text[:300]
    html = page.text
    assert "未识别出附件表格，只核对正文" in html
    assert "15个与各批次（阶段）之和不符：8个 + 8个 = 16个" in html
    assert "30万元 + 30万元 + 29.99万元 = 89.99万元" in html
    assert "“占 %”缺少数字" in html
    start = TEXT_ONLY.index("15个")
    assert f'href="#n{start}"' in html and f'id="n{start}" class="n mismatch"' in html


def test_the_json_twin_has_the_same_findings(site):
    client = site.login("reviewer")
    page = upload(client, "报告.txt", TEXT_ONLY.encode("utf-8"), path="/api/audit")
    document = page.json()
    assert document["document"] == "报告.txt" and document["year"] == 2024 and document["mode"] == "text"
    kinds = sorted(item["check"] for item in document["problems"])
    assert kinds == ["blank", "phase_sum", "sum"]
    phase = next(item for item in document["problems"] if item["check"] == "phase_sum")
    assert [e["text"] for e in phase["evidence"]] == ["15个", "8个", "8个"]
    assert "_pieces" not in document
    assert document["summary"]["inconsistencies"] == 3


def test_a_report_with_forms_is_audited_with_its_tables(site):
    client = site.login("reviewer")
    document = upload(client, "seed.txt", SEED.read_bytes(), path="/api/audit").json()
    assert document["mode"] == "forms" and document["department"] == "桃江县人力资源和社会保障局"
    assert len(document["findings"]) == 13  # the seed's hand-checked form problems
    assert all(item["status"] not in ("mismatch", "stale") or item["check"] != "number" for item in document["numbers"])


def test_staff_cannot_use_the_audit_page(site):
    client = site.login("staff_a")
    assert client.get("/audit").status_code == 403
    assert upload(client, "报告.txt", TEXT_ONLY.encode("utf-8")).status_code == 403
    assert 'href="/audit"' not in client.get("/").text


def test_uploads_need_the_csrf_token_and_respect_the_limits(site):
    client = site.login("reviewer")
    no_token = client.post("/audit", files={"file": ("报告.txt", TEXT_ONLY.encode("utf-8"), "text/plain")})
    assert no_token.status_code == 403
    too_large = upload(client, "大.txt", b"a" * (1024 * 1024 + 10))
    assert too_large.status_code == 413 and "上传上限" in too_large.text
    wrong_type = upload(client, "报告.xls", b"\xd0\xcf\x11\xe0")
    assert wrong_type.status_code == 422 and "不支持的文件类型" in wrong_type.text
    fake_pdf = upload(client, "报告.pdf", b"not a pdf")
    assert fake_pdf.status_code == 422 and "不是有效的 PDF 文件" in fake_pdf.text
    fake_docx = upload(client, "报告.docx", b"not a zip")
    assert fake_docx.status_code == 422 and "文件内容与扩展名不符" in fake_docx.text
    assert "upload.docx" not in fake_docx.text  # messages name the user's file, never our temporary one


def test_a_pdf_report_is_audited_from_its_text_layer(site, tmp_path):
    import subprocess

    from docx import Document

    from assistant.model.document_convert import soffice

    source = tmp_path / "报告.docx"
    document = Document()
    for line in TEXT_ONLY.splitlines():
        document.add_paragraph(line)
    document.save(source)
    profile = tmp_path / "profile"
    subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=120)
    client = site.login("reviewer")
    document = upload(client, "报告.pdf", (tmp_path / "报告.pdf").read_bytes(), path="/api/audit").json()
    assert document["document"] == "报告.pdf" and document["mode"] == "text"
    assert sorted(item["check"] for item in document["problems"]) == ["blank", "phase_sum", "sum"]
