"""The heads-up through Slack: a DM before matching whose Skip button leaves one out of that round."""

from __future__ import annotations

from pairing_core.programme import GENERAL
from pairing_core.round import Round
from pairing_core.services.heads_up import heads_up_at
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import TEAM
from tests.adapters.slack.test_round import move_to, posted, with_ts


async def round_one(world: SlackWorld) -> Round:
    async with world.services().uow as uow:
        round_ = await uow.rounds.get(TEAM, GENERAL, 1)
    assert round_ is not None
    return round_


class TestHeadsUp:
    async def test_the_heads_up_arrives_as_a_dm_and_its_skip_button_skips_the_round(
        self, world: SlackWorld
    ) -> None:
        for member in ("U1", "U2", "U3"):
            world.slack.add_user(member, member.lower())
            await world.command(member, "join")
        scheduled = await round_one(world)
        async with world.services().uow as uow:
            programme = await uow.programmes.get(TEAM, GENERAL)
        assert programme is not None
        due = heads_up_at(programme.settings, scheduled)
        assert due is not None and due < scheduled.intro_at

        await move_to(world, due)
        [heads_up] = posted(world, "DU1")
        assert heads_up["text"].startswith("Round 1 starts tomorrow")
        labels = [e["text"]["text"] for b in heads_up["blocks"] if b["type"] == "actions"
                  for e in b["elements"]]  # fmt: skip
        assert labels == ["Skip this round", "Pause 2 weeks"]
        assert [len(posted(world, f"D{m}")) for m in ("U2", "U3")] == [1, 1]

        [shown] = world.slack.shown_in("DU1")
        await world.click("U1", with_ts(heads_up, shown["ts"]), "Skip this round", "DU1")
        assert "You'll skip round 1" in world.slack.called("respond")[-1].args["text"]
        assert "You're skipping round 1" in await world.command("U1", "status")

        await move_to(world, scheduled.intro_at)
        matched = await round_one(world)
        assert [sorted(g.members) for g in matched.groups] == [["U2", "U3"]]
        assert "U1" not in matched.sat_out

        await world.click("U1", with_ts(heads_up, shown["ts"]), "Skip this round", "DU1")
        assert world.slack.called("respond")[-1].args["text"] == (
            "Round 1 was already matched; skip the next one with `/unmentor skip`."
        )
