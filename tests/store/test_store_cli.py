"""jixiao db upgrade / create-user, run as the command a deployer types."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from assistant.store import Store
from assistant.store.passwords import verify_password


def _jixiao(url: str, *args: str, stdin: str | None = "", tmp_path=None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "JIXIAO_DATABASE_URL"}}
    env["DATABASE_URL"] = url
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], input=stdin, capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=120)


def test_upgrade_then_create_users_from_stdin_and_at_random(empty_database_url, tmp_path):
    upgraded = _jixiao(empty_database_url, "db", "upgrade", tmp_path=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "最新版本（0003）" in upgraded.stdout

    staff = _jixiao(empty_database_url, "db", "create-user", "zhangsan", "--role", "staff",
                    "--department", "桃江县财政局", "--county", "桃江县", stdin="口令-2024\n", tmp_path=tmp_path)
    assert staff.returncode == 0, staff.stderr
    assert "已创建用户 zhangsan" in staff.stdout and "口令" not in staff.stdout

    reviewer = _jixiao(empty_database_url, "db", "create-user", "lisi", "--role", "reviewer", tmp_path=tmp_path)
    assert reviewer.returncode == 0, reviewer.stderr
    generated = reviewer.stdout.split("随机密码：")[1].strip()

    with Store.open(empty_database_url) as store:
        zhangsan, lisi = store.find_user("zhangsan"), store.find_user("lisi")
        assert store.get_department(zhangsan.department_id).county == "桃江县"
        assert verify_password(zhangsan.password_hash, "口令-2024")
        assert verify_password(lisi.password_hash, generated) and lisi.department_id is None


@pytest.mark.parametrize("backend", ["sqlite"])
def test_create_user_errors_are_chinese_and_exit_2(empty_database_url, tmp_path):
    _jixiao(empty_database_url, "db", "create-user", "lisi", "--role", "reviewer", tmp_path=tmp_path)
    again = _jixiao(empty_database_url, "db", "create-user", "lisi", "--role", "reviewer", tmp_path=tmp_path)
    assert again.returncode == 2 and "已被使用" in again.stderr
    no_department = _jixiao(empty_database_url, "db", "create-user", "wang", "--role", "staff", tmp_path=tmp_path)
    assert no_department.returncode == 2 and "--department" in no_department.stderr
    bad_role = _jixiao(empty_database_url, "db", "create-user", "wang", "--role", "admin", tmp_path=tmp_path)
    assert bad_role.returncode == 2 and "无效" in bad_role.stderr


def test_db_help_is_chinese():
    from assistant.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["db", "create-user", "-h"])
    assert exited.value.code == 0


def test_settings_read_the_database_url(monkeypatch, tmp_path):
    from assistant.settings import Settings

    monkeypatch.delenv("JIXIAO_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert Settings(data_dir=tmp_path).database_url_or_default == f"sqlite:///{tmp_path / 'jixiao.db'}"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    assert Settings().database_url_or_default == "postgresql://u@h/db"
    monkeypatch.setenv("JIXIAO_DATABASE_URL", "sqlite:///x.db")
    assert Settings().database_url == "sqlite:///x.db"
