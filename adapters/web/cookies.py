"""The dashboard's two cookies, both signed with the session secret.

``unmentor_session`` holds a random session token (looked up in the database, so signing out
ends it for good); ``unmentor_sign_in`` holds a sign-in's ``state`` and ``nonce`` for ten
minutes. Both are HttpOnly and SameSite=Lax, and Secure when the dashboard is served over HTTPS.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from itsdangerous import BadSignature, Signer, URLSafeTimedSerializer

from adapters.web.config import DashboardConfig

__all__ = ["SESSION_COOKIE", "SIGN_IN_COOKIE", "CookieJar"]

SESSION_COOKIE = "unmentor_session"
SIGN_IN_COOKIE = "unmentor_sign_in"


class CookieJar:
    """Sign, set, read and clear the dashboard's cookies."""

    def __init__(self, config: DashboardConfig) -> None:
        self._config = config
        self._session = Signer(config.session_secret, salt="unmentor-dashboard-session")
        self._sign_in = URLSafeTimedSerializer(config.session_secret, salt="unmentor-sign-in")

    def _set(self, response: web.StreamResponse, name: str, value: str, max_age: int) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path="/dashboard",
            httponly=True,
            samesite="Lax",
            secure=self._config.secure,
        )

    def session_value(self, token: str) -> str:
        """Return the session cookie's content for ``token``: the token and its signature."""
        return self._session.sign(token).decode()

    def set_session(self, response: web.StreamResponse, token: str) -> None:
        seconds = int(self._config.session_lasts.total_seconds())
        self._set(response, SESSION_COOKIE, self.session_value(token), seconds)

    def session_token(self, request: web.Request) -> str | None:
        """Return the session token when the cookie carries one this server signed."""
        value = request.cookies.get(SESSION_COOKIE)
        if not value:
            return None
        try:
            return self._session.unsign(value).decode()
        except BadSignature:
            return None

    def set_sign_in(self, response: web.StreamResponse, pending: dict[str, str]) -> None:
        seconds = int(self._config.sign_in_lasts.total_seconds())
        self._set(response, SIGN_IN_COOKIE, self._sign_in.dumps(pending), seconds)

    def sign_in(self, request: web.Request) -> dict[str, Any] | None:
        """Return the sign-in under way (state, nonce, provider), or None when absent or stale."""
        value = request.cookies.get(SIGN_IN_COOKIE)
        if not value:
            return None
        seconds = int(self._config.sign_in_lasts.total_seconds())
        try:
            loaded = self._sign_in.loads(value, max_age=seconds)
        except BadSignature:  # SignatureExpired is one too
            return None
        return loaded if isinstance(loaded, dict) else None

    def clear(self, response: web.StreamResponse, name: str) -> None:
        response.del_cookie(name, path="/dashboard")
