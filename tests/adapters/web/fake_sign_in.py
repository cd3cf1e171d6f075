"""A local stand-in for Slack's OpenID Connect endpoints and Discord's OAuth2 and REST API,
served over real HTTP on 127.0.0.1.

Its authorize pages sign in whoever the test says is at the keyboard (``next_slack_user``,
``next_discord_user``) and send the browser straight back, as the platform does once the person
has agreed. Codes are single-use; tokens answer only for the person they were issued to.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

SLACK_CLIENT = ("slack-client", "slack-secret")
DISCORD_CLIENT = ("discord-client", "discord-secret")
DISCORD_BOT_TOKEN = "discord-bot-token"


@dataclass(frozen=True)
class SlackUser:
    user_id: str
    team_id: str
    name: str


@dataclass
class FakeSignIn:
    next_slack_user: SlackUser = SlackUser("U1", "T1", "Ann Admin")
    next_discord_user: tuple[str, str] = ("111", "dina")
    # guild id -> user id -> role ids (absent user: not in that server)
    discord_roles: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # a token endpoint that lies about the nonce, as a replayed ID token would carry
    wrong_nonce: bool = False
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, Any] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/slack/openid/connect/authorize", self.slack_authorize)
        app.router.add_post("/slack/api/openid.connect.token", self.slack_token)
        app.router.add_post("/slack/api/openid.connect.userInfo", self.slack_user_info)
        app.router.add_get("/discord/oauth2/authorize", self.discord_authorize)
        app.router.add_post("/discord/api/oauth2/token", self.discord_token)
        app.router.add_get("/discord/api/users/@me", self.discord_me)
        app.router.add_get("/discord/api/guilds/{guild}/members/{user}", self.discord_member)
        return app

    def _back(self, request: web.Request, who: Any, client_id: str) -> web.Response:
        query = request.query
        assert query["client_id"] == client_id and query["response_type"] == "code"
        code = secrets.token_urlsafe(8)
        self.codes[code] = {
            "who": who,
            "nonce": query.get("nonce"),
            "redirect": query["redirect_uri"],
        }
        back = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        raise web.HTTPFound(back)

    def _take_code(self, form: Any, client: tuple[str, str]) -> dict[str, Any] | None:
        issued = self.codes.pop(str(form.get("code")), None)  # a code works once
        if (form.get("client_id"), form.get("client_secret")) != client:
            return None
        if issued is None or issued["redirect"] != form.get("redirect_uri"):
            return None
        return issued

    async def slack_authorize(self, request: web.Request) -> web.Response:
        self.calls.append("slack authorize")
        assert request.query["scope"] == "openid profile" and request.query["nonce"]
        return self._back(request, self.next_slack_user, SLACK_CLIENT[0])

    async def slack_token(self, request: web.Request) -> web.Response:
        self.calls.append("slack token")
        issued = self._take_code(await request.post(), SLACK_CLIENT)
        if issued is None:
            return web.json_response({"ok": False, "error": "invalid_code"})
        user: SlackUser = issued["who"]
        claims = {
            "iss": "https://slack.com",
            "sub": user.user_id,
            "aud": SLACK_CLIENT[0],
            "exp": int(time.time()) + 300,
            "nonce": "someone-else" if self.wrong_nonce else issued["nonce"],
            "https://slack.com/team_id": user.team_id,
        }
        body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
        access = secrets.token_urlsafe(8)
        self.tokens[access] = user
        id_token = f"eyJhbGciOiJSUzI1NiJ9.{body}.c2lnbmF0dXJl"
        return web.json_response({"ok": True, "access_token": access, "id_token": id_token})

    async def slack_user_info(self, request: web.Request) -> web.Response:
        self.calls.append("slack userInfo")
        user = self.tokens.get(request.headers.get("Authorization", "").removeprefix("Bearer "))
        if not isinstance(user, SlackUser):
            return web.json_response({"ok": False, "error": "invalid_auth"})
        return web.json_response(
            {
                "ok": True,
                "sub": user.user_id,
                "https://slack.com/user_id": user.user_id,
                "https://slack.com/team_id": user.team_id,
                "name": user.name,
            }
        )

    async def discord_authorize(self, request: web.Request) -> web.Response:
        self.calls.append("discord authorize")
        assert request.query["scope"] == "identify"
        return self._back(request, self.next_discord_user, DISCORD_CLIENT[0])

    async def discord_token(self, request: web.Request) -> web.Response:
        form = await request.post()
        issued = self._take_code(form, DISCORD_CLIENT)
        if issued is None or form.get("grant_type") != "authorization_code":
            return web.json_response({"error": "invalid_grant"}, status=400)
        access = secrets.token_urlsafe(8)
        self.tokens[access] = issued["who"]
        return web.json_response({"access_token": access, "token_type": "Bearer"})

    async def discord_me(self, request: web.Request) -> web.Response:
        who = self.tokens.get(request.headers.get("Authorization", "").removeprefix("Bearer "))
        if not isinstance(who, tuple):
            return web.json_response({"message": "401: Unauthorized"}, status=401)
        return web.json_response({"id": who[0], "username": who[1], "global_name": who[1].title()})

    async def discord_member(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bot {DISCORD_BOT_TOKEN}":
            return web.json_response({"message": "401: Unauthorized"}, status=401)
        roles = self.discord_roles.get(request.match_info["guild"], {})
        user = request.match_info["user"]
        if user not in roles:
            return web.json_response({"message": "Unknown Member", "code": 10007}, status=404)
        return web.json_response({"user": {"id": user}, "roles": roles[user]})
