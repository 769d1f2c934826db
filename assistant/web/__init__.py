"""The web app (FastAPI, server-rendered Jinja2 pages in templates/web/, JSON twins). See docs/web.md."""

from __future__ import annotations


def create_app(settings=None, store=None):
    from assistant.web.app import create_app as build

    return build(settings, store)
