"""Sign in with Slack: OpenID Connect's authorization code flow.

The ID token comes straight from Slack's token endpoint over TLS, so (as OpenID Connect Core
3.1.3.7 allows) its signature is not checked; its audience, expiry and ``nonce`` are, so a token
issued for another app or another sign-in is refused.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp

from adapters.web.config import SlackSignIn
from adapters.web.sign_in.identity import Identity, SignInFailed, json_from

__all__ = ["authorize_url", "identify"]


def authorize_url(config: SlackSignIn, state: str, nonce: str, redirect_uri: str) -> str:
    """Return where to send the person to sign in."""
    query = {
        "response_type": "code",
        "scope": "openid profile",
        "client_id": config.client_id,
        "state": state,
        "nonce": nonce,
        "redirect_uri": redirect_uri,
    }
    return f"{config.authorize_url}?{urlencode(query)}"


def _claims(id_token: str) -> dict[str, Any]:
    try:
        payload = id_token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        raise SignInFailed("Slack's ID token is not a JWT") from None
    if not isinstance(claims, dict):
        raise SignInFailed("Slack's ID token holds no claims")
    return claims


def _check(claims: dict[str, Any], config: SlackSignIn, nonce: str) -> None:
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if config.client_id not in audiences:
        raise SignInFailed("Slack's ID token was issued to another app")
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] < time.time():
        raise SignInFailed("Slack's ID token has expired")
    if claims.get("nonce") != nonce:
        raise SignInFailed("Slack's ID token belongs to another sign-in (nonce)")


async def identify(
    http: aiohttp.ClientSession, config: SlackSignIn, code: str, redirect_uri: str, nonce: str
) -> Identity:
    """Trade the code for tokens, check the ID token, and ask Slack who signed in."""
    base = config.api_base_url.rstrip("/") + "/"
    form = {
        "client_id": config.client_id,
        "client_secret": config.client_secret,
        "code": code,
        "redirect_uri": redirect_uri,
    }
    async with http.post(base + "openid.connect.token", data=form) as response:
        tokens = await json_from(response, "Slack's token endpoint")
    if not tokens.get("ok") or not tokens.get("access_token") or not tokens.get("id_token"):
        raise SignInFailed(f"Slack refused the sign-in: {tokens.get('error', 'no tokens')}")
    _check(_claims(str(tokens["id_token"])), config, nonce)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    async with http.post(base + "openid.connect.userInfo", headers=headers) as response:
        info = await json_from(response, "Slack's userInfo endpoint")
    user, team = info.get("https://slack.com/user_id"), info.get("https://slack.com/team_id")
    if not info.get("ok") or not user or not team:
        raise SignInFailed(f"Slack did not say who signed in: {info.get('error', 'no user')}")
    return Identity(str(user), str(info.get("name") or user), str(team))
