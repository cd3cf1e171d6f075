"""A channel post with images is one file share: its comment within Slack's limit, no buttons."""

from __future__ import annotations

import pytest

from adapters.slack.shares import comment_within_limit
from pairing_core.message import Action, Attachment, Message
from pairing_core.ports import DeliveryError
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.test_stats_chart import PNG


class TestCommentWithinLimit:
    def test_a_text_within_the_limit_is_shared_whole(self) -> None:
        assert comment_within_limit("a\nb", limit=3) == "a\nb"

    def test_a_longer_text_keeps_whole_lines_and_says_how_many_were_left_out(self) -> None:
        text = "\n".join(["*Round 3 is over.*", *(f"> takeaway {n} " + "x" * 60 for n in range(9))])
        shared = comment_within_limit(text, limit=400)
        *kept, note = shared.split("\n")
        assert len(shared) <= 400 and text.startswith("\n".join(kept) + "\n")
        left = len(text.split("\n")) - len(kept)
        assert note.startswith(f"_…and {left} more lines: Slack shows only 400 characters")

    def test_a_first_line_longer_than_the_limit_is_cut_short(self) -> None:
        assert comment_within_limit("x" * 50, limit=10) == "x" * 9 + "…"

    @pytest.mark.parametrize("start", range(3, 10))
    def test_a_cut_never_splits_an_escaped_character(self, start: int) -> None:
        text = "x" * start + "&amp;" + "y" * 50
        shared = comment_within_limit(text, limit=10)
        assert len(shared) <= 10 and shared.endswith("…")
        body = shared.removesuffix("…")
        assert text.startswith(body) and ("&" not in body or "&amp;" in body)


class TestPostToChannel:
    async def test_images_with_buttons_are_refused_for_good_and_nothing_is_shown(
        self, world: SlackWorld
    ) -> None:
        message = Message(
            "Pick one",
            actions=(Action("pick", "Pick", "1"),),
            attachments=(Attachment("chart.png", PNG, "image/png"),),
        )
        with pytest.raises(DeliveryError) as refused:
            await world.deps.platform.post_to_channel("T1", "CREFL", message)
        assert refused.value.permanent
        assert world.slack.shown_in("CREFL") == [] and not world.slack.calls

    async def test_every_file_of_the_post_is_shared_in_the_one_message(
        self, world: SlackWorld
    ) -> None:
        message = Message(
            "Figures",
            attachments=(
                Attachment("chart.png", PNG, "image/png"),
                Attachment("figures.csv", b"round,met\n1,0\n", "text/csv"),
            ),
        )
        link = await world.deps.platform.post_to_channel("T1", "CREFL", message)
        [shown] = world.slack.shown_in("CREFL")
        assert shown["text"] == "Figures"
        assert [f["name"] for f in shown["files"]] == ["chart.png", "figures.csv"]
        assert world.slack.uploaded(shown["files"][1]["id"]) == b"round,met\n1,0\n"
        assert link.endswith("/archives/CREFL/p" + str(shown["ts"]).replace(".", ""))
