"""A fake of Microsoft's side of Teams on 127.0.0.1: the OpenID metadata and signing keys, the
login endpoint that issues the bot's tokens, the Bot Connector (the activities' serviceUrl) and
Microsoft Graph's list of a team's members (``/graph``).

Incoming tokens are signed with a local RSA key listed at the metadata's ``jwks_uri``; every
connector call is recorded, and failures (429, 403, 503) can be scripted per call.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

APP_ID = "11111111-2222-3333-4444-555555555555"
TENANT = "99999999-8888-7777-6666-555555555555"
ISSUER = "https://api.botframework.com"
BOT_ID = f"28:{APP_ID}"
GROUP = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"  # the team's Microsoft 365 group
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
_GRAPH_PAGE = 2  # members per page, so that paging is exercised
KID = "local-key"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


SIGNING_KEY = _key()
OTHER_KEY = _key()  # a forger's


@dataclass
class Call:
    method: str
    path: str
    json: Any
    authorization: str | None
    status: int = 0  # the fake's answer


@dataclass
class Person:
    user_id: str  # "29:..."
    aad: str
    name: str
    upn: str


@dataclass
class FakeTeams:
    base_url: str = ""
    calls: list[Call] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    unreachable: set[str] = field(default_factory=set)  # user ids refused with 403
    # each connector call is given the first scripted answer whose test it passes
    scripted: list[tuple[Callable[[Call], bool], int, dict[str, str]]] = field(default_factory=list)
    tokens_issued: list[str] = field(default_factory=list)
    # the app's uploaded certificates, by thumbprint (x5t): a client assertion must verify with one
    certificates: dict[str, rsa.RSAPublicKey] = field(default_factory=dict)
    assertions_refused: list[str] = field(default_factory=list)
    graph_tokens: list[str] = field(default_factory=list)  # good for Graph only
    # Graph: each team's members (Entra object id -> roles); consent off answers 403
    team_members: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    graph_consent: bool = True
    graph_calls: list[str] = field(default_factory=list)  # the paths asked
    # Microsoft's published limits when set: 429 (Retry-After in whole seconds) beyond them
    enforce_limits: bool = False
    refused: int = 0
    _recent: dict[str, list[float]] = field(default_factory=dict)
    activities: dict[str, dict[str, Any]] = field(default_factory=dict)
    _ids: Any = field(default_factory=lambda: count(1))

    @property
    def service_url(self) -> str:
        return f"{self.base_url}/connector/"

    @property
    def graph_url(self) -> str:
        return f"{self.base_url}/graph/v1.0"

    @property
    def metadata_url(self) -> str:
        return f"{self.base_url}/openid"

    def person(self, letter: str) -> Person:
        """Return (adding on first use) the person named by a letter (a, b, ...)."""
        aad = f"00000000-0000-0000-0000-{ord(letter):012x}"
        person = Person(
            f"29:user-{letter}", aad, f"Person {letter.upper()}", f"{letter}@council.gov.uk"
        )
        self.people.setdefault(person.user_id, person)
        return self.people[person.user_id]

    def sign(self, **overrides: Any) -> str:
        """Return an incoming token as the Bot Framework signs it; ``overrides`` change claims."""
        key = overrides.pop("key", SIGNING_KEY)
        kid = overrides.pop("kid", KID)
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": APP_ID,
            "exp": now + 3600,
            "nbf": now - 60,
            "serviceurl": self.service_url,
            **overrides,
        }
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})

    def fail(
        self, status: int, when: Callable[[Call], bool], times: int = 1, **headers: str
    ) -> None:
        for _ in range(times):
            self.scripted.append((when, status, headers))

    def sent(self) -> list[Call]:
        """Every activity the connector accepted (replies, cards, channel posts)."""
        return [
            c
            for c in self.calls
            if c.method == "POST" and c.path.endswith("/activities") and c.status < 300
        ]

    # -- the web app --------------------------------------------------------------------------

    def web_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/openid", self._metadata)
        app.router.add_get("/keys", self._keys)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_route("*", "/connector/{tail:.*}", self._connector)
        app.router.add_get("/graph/v1.0/teams/{group}/members", self._graph_members)
        return app

    async def _metadata(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "issuer": ISSUER,
                "jwks_uri": f"{self.base_url}/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def _keys(self, request: web.Request) -> web.Response:
        jwk = json.loads(RSAAlgorithm.to_jwk(SIGNING_KEY.public_key()))
        jwk.update(kid=KID, use="sig", endorsements=["msteams"])
        return web.json_response({"keys": [jwk]})

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        if "client_assertion" in form:
            refused = self._assertion_refused(str(form["client_assertion"]), request)
            if refused is not None or form.get("client_id") != APP_ID:
                self.assertions_refused.append(refused or "client_id")
                return web.json_response({"error": "invalid_client"}, status=401)
        elif form.get("client_id") != APP_ID or form.get("client_secret") != "s3cret":
            return web.json_response({"error": "invalid_client"}, status=401)
        if form.get("scope") == GRAPH_SCOPE:
            token = f"graph-token-{len(self.graph_tokens) + 1}"
            self.graph_tokens.append(token)
        else:
            token = f"bot-token-{len(self.tokens_issued) + 1}"
            self.tokens_issued.append(token)
        return web.json_response(
            {"access_token": token, "expires_in": 3600, "token_type": "Bearer"}
        )

    def _assertion_refused(self, assertion: str, request: web.Request) -> str | None:
        """Check an RFC 7523 client assertion as Microsoft's login service does; say why not."""
        try:
            header = jwt.get_unverified_header(assertion)
            key = self.certificates.get(str(header.get("x5t")))
            if key is None:
                return "unknown certificate"
            claims = jwt.decode(
                assertion,
                key,
                algorithms=["RS256"],
                audience=f"{self.base_url}{request.path}",
                issuer=APP_ID,
                options={"require": ["exp", "jti", "sub", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            return type(error).__name__
        return None if claims["sub"] == APP_ID else "sub"

    async def _graph_members(self, request: web.Request) -> web.Response:
        """``GET /teams/{id}/members``, paged as Graph pages it (``@odata.nextLink``)."""
        self.graph_calls.append(request.path_qs)
        if request.headers.get("Authorization") not in {f"Bearer {t}" for t in self.graph_tokens}:
            return web.json_response({"error": {"code": "InvalidAuthenticationToken"}}, status=401)
        if not self.graph_consent:
            return web.json_response({"error": {"code": "Forbidden"}}, status=403)
        group = request.match_info["group"]
        if group not in self.team_members:
            return web.json_response({"error": {"code": "NotFound"}}, status=404)
        members = [
            {
                "@odata.type": "#microsoft.graph.aadUserConversationMember",
                "id": f"membership-{aad}",
                "roles": roles,
                "displayName": aad,
                "userId": aad,
                "tenantId": TENANT,
            }
            for aad, roles in self.team_members[group].items()
        ]
        skip = int(request.query.get("$skiptoken", "0"))
        page: dict[str, Any] = {"value": members[skip : skip + _GRAPH_PAGE]}
        if skip + _GRAPH_PAGE < len(members):
            page["@odata.nextLink"] = (
                f"{self.base_url}{request.path}?$skiptoken={skip + _GRAPH_PAGE}"
            )
        return web.json_response(page)

    async def _connector(self, request: web.Request) -> web.Response:
        response = await self._answer(request)
        self.calls[-1].status = response.status
        return response

    def _over_limit(self, path: str) -> int | None:
        """Count the call against the app's 50/s and its conversation's 7/s; say how long to wait."""
        now = time.monotonic()
        parts = path.strip("/").split("/")
        keys = [("app", 50)] + ([(parts[2], 7)] if len(parts) > 2 else [])
        for key, limit in keys:
            recent = [t for t in self._recent.get(key, []) if t > now - 1.0]
            self._recent[key] = recent
            if len(recent) >= limit:
                return max(1, math.ceil(recent[-limit] + 1.0 - now))
        for key, _ in keys:
            self._recent[key].append(now)
        return None

    async def _answer(self, request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else None
        path = "/" + request.match_info["tail"]
        call = Call(request.method, path, body, request.headers.get("Authorization"))
        self.calls.append(call)
        await asyncio.sleep(0)
        if call.authorization not in {f"Bearer {t}" for t in self.tokens_issued}:
            return web.json_response({"error": "unauthorized"}, status=401)
        if self.enforce_limits and (wait := self._over_limit(path)) is not None:
            self.refused += 1
            return web.json_response(
                {"error": {"code": "429"}}, status=429, headers={"Retry-After": str(wait)}
            )
        for position, (when, status, headers) in enumerate(self.scripted):
            if when(call):
                del self.scripted[position]
                return web.json_response(
                    {"error": {"code": str(status)}}, status=status, headers=headers
                )
        parts = path.strip("/").split("/")
        if request.method == "POST" and parts == ["v3", "conversations"]:
            user = body["members"][0]["id"]
            if user in self.unreachable:
                return web.json_response(
                    {"error": {"code": "BotNotInConversationRoster"}}, status=403
                )
            return web.json_response({"id": f"a:chat-{user}"}, status=201)
        if request.method == "POST" and parts[-1] == "activities":
            if parts[2] in {f"a:chat-{u}" for u in self.unreachable}:
                return web.json_response({"error": {"code": "Forbidden"}}, status=403)
            activity_id = f"act-{next(self._ids)}"
            self.activities[activity_id] = {"conversation": parts[2], **body}
            return web.json_response({"id": activity_id}, status=201)
        if request.method == "PUT" and len(parts) == 5:
            self.activities[parts[4]] = {"conversation": parts[2], **body}
            return web.json_response({"id": parts[4]})
        if request.method == "GET" and len(parts) == 5 and parts[3] == "members":
            person = self.people.get(parts[4])
            if person is None:
                return web.json_response({"error": {"code": "NotFound"}}, status=404)
            return web.json_response(
                {
                    "id": person.user_id,
                    "name": person.name,
                    "aadObjectId": person.aad,
                    "userPrincipalName": person.upn,
                    "tenantId": TENANT,
                }
            )
        return web.json_response({"error": "not faked"}, status=404)
