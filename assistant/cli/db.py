"""jixiao db upgrade | create-user | set-password | end-sessions: the database of the web app
(docs/store.md). A new password and end-sessions log the user out of every browser."""

from __future__ import annotations

import argparse
import sys

from assistant.cli.common import EXIT_CLEAN
from assistant.model.errors import InputError


def register(commands) -> None:
    parser = commands.add_parser("db", help="数据库：升级表结构、创建用户",
                                 description="数据库（默认 .jixiao/jixiao.db；设置 DATABASE_URL 可改用 PostgreSQL）")
    actions = parser.add_subparsers(title="操作", parser_class=type(parser))
    upgrade = actions.add_parser("upgrade", help="把数据库表结构升级到最新版本（首次使用时建表）")
    upgrade.set_defaults(handler=run_upgrade)
    user = actions.add_parser("create-user", help="创建用户；密码从标准输入读取，未输入则随机生成并显示")
    user.add_argument("username", help="用户名")
    user.add_argument("--role", required=True, choices=("staff", "reviewer"),
                      help="角色：staff 填报人员，reviewer 审核人员")
    user.add_argument("--department", help="所属部门名称（填报人员需要；不存在时创建）")
    user.add_argument("--county", default="", help="部门所在县（市、区），与 --department 一起使用")
    user.set_defaults(handler=run_create_user)
    password = actions.add_parser("set-password", help="重设用户密码（从标准输入读取，未输入则随机生成并显示）；该用户所有登录立即失效")
    password.add_argument("username", help="用户名")
    password.set_defaults(handler=run_set_password)
    end = actions.add_parser("end-sessions", help="让该用户在所有浏览器上退出登录")
    end.add_argument("username", help="用户名")
    end.set_defaults(handler=run_end_sessions)
    parser.set_defaults(handler=lambda _args: _missing_action(parser))


def _missing_action(parser: argparse.ArgumentParser) -> int:
    parser.error("请指定操作：upgrade、create-user、set-password 或 end-sessions")
    return 2


def _open_store():
    from sqlalchemy.exc import SQLAlchemyError

    from assistant.store import Store

    try:
        return Store.open()
    except SQLAlchemyError as error:
        raise InputError(f"无法打开数据库（{type(error).__name__}），请检查 DATABASE_URL") from None


def run_upgrade(_args: argparse.Namespace) -> int:
    from assistant.store.engine import current_revision

    store = _open_store()
    try:
        print(f"数据库表结构已是最新版本（{current_revision(store.engine)}）：{store.engine.url.render_as_string()}")
    finally:
        store.close()
    return EXIT_CLEAN


def run_create_user(args: argparse.Namespace) -> int:
    from assistant.store import StoreError
    from assistant.store.passwords import hash_password

    if args.role == "staff" and not args.department:
        raise InputError("填报人员需要用 --department 指定所属部门")
    password, generated = _new_password()
    store = _open_store()
    try:
        department_id = None
        if args.department:
            department_id = store.ensure_department(args.department, args.county).id
        user = store.create_user(args.username, hash_password(password), args.role, department_id)
    except StoreError as error:
        raise InputError(error.message) from None
    finally:
        store.close()
    role = {"staff": "填报人员", "reviewer": "审核人员"}[user.role]
    print(f"已创建用户 {user.username}（{role}{'，' + args.department if args.department else ''}）")
    if generated:
        print(f"随机密码：{password}")
    return EXIT_CLEAN


def _existing_user(store, username: str):
    user = store.find_user(username)
    if user is None:
        raise InputError(f"没有用户名为“{username}”的用户")
    return user


def run_set_password(args: argparse.Namespace) -> int:
    from assistant.store.passwords import hash_password

    password, generated = _new_password()
    store = _open_store()
    try:
        user = _existing_user(store, args.username)
        ended = len(store.user_sessions(user.id))
        store.set_password(user.id, hash_password(password))
    finally:
        store.close()
    print(f"已重设用户 {user.username} 的密码，已结束其 {ended} 个登录")
    if generated:
        print(f"随机密码：{password}")
    return EXIT_CLEAN


def run_end_sessions(args: argparse.Namespace) -> int:
    store = _open_store()
    try:
        ended = store.end_user_sessions(_existing_user(store, args.username).id)
    finally:
        store.close()
    print(f"已结束用户 {args.username} 的 {ended} 个登录")
    return EXIT_CLEAN


def _new_password() -> tuple[str, bool]:
    """The password piped on stdin, or a random one (then True: it must be printed)."""
    from assistant.store.passwords import random_password

    password = _password_from_stdin()
    return (password, False) if password is not None else (random_password(), True)


def _password_from_stdin() -> str | None:
    """The first line of a piped stdin; None on a terminal or when empty (a random one is made)."""
    if sys.stdin is None or sys.stdin.isatty():
        return None
    line = sys.stdin.readline().rstrip("\r\n")
    return line or None
