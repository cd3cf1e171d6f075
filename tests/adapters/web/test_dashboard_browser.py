"""The dashboard in a real browser: Debian's chromium driven by Playwright signs in against the
fake Slack, reads the programme page, changes a setting and downloads the figures, with
JavaScript off (the dashboard needs none); axe-core then checks each page for accessibility.

Screenshots go to ``artefacts/browser/`` (git-ignored; CI keeps them as artefacts).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from pairing_core.outcome_formats import render
from pairing_core.programme import GENERAL, Cadence
from pairing_core.services.outcome_figures import experiment_figures, outcome_report
from pairing_core.services.where import load_where
from tests.adapters.web.conftest import Dashboard

CHROMIUM = Path("/usr/bin/chromium")
AXE_VERSION = "4.14.1"
SHOTS = Path(__file__).resolve().parents[3] / "artefacts" / "browser"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed here (apt-get install -y chromium; .ci/run "
        "installs it, so CI always runs this test)",
    ),
]

playwright_api = pytest.importorskip("playwright.async_api")


@pytest.fixture(scope="session")
def axe_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return axe-core's ``axe.min.js``, fetched from npm (never kept in the repository)."""
    if given := os.environ.get("UNMENTOR_AXE_JS"):
        return Path(given)
    where = tmp_path_factory.mktemp("axe")
    npm = shutil.which("npm")
    assert npm, "npm is needed to fetch axe-core (.ci/run installs it)"
    subprocess.run(
        [npm, "pack", f"axe-core@{AXE_VERSION}", "--silent"],
        cwd=where, check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with tarfile.open(where / f"axe-core-{AXE_VERSION}.tgz") as packed:
        packed.extract("package/axe.min.js", where, filter="data")
    return where / "package" / "axe.min.js"


@pytest_asyncio.fixture
async def chromium() -> AsyncIterator[object]:
    async with playwright_api.async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield browser
        finally:
            await browser.close()


async def serious_violations(
    browser: object,
    url: str,
    cookies: list[object],
    axe: Path,
    then: Callable[[Any], Awaitable[None]] | None = None,
) -> list[str]:
    """Open ``url`` with JavaScript on (axe needs it), do ``then`` on it if given, and return the
    serious or critical findings."""
    # the pages forbid every script by CSP; the checker's own is let in, as a tester's would be
    context = await browser.new_context(bypass_csp=True)  # type: ignore[attr-defined]
    try:
        await context.add_cookies(cookies)
        page = await context.new_page()
        await page.goto(url)
        if then is not None:
            await then(page)
        await page.add_script_tag(path=str(axe))
        found = await page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
        )
    finally:
        await context.close()
    return [f"{v['id']} ({v['impact']}): {v['nodes']}" for v in found
            if v["impact"] in ("serious", "critical")]  # fmt: skip


async def test_an_admin_signs_in_changes_a_setting_and_downloads_the_figures(
    dashboard: Dashboard, chromium: object, axe_script: Path
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = await chromium.new_context(  # type: ignore[attr-defined]
        java_script_enabled=False, accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    checked: dict[str, list[str]] = {}
    try:
        page = await context.new_page()
        await page.goto(f"{dashboard.url}/dashboard/")
        await page.screenshot(path=SHOTS / "1-sign-in.png")
        checked["sign-in"] = await serious_violations(chromium, page.url, [], axe_script)

        await page.get_by_role("link", name="Sign in with Slack").click()
        await page.get_by_role("heading", name="Your communities").wait_for()
        await page.screenshot(path=SHOTS / "2-communities.png")
        cookies = await context.cookies()
        checked["communities"] = await serious_violations(chromium, page.url, cookies, axe_script)

        await page.get_by_role("link", name="general").click()
        await page.get_by_role("heading", name="Figures over rounds").wait_for()
        await page.wait_for_load_state("load")  # the chart is drawn while the page waits
        await page.screenshot(path=SHOTS / "3-programme.png", full_page=True)
        programme_url = page.url
        checked["programme"] = await serious_violations(chromium, page.url, cookies, axe_script)

        await page.get_by_label("Cadence").select_option("weekly")
        await page.get_by_label("Time", exact=True).fill("10:15")
        await page.get_by_role("button", name="Save settings").click()
        await page.get_by_role("status").filter(has_text="Settings saved.").wait_for()
        await page.screenshot(path=SHOTS / "4-settings-saved.png")

        await page.get_by_label("Time", exact=True).fill("25:00")
        await page.get_by_role("button", name="Save settings").click()
        await page.get_by_role("alert").filter(has_text="24-hour time").wait_for()
        await page.screenshot(path=SHOTS / "5-settings-refused.png")

        async def refused_setting(page: Any) -> None:
            await page.get_by_label("Time", exact=True).fill("25:00")
            await page.get_by_role("button", name="Save settings").click()
            await page.get_by_role("alert").wait_for()

        checked["settings refused"] = await serious_violations(
            chromium, programme_url, cookies, axe_script, refused_setting
        )

        async with page.expect_download() as waiting:
            await page.get_by_role("link", name="CSV of the figures").click()
        download = await waiting.value
        downloaded = Path(await download.path()).read_bytes()

        phone = await chromium.new_context(  # type: ignore[attr-defined]
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
        )
        await phone.add_cookies(cookies)
        small = await phone.new_page()
        response = await small.goto(programme_url, wait_until="load")
        assert response is not None and response.status == 200
        await small.screenshot(path=SHOTS / "6-programme-on-a-phone.png")
        overflow = await small.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        await phone.close()
    finally:
        await context.close()

    assert checked == {"sign-in": [], "communities": [], "programme": [], "settings refused": []}
    assert overflow <= 0, "the page scrolls sideways on a phone"
    services = dashboard.services()
    async with services.uow:
        settings = (await load_where(services.uow, "T1", GENERAL)).programme.settings
    assert (settings.cadence, f"{settings.local_time:%H:%M}") == (Cadence.WEEKLY, "10:15")
    report = await outcome_report(services, "T1", GENERAL)
    answer = await experiment_figures(services, "T1", GENERAL)
    assert downloaded == (render(report, "csv", answer).rstrip("\n") + "\n").encode()
