"""What an admin sees and does on the programme page: figures, takeaways, members, settings,
rounds and downloads, each the same as the chat command or `unmentor report` gives."""

from __future__ import annotations

import html
import subprocess
import sys

import aiohttp
import pytest
from aiohttp import web

from adapters.web.app import add_dashboard_off
from bot.config import Settings
from pairing_core import commands as c
from pairing_core.dispatch import handle
from pairing_core.programme import GENERAL, Cadence
from pairing_core.services.context import Actor
from pairing_core.services.outcome_figures import experiment_figures
from pairing_core.services.where import load_where
from tests.adapters.web.conftest import Dashboard, free_port
from tests.adapters.web.test_dashboard_security import csrf_of
from tests.cli.test_command_line import clean_environment


async def signed_in_page(dashboard: Dashboard, client: object) -> str:
    await dashboard.sign_in(client)  # type: ignore[arg-type]
    async with client.get(dashboard.page("T1")) as response:  # type: ignore[attr-defined]
        assert response.status == 200
        return str(await response.text())


class TestProgrammePage:
    async def test_it_shows_figures_public_takeaways_and_members_but_nothing_private(
        self, dashboard: Dashboard
    ) -> None:
        async with dashboard.client() as client:
            page = html.unescape(await signed_in_page(dashboard, client))
            async with client.get(dashboard.page("T1", rest="/chart.png")) as response:
                assert response.content_type == "image/png"
                assert (await response.read()).startswith(b"\x89PNG")
        assert "Figures per round" in page and '<th scope="row">1</th>' in page
        assert "Councils share more than we think" in page
        assert "Member 0" in page and ">active<" in page
        assert "PRIVATE-NOTE" not in page  # a private takeaway
        assert "secret-contact" not in page and "org1" not in page  # contact notes, organisations

    async def test_it_gives_the_experiments_answer_in_the_cores_words(
        self, dashboard: Dashboard
    ) -> None:
        answer = await experiment_figures(dashboard.services(), "T1", GENERAL)
        async with dashboard.client() as client:
            page = html.unescape(await signed_in_page(dashboard, client))
        assert "The experiment's answer" in page
        assert answer.sentence.startswith("Not enough answers yet") and answer.sentence in page
        for comparison in answer.comparisons:
            assert f'<th scope="row">{comparison.name}</th>' in page

    async def test_a_settings_change_is_saved_and_the_next_round_moves(
        self, dashboard: Dashboard
    ) -> None:
        async with dashboard.client() as client:
            page = await signed_in_page(dashboard, client)
            async with client.post(
                dashboard.page("T1", rest="/settings"),
                data={"csrf": csrf_of(page), "cadence": "weekly", "weekday": "thursday",
                      "time": "09:30"},
            ) as response:  # fmt: skip
                assert response.status == 200
                assert "Settings saved." in await response.text()
        services = dashboard.services()
        async with services.uow:
            settings = (await load_where(services.uow, "T1", GENERAL)).programme.settings
        assert (settings.cadence, settings.weekday) == (Cadence.WEEKLY, 3)

    @pytest.mark.parametrize(
        ("field", "value"),
        [("time", "25:99"), ("timezone", "Mars/Olympus"), ("nudge", "soon"), ("size", "7")],
    )
    async def test_a_wrong_value_gets_the_chat_commands_own_sentence(
        self, dashboard: Dashboard, field: str, value: str
    ) -> None:
        chat = await handle(
            c.ChangeSettings({field: value}, programme_id=GENERAL),
            Actor("U1", "Ann Admin"),
            "T1",
            dashboard.services(),
        )
        async with dashboard.client() as client:
            page = await signed_in_page(dashboard, client)
            async with client.post(
                dashboard.page("T1", rest="/settings"), data={"csrf": csrf_of(page), field: value}
            ) as response:
                assert response.status == 400
                shown = html.unescape(await response.text())
        assert chat.text.replace("`", "") in shown
        assert f'value="{value}"' in shown  # what was typed stays in the box, to correct it

    async def test_round_now_and_skip_run_the_admin_commands(self, dashboard: Dashboard) -> None:
        async with dashboard.client() as client:
            page = await signed_in_page(dashboard, client)
            async with client.post(
                dashboard.page("T1", rest="/skip"), data={"csrf": csrf_of(page)}
            ) as response:
                assert "Round 2 is skipped." in await response.text()
            async with client.post(
                dashboard.page("T1", rest="/round-now"), data={"csrf": csrf_of(page)}
            ) as response:
                shown = await response.text()
        assert "Round 3 has started: 3 groups, 6 people" in shown
        assert '<th scope="row">3</th>' in shown  # the figures were read again, not kept


class TestDownloads:
    @pytest.mark.parametrize("form", ["csv", "json"])
    @pytest.mark.parametrize("what", ["report", "experiment"])
    async def test_they_are_byte_for_byte_what_unmentor_report_prints(
        self, dashboard: Dashboard, form: str, what: str
    ) -> None:
        async with dashboard.client() as client:
            await dashboard.sign_in(client)
            async with client.get(dashboard.page("T1", rest=f"/{what}.{form}")) as response:
                assert response.status == 200
                assert "attachment" in response.headers["Content-Disposition"]
                downloaded = await response.read()
        printed = subprocess.run(
            [sys.executable, "-c", "from bot.cli import main; main()", "report",
             "--community", "T1", "--programme", "general", "--format", form,
             "--database-url", dashboard.database_url,
             *(["--experiment"] if what == "experiment" else [])],
            capture_output=True, timeout=120, env=clean_environment(), check=True,
        ).stdout  # fmt: skip
        assert downloaded == printed


class TestDashboardOff:
    async def test_without_its_settings_it_says_how_to_turn_it_on(self) -> None:
        problem = Settings(public_url=None, session_secret=None).dashboard_problem
        assert problem is not None
        app = web.Application()
        add_dashboard_off(app, problem)
        runner = web.AppRunner(app)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            async with aiohttp.ClientSession() as client:
                for path in ("/dashboard", "/dashboard/c/T1/p/general"):
                    async with client.get(f"http://127.0.0.1:{port}{path}") as response:
                        assert response.status == 503
                        text = await response.text()
                        assert "UNMENTOR_PUBLIC_URL" in text and "UNMENTOR_SESSION_SECRET" in text

        finally:
            await runner.cleanup()

    def test_a_short_session_secret_is_not_enough(self) -> None:
        settings = Settings(public_url="https://bot.example.org", session_secret="short")
        assert "at least 32 characters" in str(settings.dashboard_problem)
        settings = Settings(public_url="https://bot.example.org", session_secret="x" * 32)
        assert settings.dashboard_problem is None
