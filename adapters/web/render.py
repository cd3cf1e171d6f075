"""Pages from the templates in ``templates/``, with the headers every dashboard answer carries."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

__all__ = ["SECURITY_HEADERS", "fragment", "page", "plain", "templates"]

_TEMPLATES = Path(__file__).parent / "templates"

# No script runs on these pages; nothing may frame them (clickjacking); forms post only here.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def templates() -> Environment:
    """Return the template environment (autoescaped: every value is text, never markup)."""
    return Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_ENVIRONMENT = templates()


def page(name: str, status: int = 200, **context: Any) -> web.Response:
    """Render ``templates/name`` as an HTML answer."""
    html = _ENVIRONMENT.get_template(name).render(**context)
    return web.Response(
        text=html, status=status, content_type="text/html", headers=SECURITY_HEADERS
    )


def fragment(name: str, **context: Any) -> Markup:
    """Render part of a page once, to be placed in pages as it is (already escaped)."""
    return Markup(_ENVIRONMENT.get_template(name).render(**context))


_MENTION = re.compile(r"<[@#]!?&?([A-Za-z0-9:_-]+)(?:\|([^>]*))?>")


def plain(chat_text: str) -> str:
    """Turn a chat reply's markup into plain text: bold marks and code ticks go, mentions show
    their name (or id), and the chat's escapes are undone (the template escapes again)."""
    text = _MENTION.sub(lambda m: m.group(2) or m.group(1), chat_text)
    text = text.replace("*", "").replace("`", "")
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
