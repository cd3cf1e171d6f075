"""The App Home tab's Pause, Resume and Leave buttons change membership and redraw the tab."""

from __future__ import annotations

from typing import Any

from pairing_core.member import MemberStatus
from pairing_core.programme import GENERAL
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import TEAM
from tests.adapters.slack.test_events import home_buttons, home_text


async def open_home(world: SlackWorld, user: str) -> dict[str, Any]:
    await world.event({"type": "app_home_opened", "user": user, "tab": "home"})
    return latest_home(world, user)


def latest_home(world: SlackWorld, user: str) -> dict[str, Any]:
    publishes = [c for c in world.slack.called("views.publish") if c.args["user_id"] == user]
    view: dict[str, Any] = publishes[-1].args["view"]
    return view


async def press_home(world: SlackWorld, user: str, label: str) -> dict[str, Any]:
    """Press the Home tab button labelled ``label``; return the republished tab."""
    before = len(world.slack.called("views.publish"))
    view = latest_home(world, user)
    button = next(
        e
        for b in view["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["text"]["text"] == label
    )
    resp = await world.interact(
        {
            "type": "block_actions",
            "team": {"id": TEAM, "domain": "localgov"},
            "user": {"id": user, "name": user.lower(), "team_id": TEAM},
            "api_app_id": "A1",
            "trigger_id": "t",
            "container": {"type": "view", "view_id": "V1"},
            "view": {"id": "V1", "type": "home"},
            "actions": [
                {"type": "button", "action_id": button["action_id"], "value": button["value"]}
            ],
        }
    )
    assert resp.status == 200
    assert len(world.slack.called("views.publish")) == before + 1
    return latest_home(world, user)


async def status_of(world: SlackWorld, user: str) -> MemberStatus | None:
    async with world.services().uow as uow:
        member = await uow.members.get(TEAM, user, programme_id=GENERAL)
    return member.status if member else None


class TestHomeButtons:
    async def test_pause_puts_the_member_on_hold_for_two_weeks(self, world: SlackWorld) -> None:
        world.slack.add_user("U1", "alice")
        await world.command("U1", "join")
        await open_home(world, "U1")
        view = await press_home(world, "U1", "Pause 2 weeks")
        assert await status_of(world, "U1") is MemberStatus.PAUSED
        assert "*Status:* paused until 2026-03-18" in home_text(view)
        assert home_buttons(view) == ["Resume", "Leave"]

    async def test_resume_puts_a_paused_member_back_in_the_pot(self, world: SlackWorld) -> None:
        world.slack.add_user("U1", "alice")
        await world.command("U1", "join")
        await world.command("U1", "pause 2w")
        assert home_buttons(await open_home(world, "U1")) == ["Resume", "Leave"]
        view = await press_home(world, "U1", "Resume")
        assert await status_of(world, "U1") is MemberStatus.ACTIVE
        assert "*Status:* active" in home_text(view)
        assert home_buttons(view) == ["Pause 2 weeks", "Leave"]

    async def test_leave_takes_the_member_out_and_offers_join_again(
        self, world: SlackWorld
    ) -> None:
        world.slack.add_user("U1", "alice")
        await world.command("U1", "join")
        await open_home(world, "U1")
        view = await press_home(world, "U1", "Leave")
        assert await status_of(world, "U1") is MemberStatus.LEFT
        assert home_buttons(view) == ["Join"]

    async def test_the_answer_is_shown_on_the_tab_not_sent_as_a_message(
        self, world: SlackWorld
    ) -> None:
        world.slack.add_user("U1", "alice")
        await world.command("U1", "join")
        replies = len(world.slack.called("respond"))
        await open_home(world, "U1")
        view = await press_home(world, "U1", "Pause 2 weeks")
        notice = view["blocks"][1]["text"]["text"]
        assert "paused" in notice.lower()
        assert len(world.slack.called("respond")) == replies
