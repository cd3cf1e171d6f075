"""`admin stats` on Slack: the table in the ephemeral reply, the chart uploaded to the admin's DM."""

from __future__ import annotations

from adapters.slack.files import DELIVERED
from pairing_core.services.outcome_figures import CHART_FILENAME
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import Call, slack_error
from tests.adapters.slack.test_round import start_round

PNG = b"\x89PNG"


def refuse_uploads(call: Call) -> tuple[int, dict[str, object], dict[str, str]] | None:
    return slack_error("missing_scope") if call.method == "files.getUploadURLExternal" else None


class TestStatsChart:
    async def test_the_chart_is_uploaded_to_the_admins_dm_and_the_table_stays_ephemeral(
        self, world: SlackWorld
    ) -> None:
        await start_round(world, "U1", "U2")
        reply = await world.command("UADMIN", "admin stats")
        assert "```" in reply and reply.endswith(DELIVERED)
        [asked] = world.slack.called_apart_from_invites("files.getUploadURLExternal")
        assert asked.args["filename"] == CHART_FILENAME
        [completed] = world.slack.called_apart_from_invites("files.completeUploadExternal")
        assert completed.args["channel_id"] == "DUADMIN"
        assert completed.args["initial_comment"] == "From `/unmentor admin stats`"
        [uploaded] = completed.args["files"]
        assert world.slack.uploaded(uploaded["id"]).startswith(PNG)
        assert int(asked.args["length"]) == len(world.slack.uploaded(uploaded["id"]))

    async def test_a_refused_upload_still_gives_the_table_and_says_why(
        self, world: SlackWorld
    ) -> None:
        await start_round(world, "U1", "U2")
        world.slack.failures.append(refuse_uploads)
        reply = await world.command("UADMIN", "admin stats")
        assert "```" in reply
        assert "couldn't send you the chart" in reply and "files:write" in reply
        assert DELIVERED not in reply
        assert not world.slack.called_apart_from_invites("upload")
        assert not world.slack.called_apart_from_invites("files.completeUploadExternal")

    async def test_stats_before_any_round_upload_nothing(self, world: SlackWorld) -> None:
        world.slack.add_user("UADMIN", "boss", admin=True)
        reply = await world.command("UADMIN", "admin stats")
        assert "No rounds have run yet." in reply and DELIVERED not in reply
        assert not world.slack.called_apart_from_invites("files.getUploadURLExternal")
