"""What people type reaches Slack as they typed it: never a ping, a mention or a disguised link."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.slack.blocks import message_blocks
from adapters.slack.typed import typed_text
from pairing_core.message import Attachment, Message, unescape_markup
from pairing_core.programme import GENERAL
from pairing_core.reflection import Reflection
from pairing_core.round import Round
from pairing_core.texts import reflection_post
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import TEAM
from tests.adapters.slack.test_data_rights import my_data
from tests.adapters.slack.test_round import _submission, move_to, posted, start_round, with_ts


async def stored_takeaways(world: SlackWorld) -> list[str]:
    async with world.services().uow as uow:
        return [r.text for r in await uow.reflections.list(TEAM, GENERAL)]


async def open_takeaway_form(world: SlackWorld) -> tuple[Round, str]:
    """Pair U1 with U2, reach the reflection prompt and press its button as U1.

    Return the round and the form's private metadata, to submit a takeaway with.
    """
    round_ = await start_round(world, "U1", "U2")
    await move_to(world, round_.reflection_at)
    prompt = with_ts(posted(world, "GU1-U2")[-1])
    await world.click("U1", prompt, "Share a takeaway", "GU1-U2")
    [opened] = world.slack.called("views.open")
    return round_, str(opened.args["view"]["private_metadata"])


async def intro_after(world: SlackWorld, *commands: str) -> str:
    """Run ``commands`` as U3, pair U3 with U1; return the text of their intro."""
    world.slack.add_user("U3", "carol")
    for command in commands:
        await world.command("U3", command)
    await start_round(world, "U1", "U3")
    [intro] = [c for c in world.slack.called("chat.postMessage") if "say hello" in c.args["text"]]
    return str(intro.args["text"])


class TestTakeawaysFromTheForm:
    async def test_a_channel_ping_in_a_takeaway_is_posted_as_text_not_as_a_ping(
        self, world: SlackWorld
    ) -> None:
        round_, metadata = await open_takeaway_form(world)

        resp = await world.interact(_submission("U1", metadata, "<!channel> hi & bye"))

        assert resp.status == 200
        [takeaway] = posted(world, "CREFL")
        escaped = "&lt;!channel&gt; hi &amp; bye"
        assert takeaway["text"].endswith(f":\n> {escaped}")
        assert takeaway["blocks"][0]["text"] == {"type": "mrkdwn", "text": takeaway["text"]}
        assert await stored_takeaways(world) == ["<!channel> hi & bye"]

        await move_to(world, round_.close_at)
        [summary] = [m for m in world.slack.shown_in("CREFL") if "is over" in str(m["text"])]
        assert f"> {escaped} (<https://" in summary["text"]
        assert "<!channel>" not in summary["text"]

    async def test_a_labelled_link_in_a_takeaway_shows_its_address(self, world: SlackWorld) -> None:
        round_, metadata = await open_takeaway_form(world)
        typed = "Read <https://evil.example|the council's guidance>"

        await world.interact(_submission("U1", metadata, typed))

        [takeaway] = posted(world, "CREFL")
        assert takeaway["text"].endswith(
            "> Read &lt;https://evil.example|the council's guidance&gt;"
        )


class TestSlashCommandText:
    async def test_a_takeaway_with_an_ampersand_is_stored_and_shown_as_typed(
        self, world: SlackWorld
    ) -> None:
        await start_round(world, "U1", "U2")

        # Slack sends a typed "a & b" as "a &amp; b"
        reply = await world.command("U1", "reflect a &amp; b")

        assert reply.startswith("Thank you")
        assert await stored_takeaways(world) == ["a & b"]
        [takeaway] = posted(world, "CREFL")
        assert takeaway["text"].endswith(":\n> a &amp; b")
        exported = await my_data(world, "U1")
        assert [r["text"] for r in exported["reflections"]] == ["a & b"]
        shown = world.slack.called("respond")[-1].args["blocks"][1]["text"]["text"]
        assert '"a &amp; b"' in shown

    async def test_an_organisation_and_contact_note_show_in_the_intro_as_typed(
        self, world: SlackWorld
    ) -> None:
        intro = await intro_after(
            world, "join R&amp;D &lt;!here&gt;", "contact &lt;https://evil.example|my calendar&gt;"
        )

        assert (
            "• <@U3> (R&amp;D &lt;!here&gt;) — reach me: "
            "&lt;https://evil.example|my calendar&gt;" in intro
        )
        async with world.services().uow as uow:
            member = await uow.members.get(TEAM, "U3", programme_id=GENERAL)
        assert member is not None
        assert (member.organisation, member.contact) == (
            "R&D <!here>",
            "<https://evil.example|my calendar>",
        )

    async def test_a_link_shows_as_typed_and_a_named_person_stays_a_mention(
        self, world: SlackWorld
    ) -> None:
        await start_round(world, "U1", "U2")

        # what Slack sends for "thanks @bob, see https://x.example/?a=1&b=2 in #general"
        await world.command(
            "U1", "reflect thanks <@U2|bob>, see <https://x.example/?a=1&amp;b=2> in <#C1|general>"
        )

        typed = "thanks <@U2>, see https://x.example/?a=1&b=2 in #general"
        assert await stored_takeaways(world) == [typed]
        [takeaway] = posted(world, "CREFL")
        assert takeaway["text"].endswith(
            "> thanks <@U2>, see https://x.example/?a=1&amp;b=2 in #general"
        )

    async def test_a_label_typed_into_a_mention_in_the_form_cannot_disguise_it(
        self, world: SlackWorld
    ) -> None:
        round_, metadata = await open_takeaway_form(world)

        await world.interact(_submission("U1", metadata, "ask <@U2|https://evil.example> & co"))

        [takeaway] = posted(world, "CREFL")
        assert takeaway["text"].endswith("> ask <@U2> &amp; co")

    async def test_erasing_a_person_named_in_a_takeaway_takes_their_mention_out(
        self, world: SlackWorld
    ) -> None:
        await start_round(world, "U1", "U2", "U3", "U4")
        await world.command("U1", "reflect <@U3|carol.jones> taught me to ask why")
        await world.command("U3", "forget-me")
        question = world.slack.called("respond")[-1].args
        await world.click("U3", question, "Erase me, delete my takeaways", "D1")

        [kept] = await stored_takeaways(world)
        assert "U3" not in kept and "carol" not in kept.lower()
        assert kept.endswith("taught me to ask why")

    async def test_a_contact_link_shows_in_the_intro_as_the_address(
        self, world: SlackWorld
    ) -> None:
        intro = await intro_after(world, "join", "contact <https://meet.example/abc>")

        assert "• <@U3> — reach me: https://meet.example/abc" in intro

    async def test_a_person_named_in_a_command_is_still_recognised(self, world: SlackWorld) -> None:
        world.slack.add_user("U1", "alice")
        world.slack.add_user("U2", "bob")
        await world.command("U1", "join")
        await world.command("U2", "join")

        reply = await world.command("U1", "never <@U2|bob>")

        assert "never be paired with <@U2>" in reply


class TestTakeawayPosts:
    def test_every_line_of_a_takeaway_is_quoted_so_none_passes_for_the_header(self) -> None:
        typed = "Great chat\n*Takeaway from round 1* — <@UA> and <@UB>:\r\nFake"
        now = datetime(2026, 3, 4, tzinfo=UTC)
        post = reflection_post(Reflection("T1", 1, 0, "U1", ("U1", "U2"), typed, True, now))

        [section] = message_blocks(post)

        header, *rest = section["text"]["text"].split("\n")
        assert header == "*Takeaway from round 1* — <@U1> and <@U2>:"
        assert rest == ["> Great chat", "> *Takeaway from round 1* — <@UA> and <@UB>:", "> Fake"]


class TestFilesShownInline:
    def test_a_long_file_is_split_between_escapes_never_inside_one(self) -> None:
        text = "a" * 2990 + "<&>" * 10
        file = Attachment("my-data.json", text.encode(), "application/json")

        blocks = message_blocks(Message("Here it is", attachments=(file,)))

        shown = [b["text"]["text"] for b in blocks[1:]]
        assert all(len(part) <= 3000 for part in shown)
        parts = [unescape_markup(p.removeprefix("```\n").removesuffix("\n```")) for p in shown]
        assert len(parts) == 2 and "".join(parts) == text


class TestTypedText:
    def test_slacks_markup_in_prose_becomes_what_the_box_showed(self) -> None:
        sent = "reflect <!here> <!subteam^S1|@team> <mailto:a@b.org|a@b.org> <http://y.org|y.org> &lt;3"
        assert typed_text(sent) == "reflect @here @team a@b.org y.org <3"

    def test_a_command_naming_someone_keeps_the_mention(self) -> None:
        assert typed_text("admin block <@U1|ann> <@U2|bob>") == "admin block <@U1|ann> <@U2|bob>"
