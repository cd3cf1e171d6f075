"""Sign in with Discord: OAuth2's authorization code flow with the ``identify`` scope.

Discord vouches only for who the person is; the bot then asks, with its own token, which roles
they hold in each server it serves, so the community's admin role counts as it does in chat.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

import aiohttp

from adapters.web.config import DiscordSignIn
from adapters.web.sign_in.identity import Identity, SignInFailed, json_from

__all__ = ["authorize_url", "identify", "roles_in"]

_PREFIX = "discord:"


def authorize_url(config: DiscordSignIn, state: str, redirect_uri: str) -> str:
    """Return where to send the person to sign in."""
    query = {
        "response_type": "code",
        "scope": "identify",
        "client_id": config.client_id,
        "state": state,
        "redirect_uri": redirect_uri,
        "prompt": "none",
    }
    return f"{config.authorize_url}?{urlencode(query)}"


async def identify(
    http: aiohttp.ClientSession, config: DiscordSignIn, code: str, redirect_uri: str
) -> Identity:
    """Trade the code for a token and ask Discord who signed in."""
    base = config.api_base_url.rstrip("/")
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": config.client_id,
        "client_secret": config.client_secret,
    }
    async with http.post(f"{base}/oauth2/token", data=form) as response:
        tokens = await json_from(response, "Discord's token endpoint")
    if not tokens.get("access_token"):
        raise SignInFailed(f"Discord refused the sign-in: {tokens.get('error', 'no token')}")
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    async with http.get(f"{base}/users/@me", headers=headers) as response:
        user = await json_from(response, "Discord's users/@me endpoint")
    if not user.get("id"):
        raise SignInFailed("Discord did not say who signed in")
    name = user.get("global_name") or user.get("username") or user["id"]
    return Identity(str(user["id"]), str(name))


async def roles_in(
    http: aiohttp.ClientSession, config: DiscordSignIn, user_id: str, community_ids: Iterable[str]
) -> dict[str, tuple[str, ...]]:
    """Return the person's role ids in each Discord community they belong to (others left out)."""
    found: dict[str, tuple[str, ...]] = {}
    for community_id in community_ids:
        if not community_id.startswith(_PREFIX):
            continue
        if config.bot_token is None:  # without the bot's token, roles cannot be read
            found[community_id] = ()
            continue
        guild = community_id.removeprefix(_PREFIX)
        headers = {"Authorization": f"Bot {config.bot_token}"}
        url = f"{config.api_base_url.rstrip('/')}/guilds/{guild}/members/{user_id}"
        async with http.get(url, headers=headers) as response:
            if response.status == 404:  # not in that server
                continue
            member = await json_from(response, "Discord's guild member endpoint")
        found[community_id] = tuple(str(role) for role in member.get("roles", ()))
    return found
