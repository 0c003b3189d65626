"""The dashboard page in a real browser: headless Chromium (Debian's ``/usr/bin/chromium``)
driven by playwright against the app served by uvicorn on a free loopback port.

Without ``/usr/bin/chromium`` these tests FAIL (``scripts/bootstrap.sh`` installs it) unless
``GUILDMASTER_SKIP_BROWSER=1`` is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from dashfakes import FakeSource, character, expiring
from playwright.async_api import Browser, Page, async_playwright, expect

from guildmaster.clock import RealClock
from guildmaster.coordinator import Coordinator, PartyCandidate, RoleSettings, TeamStore
from guildmaster.dashboard import create_dashboard_app, dashboard_server
from guildmaster.knowledge import GameData
from guildmaster.server.worldgen.generator import generate_world

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Playwright's own waits (expect, navigation), in milliseconds.
TIMEOUT_MS = 5000


def _chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("GUILDMASTER_SKIP_BROWSER") == "1":
        pytest.skip("no /usr/bin/chromium and GUILDMASTER_SKIP_BROWSER=1")
    pytest.fail(
        "the dashboard browser tests need Debian's chromium at /usr/bin/chromium: run "
        "`bash scripts/bootstrap.sh` (it installs it) or `apt-get install chromium`; "
        "set GUILDMASTER_SKIP_BROWSER=1 to skip them"
    )


@contextlib.asynccontextmanager
async def _browser() -> AsyncIterator[Browser]:
    path = _chromium()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(path), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


async def _open(browser: Browser, url: str, errors: list[str]) -> Page:
    page = await browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    await page.goto(url)
    return page


def _row(page: Page, name: str) -> Any:
    return page.locator(f'[data-testid="character-row"][data-name="{name}"]')


async def test_page_shows_each_character_and_updates_live() -> None:
    clock = RealClock()
    source = FakeSource(
        characters=[
            character("Alderwick", 3),
            character("Brisketta", 7, cooldown_expiration=expiring(clock.now(), 60)),
            character("Cindervale", 12, x=5, y=-1, layer="overworld"),
        ]
    )
    app = create_dashboard_app(source, clock=clock, stream_interval=0.2, history_every=0.1)
    errors: list[str] = []
    async with _browser() as browser:
        stack = contextlib.AsyncExitStack()
        url = await stack.enter_async_context(dashboard_server(app, port=0, clock=clock))
        try:
            page = await _open(browser, url, errors)
            rows = page.get_by_test_id("character-row")
            await expect(rows).to_have_count(3)
            for name, level in (("Alderwick", 3), ("Brisketta", 7), ("Cindervale", 12)):
                await expect(_row(page, name).get_by_test_id("level")).to_have_text(str(level))
            await expect(_row(page, "Cindervale").get_by_test_id("position")).to_contain_text(
                "(5, -1)"
            )
            await expect(_row(page, "Brisketta").get_by_test_id("cooldown")).to_contain_text(" s")
            await expect(page.get_by_test_id("team-mean-level")).to_have_text("7.33")
            await expect(page.get_by_test_id("connection")).to_have_text("live")
            # The source changes: the page follows without a reload.
            source.characters[0]["level"] = 4
            source.characters[0]["goal"] = "craft(copper_bar x5)"
            source.characters.append(character("Dunmorrow", 1))
            await expect(_row(page, "Alderwick").get_by_test_id("level")).to_have_text("4")
            await expect(_row(page, "Alderwick").get_by_test_id("goal")).to_have_text(
                "craft(copper_bar x5)"
            )
            await expect(rows).to_have_count(4)
            await expect(page.get_by_test_id("chart-line")).to_have_count(4)
            await expect(page.get_by_test_id("coordinator-state")).to_have_text("none")
            await expect(page.get_by_test_id("plan-form")).to_be_hidden()
            await expect(page.get_by_test_id("coordinator-switch")).to_be_disabled()
        finally:
            # Leaving stops the server even with the page's event stream still open.
            await asyncio.wait_for(stack.aclose(), timeout=5)
    assert errors == []


async def test_clicking_the_switch_turns_the_real_coordinator_off_and_on() -> None:
    clock = RealClock()
    gamedata = GameData.from_snapshot(generate_world(7))
    coordinator = Coordinator(gamedata, TeamStore(":memory:"), clock=clock, characters=("A", "B"))
    source = FakeSource(characters=[character("A", 2), character("B", 3)], coordinator_=coordinator)
    app = create_dashboard_app(source, clock=clock, stream_interval=0.2)
    errors: list[str] = []
    async with _browser() as browser, dashboard_server(app, port=0, clock=clock) as url:
        page = await _open(browser, url, errors)
        state = page.get_by_test_id("coordinator-state")
        toggle = page.get_by_test_id("coordinator-switch")
        await expect(state).to_have_text("on")
        await expect(toggle).to_be_checked()
        await expect(page.get_by_test_id("plan-form")).to_be_visible()
        await page.locator("label.switch").click()
        await expect(state).to_have_text("off")
        await expect(toggle).not_to_be_checked()
        assert coordinator.enabled is False
        # Live updates keep showing the real state (not just the click's answer).
        await page.wait_for_function("Number(document.body.dataset.updates) > 3")
        await expect(state).to_have_text("off")
        await page.locator("label.switch").click()
        await expect(state).to_have_text("on")
        assert coordinator.enabled is True
        # An impossible manual plan is refused with a message; nothing changes.
        await page.get_by_test_id("plan-skill").select_option("alchemy")
        await page.get_by_test_id("plan-recipe").fill("no_such_recipe")
        await page.get_by_test_id("plan-manual").click()
        await expect(page.get_by_test_id("coordinator-message")).to_contain_text("cannot plan")
        assert coordinator.plan is None
        # No party yet: the panel says how far the best boss is (a party needs 90 %).
        coordinator.party_desk.best_chance = PartyCandidate("krivraix", ("A", "B", "C"), 0.25)
        await expect(page.get_by_test_id("coordinator-parties")).to_contain_text(
            "none: best krivraix 25 % (A, B, C)"
        )
        # Two characters and a party's worth of fighters: both fight; with one fighter, the
        # panel names who fights and who produces.
        roles = page.get_by_test_id("coordinator-roles")
        await expect(roles).to_have_text("everyone fights")
        team_roles = coordinator.team_roles
        team_roles.settings, team_roles._fighters = RoleSettings(fighters=1), ("B",)
        await expect(roles).to_contain_text("fight: B")
        await expect(roles).to_contain_text("produce: A")
    assert errors == [] or all("422" in e for e in errors), errors


def test_missing_chromium_fails_clearly_unless_skipping_is_asked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(f"{__name__}.CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("GUILDMASTER_SKIP_BROWSER", raising=False)
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        _chromium()
    monkeypatch.setenv("GUILDMASTER_SKIP_BROWSER", "1")
    with pytest.raises(pytest.skip.Exception):
        _chromium()
