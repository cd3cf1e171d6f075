"""Signing in (Slack's OpenID Connect, Discord's OAuth2) and out."""

from __future__ import annotations

import hmac
import secrets

from aiohttp import web

from adapters.web.cookies import SESSION_COOKIE, SIGN_IN_COOKIE
from adapters.web.deps import DashboardDeps
from adapters.web.directory import run_by
from adapters.web.guard import Refused, answering_refusals, checked_form
from adapters.web.people import Person
from adapters.web.render import SECURITY_HEADERS
from adapters.web.sign_in import discord, slack
from adapters.web.sign_in.identity import Identity, SignInFailed

__all__ = ["routes"]

HOME = "/dashboard/"


def _redirect(location: str) -> web.Response:
    return web.Response(status=303, headers={**SECURITY_HEADERS, "Location": location})


def routes(deps: DashboardDeps) -> list[web.RouteDef]:
    config = deps.config

    async def start(request: web.Request) -> web.StreamResponse:
        provider = request.match_info["provider"]
        state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        redirect_uri = config.callback(provider)
        if provider == "slack" and config.slack is not None:
            url = slack.authorize_url(config.slack, state, nonce, redirect_uri)
        elif provider == "discord" and config.discord is not None:
            url = discord.authorize_url(config.discord, state, redirect_uri)
        else:
            raise Refused(404, "No such sign-in", f"Signing in with {provider} is not set up.")
        response = _redirect(url)
        deps.cookies.set_sign_in(response, {"provider": provider, "state": state, "nonce": nonce})
        return response

    async def _identify(provider: str, code: str, nonce: str) -> Person:
        redirect_uri = config.callback(provider)
        http = deps.client()
        identity: Identity
        if provider == "slack" and config.slack is not None:
            identity = await slack.identify(http, config.slack, code, redirect_uri, nonce)
            assert identity.community_id is not None
            return Person("slack", identity.user_id, identity.name, {identity.community_id: ()})
        if provider == "discord" and config.discord is not None:
            identity = await discord.identify(http, config.discord, code, redirect_uri)
            async with deps.new_services().uow as uow:
                ids = [c.id for c in await uow.communities.list() if c.platform == "discord"]
            roles = await discord.roles_in(http, config.discord, identity.user_id, ids)
            return Person("discord", identity.user_id, identity.name, roles)
        raise Refused(404, "No such sign-in", f"Signing in with {provider} is not set up.")

    async def callback(request: web.Request) -> web.StreamResponse:
        provider = request.match_info["provider"]
        pending = deps.cookies.sign_in(request)
        state = request.query.get("state", "")
        if (
            pending is None
            or pending.get("provider") != provider
            or not hmac.compare_digest(state.encode(), str(pending.get("state", "")).encode())
        ):
            raise Refused(
                400,
                "Sign-in refused",
                "This sign-in was not started here, or took over ten minutes: start again.",
            )
        code = request.query.get("code")
        if not code:
            why = request.query.get("error") or "no code"
            raise Refused(403, "Sign-in cancelled", f"The platform did not sign you in ({why}).")
        try:
            person = await _identify(provider, code, str(pending.get("nonce", "")))
        except SignInFailed as failure:
            raise Refused(403, "Sign-in refused", str(failure)) from None
        if not await run_by(person, deps.new_services()):
            raise Refused(
                403,
                "Not an admin",
                "You are signed in, but you are not an admin of any UnMentoring programme here. "
                "An admin can make you one with `/unmentor admin settings add-admin @you`.",
            )
        token = await deps.sessions.start(person.as_json(), config.session_lasts)
        response = _redirect(HOME)
        deps.cookies.clear(response, SIGN_IN_COOKIE)
        deps.cookies.set_session(response, token)
        return response

    async def sign_out(request: web.Request) -> web.StreamResponse:
        await checked_form(deps, request)
        token = deps.cookies.session_token(request)
        if token is not None:
            await deps.sessions.end(token)
        response = _redirect(HOME)
        deps.cookies.clear(response, SESSION_COOKIE)
        return response

    return [
        web.get("/dashboard/sign-in/{provider}", answering_refusals(start)),
        web.get("/dashboard/sign-in/{provider}/callback", answering_refusals(callback)),
        web.post("/dashboard/sign-out", answering_refusals(sign_out)),
    ]
