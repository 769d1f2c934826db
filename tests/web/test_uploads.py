import io
import json
import zipfile

from assistant.model.excel import write_workbook
from assistant.model.load import load
from tests.web.conftest import EXAMPLE, ROOT


def _upload(client, report_id, name, content, expected=None):
    fields = {"csrf_token": client.csrf}
    if expected is not None:
        fields["expected_number"] = str(expected)
    return client.post(f"/reports/{report_id}/data/upload", data=fields, files={"file": (name, content)})


def test_yaml_upload_is_a_new_version_and_shows_findings(site, example_text):
    client, report = site.login("staff_a"), site.reports["a"].id
    response = _upload(client, report, "数据.yaml", example_text.encode(), expected=1)
    assert response.status_code == 200 and "已保存为第2版" in response.text
    assert "数据检查" in response.text and "R0" in response.text


def test_json_upload_keeps_decimals_as_written(site):
    client, report = site.login("staff_a"), site.reports["a"].id
    document = load(EXAMPLE).model_dump(mode="json")
    document["basic_data"]["sangong"]["total"]["final"] = "6.020"
    text = json.dumps(document, ensure_ascii=False).replace('"6.020"', "6.020")
    assert _upload(client, report, "data.json", text.encode()).status_code == 200
    assert "total: {prior_final: 9.99, budget: 16, final: 6.020}" in site.store.latest_data(report).text


def test_excel_upload(site, tmp_path):
    path = tmp_path / "x.xlsx"
    write_workbook(path, load(EXAMPLE))
    client, report = site.login("staff_a"), site.reports["a"].id
    response = _upload(client, report, "填报表.xlsx", path.read_bytes())
    assert response.status_code == 200, response.text[-2000:]
    assert site.store.latest_data(report).number == 2


def test_last_years_report_docx_is_imported_and_moved_on_a_year(site):
    from assistant.store.passwords import hash_password
    from tests.web.conftest import PASSWORD

    department = site.store.ensure_department("白沙县卫生健康局", "白沙县")
    report = site.store.ensure_report(department.id, 2024)
    site.store.create_user("staff_ws", hash_password(PASSWORD), "staff", department.id)
    client = site.login("staff_ws")
    docx = (ROOT / "corpus" / "baisha-wjj-2023.docx").read_bytes()
    response = _upload(client, report.id, "../../etc/上年报告.docx", docx, expected=0)
    assert response.status_code == 200, response.text[-1500:]
    assert "转为2024年度的起始数据" in response.text and "“上年报告.docx”" in response.text
    text = site.store.latest_data(report.id).text
    assert "year: 2024" in text and "白沙县卫生健康局" in text


def test_excel_template_download_is_filled_from_the_data(site):
    client = site.login("staff_a")
    response = client.get(f"/reports/{site.reports['a'].id}/data/template.xlsx")
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert "attachment" in response.headers["content-disposition"]


def test_oversize_upload_gets_413(site):
    client, report = site.login("staff_a"), site.reports["a"].id
    response = _upload(client, report, "big.yaml", b"a: 1\n" * 400_000)  # 2 MB, limit 1 MB
    assert response.status_code == 413 and "上传" in response.text


def test_wrong_type_and_disguised_files_are_refused(site):
    client, report = site.login("staff_a"), site.reports["a"].id
    exe = _upload(client, report, "tool.exe", b"MZ\x90\x00")
    assert exe.status_code == 422 and "不支持的文件类型" in exe.text
    fake = _upload(client, report, "表.xlsx", b"not a zip at all")
    assert fake.status_code == 422 and "文件内容与扩展名不符" in fake.text
    binary = _upload(client, report, "data.yaml", b"\x00\x01\x02")
    assert binary.status_code == 422 and "不是文本文件" in binary.text
    assert site.store.latest_data(report).number == 1


def test_zip_bomb_is_refused_before_parsing(site):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/huge.xml", b"0" * (200 * 1024 * 1024))
    client, report = site.login("staff_a"), site.reports["a"].id
    response = _upload(client, report, "炸弹.xlsx", buffer.getvalue())
    assert response.status_code == 422 and "压缩炸弹" in response.text


def test_malformed_yaml_names_the_line(site):
    client, report = site.login("staff_a"), site.reports["a"].id
    response = _upload(client, report, "坏.yaml", "identity:\n  name: 甲\n  year: [2024\nbasic_data: {}\n".encode())
    assert response.status_code == 422
    assert "YAML 格式错误" in response.text and "第4行" in response.text and "Traceback" not in response.text


def test_wrong_type_in_a_field_names_the_field(site, example_text):
    client, report = site.login("staff_a"), site.reports["a"].id
    text = example_text.replace("authorized: 83", "authorized: 八十三")
    response = _upload(client, report, "a.yaml", text.encode())
    assert response.status_code == 422 and "编制数" in response.text and "应为整数" in response.text


def test_upload_for_another_year_is_refused(site, example_text):
    client, report = site.login("staff_a"), site.reports["a"].id
    response = _upload(client, report, "a.yaml", example_text.replace("year: 2024", "year: 2023").encode())
    assert response.status_code == 422 and "2023" in response.text
