"""Who gets in and what they can touch: sign-in checks, sessions, CSRF, one community apart
from another. Everything over HTTP, the platforms faked on 127.0.0.1."""

from __future__ import annotations

import re

import pytest
from aiohttp import web
from yarl import URL

from adapters.web.config import DashboardConfig
from adapters.web.cookies import SESSION_COOKIE, SIGN_IN_COOKIE, CookieJar
from pairing_core.programme import GENERAL
from pairing_core.services.where import load_where
from tests.adapters.web.conftest import GUILD, Dashboard
from tests.adapters.web.fake_sign_in import SlackUser


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form token"
    return found[1]


async def settings_of(dashboard: Dashboard, community: str) -> object:
    services = dashboard.services()
    async with services.uow:
        return (await load_where(services.uow, community, GENERAL)).programme.settings


class TestSignInWithSlack:
    async def test_an_admin_signs_in_and_sees_their_community_only(
        self, dashboard: Dashboard
    ) -> None:
        async with dashboard.client() as client:
            html = await dashboard.sign_in(client)
            assert "Your communities" in html and "Devon Network" in html
            assert "Leeds Network" not in html and "Cornwall" not in html
            assert dashboard.fake.calls == ["slack authorize", "slack token", "slack userInfo"]
            async with client.get(dashboard.page("T1")) as response:
                assert response.status == 200
                assert "Figures over rounds" in await response.text()

    async def test_the_session_cookie_is_http_only_and_lax(self, dashboard: Dashboard) -> None:
        async with dashboard.client() as client:
            async with client.get(
                f"{dashboard.url}/dashboard/sign-in/slack", allow_redirects=False
            ) as response:
                started = response.headers.getall("Set-Cookie")
            async with client.get(response.headers["Location"], allow_redirects=False) as fake:
                back = fake.headers["Location"]
            async with client.get(back, allow_redirects=False) as response:
                assert response.status == 303
                cookies = response.headers.getall("Set-Cookie")
        for header in [*started, *cookies]:
            if not header.startswith(f'{SIGN_IN_COOKIE}=""'):
                assert "HttpOnly" in header and "SameSite=Lax" in header
                assert "Secure" not in header  # served over http://127.0.0.1 here
        assert any(h.startswith(SESSION_COOKIE + "=") for h in cookies)

    async def test_a_member_who_is_not_an_admin_is_refused(self, dashboard: Dashboard) -> None:
        dashboard.fake.next_slack_user = SlackUser("M1", "T1", "Member One")
        async with dashboard.client() as client:
            async with client.get(f"{dashboard.url}/dashboard/sign-in/slack") as response:
                assert response.status == 403
                assert "not an admin" in await response.text()
            assert SESSION_COOKIE not in {c.key for c in client.cookie_jar}
            async with client.get(dashboard.page("T1")) as response:
                assert response.status == 401

    async def test_a_callback_whose_state_was_not_issued_here_is_refused(
        self, dashboard: Dashboard
    ) -> None:
        async with dashboard.client() as client:
            async with client.get(
                f"{dashboard.url}/dashboard/sign-in/slack", allow_redirects=False
            ) as response:
                authorize = URL(response.headers["Location"])
            forged = authorize.update_query(state="made-up-by-an-attacker")
            async with client.get(forged) as response:
                assert response.status == 400
                assert "not started here" in await response.text()
            assert "slack token" not in dashboard.fake.calls  # the code was never traded

    async def test_a_sign_in_callback_without_its_cookie_is_refused(
        self, dashboard: Dashboard
    ) -> None:
        async with dashboard.client() as starter, dashboard.client() as victim:
            async with starter.get(
                f"{dashboard.url}/dashboard/sign-in/slack", allow_redirects=False
            ) as response:
                authorize = response.headers["Location"]
            async with starter.get(authorize, allow_redirects=False) as response:
                callback = response.headers["Location"]
            # login CSRF: the attacker's callback link opened in someone else's browser
            async with victim.get(callback) as response:
                assert response.status == 400
            assert SESSION_COOKIE not in {c.key for c in victim.cookie_jar}

    async def test_an_id_token_for_another_sign_in_is_refused(self, dashboard: Dashboard) -> None:
        dashboard.fake.wrong_nonce = True
        async with dashboard.client() as client:
            async with client.get(f"{dashboard.url}/dashboard/sign-in/slack") as response:
                assert response.status == 403
                assert "nonce" in await response.text()
            assert SESSION_COOKIE not in {c.key for c in client.cookie_jar}


class TestSignInWithDiscord:
    async def test_the_admin_role_holder_sees_the_server(self, dashboard: Dashboard) -> None:
        async with dashboard.client() as client:
            html = await dashboard.sign_in(client, "discord")
            assert "Cornwall Server" in html and "Devon Network" not in html
            async with client.get(dashboard.page(f"discord:{GUILD}")) as response:
                assert response.status == 200
            async with client.get(dashboard.page("T1")) as response:
                assert response.status == 403

    async def test_a_member_without_the_role_is_refused(self, dashboard: Dashboard) -> None:
        dashboard.fake.next_discord_user = ("222", "rory")
        async with dashboard.client() as client:
            async with client.get(f"{dashboard.url}/dashboard/sign-in/discord") as response:
                assert response.status == 403
            async with client.get(dashboard.page(f"discord:{GUILD}")) as response:
                assert response.status == 401


class TestOneCommunityApartFromAnother:
    @pytest.mark.parametrize("rest", ["", "/chart.png", "/report.csv", "/report.json"])
    async def test_an_admin_cannot_read_another_communitys_pages(
        self, dashboard: Dashboard, rest: str
    ) -> None:
        async with dashboard.client() as client:
            await dashboard.sign_in(client)
            async with client.get(dashboard.page("T2", rest=rest)) as response:
                assert response.status == 403
                body = await response.text()
            assert "Leeds" not in body and "Councils" not in body

    @pytest.mark.parametrize("form", ["settings", "round-now", "skip"])
    async def test_an_admin_cannot_change_another_community_by_form(
        self, dashboard: Dashboard, form: str
    ) -> None:
        before = await settings_of(dashboard, "T2")
        async with dashboard.client() as client:
            await dashboard.sign_in(client)
            async with client.get(dashboard.page("T1")) as response:
                token = csrf_of(await response.text())
            async with client.post(
                dashboard.page("T2", rest=f"/{form}"),
                data={"csrf": token, "cadence": "weekly", "size": "3"},
            ) as response:
                assert response.status == 403
        assert await settings_of(dashboard, "T2") == before
        services = dashboard.services()
        async with services.uow:
            assert [r.number for r in await services.uow.rounds.list("T2", GENERAL)] == [1, 2]


class TestSessions:
    async def test_a_forged_session_cookie_is_refused(self, dashboard: Dashboard) -> None:
        async with dashboard.client() as client:
            await dashboard.sign_in(client)
            real = next(c for c in client.cookie_jar if c.key == SESSION_COOKIE).value
            token, _, signature = real.rpartition(".")
            for forged in (f"{token}.{'A' * len(signature)}", "made-up.value", real[:-2] + "xx"):
                async with dashboard.client() as other:
                    other.cookie_jar.update_cookies({SESSION_COOKIE: forged}, URL(dashboard.url))
                    async with other.get(dashboard.page("T1")) as response:
                        assert response.status == 401, forged

    async def test_a_session_replayed_after_sign_out_is_refused(self, dashboard: Dashboard) -> None:
        async with dashboard.client() as client:
            html = await dashboard.sign_in(client)
            copied = next(c for c in client.cookie_jar if c.key == SESSION_COOKIE).value
            async with client.post(
                f"{dashboard.url}/dashboard/sign-out", data={"csrf": csrf_of(html)}
            ) as response:
                assert "Sign in with Slack" in await response.text()
        async with dashboard.client() as thief:
            thief.cookie_jar.update_cookies({SESSION_COOKIE: copied}, URL(dashboard.url))
            async with thief.get(dashboard.page("T1")) as response:
                assert response.status == 401

    async def test_a_session_past_its_eight_hours_is_refused(self, dashboard: Dashboard) -> None:
        async with dashboard.client() as client:
            await dashboard.sign_in(client)
            dashboard.clock.advance(hours=7, minutes=59)
            async with client.get(dashboard.page("T1")) as response:
                assert response.status == 200
            dashboard.clock.advance(minutes=2)
            async with client.get(dashboard.page("T1")) as response:
                assert response.status == 401


class TestCsrf:
    @pytest.mark.parametrize("token", [None, "", "wrong-token"])
    @pytest.mark.parametrize("form", ["settings", "round-now", "skip", "sign-out"])
    async def test_every_form_without_its_token_is_refused(
        self, dashboard: Dashboard, form: str, token: str | None
    ) -> None:
        before = await settings_of(dashboard, "T1")
        async with dashboard.client() as client:
            await dashboard.sign_in(client)
            url = (
                f"{dashboard.url}/dashboard/sign-out"
                if form == "sign-out"
                else dashboard.page("T1", rest=f"/{form}")
            )
            data = {"cadence": "weekly"} | ({} if token is None else {"csrf": token})
            async with client.post(url, data=data) as response:
                assert response.status == 403
                assert "did not come from your dashboard" in await response.text()
            async with client.get(dashboard.page("T1")) as response:
                assert response.status == 200  # still signed in: sign-out was refused too
        assert await settings_of(dashboard, "T1") == before


class TestCookiesBehindHttps:
    def test_they_are_secure_when_the_public_address_is_https(self) -> None:
        jar = CookieJar(DashboardConfig("https://unmentor.example.org", "s" * 40))
        response = web.Response()
        jar.set_session(response, "token")
        jar.set_sign_in(response, {"state": "x"})
        for cookie in response.cookies.values():
            assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
            assert cookie["path"] == "/dashboard"
