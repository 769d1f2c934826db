"""jixiao serve [--host 127.0.0.1] [--port 8000] [--demo]: the web app (docs/web.md)."""

from __future__ import annotations

import argparse

from assistant.cli.common import EXIT_CLEAN


def register(commands) -> None:
    parser = commands.add_parser("serve", help="启动网页版（默认 http://127.0.0.1:8000）")
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，仅本机可访问）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    parser.add_argument("--demo", action="store_true",
                        help="载入示例单位及其数据，并为演示用户 demo 和审核用户 reviewer 生成新的随机密码")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from assistant.store import Store
    from assistant.web.app import create_app
    from assistant.web.config import web_settings

    settings = web_settings(None)
    store = Store.open(settings.database_url_or_default)
    if args.demo:
        from assistant.web.demo import ensure_demo

        shown_host = "127.0.0.1" if args.host in {"0.0.0.0", "::"} else args.host
        for login in ensure_demo(store):
            print(f"登录地址 http://{shown_host}:{args.port} 用户名 {login.username} 密码 {login.password}"
                  f"（{login.role_label}）", flush=True)
    app = create_app(settings, store)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    finally:
        store.close()
    return EXIT_CLEAN
