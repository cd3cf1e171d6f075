"""Taking a member out of free text: mentions, id, names and contact note, nothing else."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pairing_core.redaction import REMOVED, contact_parts, remove_member

ZELDA = "U0ZELDA"
NAMES = ("Zelda Quixote-Marr", "zelda.q@example.org")


class TestRemoveMember:
    def test_removes_slack_and_discord_mentions_of_the_member(self) -> None:
        text = "Thanks <@U0ZELDA> and <@U0ZELDA|zelda>; <@!123> and <@123> too"
        assert remove_member(text, ZELDA, ()) == (
            "Thanks [removed] and [removed]; <@!123> and <@123> too"
        )
        assert remove_member("<@!123> met <@123>", "123", ()) == "[removed] met [removed]"

    def test_removes_the_bare_id_and_every_name_ignoring_case(self) -> None:
        text = "ZELDA QUIXOTE-MARR (u0zelda) says mail Zelda.Q@example.org"
        assert remove_member(text, ZELDA, NAMES) == "[removed] ([removed]) says mail [removed]"

    def test_matches_whole_words_only(self) -> None:
        assert remove_member("Bo and Bob went to Bolton, bo.", "U2BO", ["Bo"]) == (
            "[removed] and Bob went to Bolton, [removed]."
        )

    def test_the_full_name_goes_as_one_before_a_shorter_name_in_it(self) -> None:
        text = "Zelda Quixote-Marr, or Zelda, or Quixote-Marr"
        assert remove_member(text, ZELDA, ["Zelda", "Zelda Quixote-Marr"]) == (
            "[removed], or [removed], or Quixote-Marr"
        )

    def test_a_name_spaced_differently_in_the_text_is_still_found(self) -> None:
        assert remove_member("Zelda\n Quixote-Marr helped", ZELDA, ["Zelda  Quixote-Marr"]) == (
            "[removed] helped"
        )

    def test_blank_names_and_other_members_are_left_alone(self) -> None:
        text = "Ana told <@U1ANA> about it"
        assert remove_member(text, ZELDA, ["", "   "]) == text

    def test_a_name_that_is_the_marker_does_not_nest_it(self) -> None:
        assert remove_member("removed it", "U1", ["removed"]) == REMOVED + " it"


class TestContactParts:
    def test_finds_addresses_handles_links_and_phone_numbers_in_a_note(self) -> None:
        note = "Email me at zelda.q@example.org, ring 07700 900123; @zelda on Slack (www.zq.org)."
        assert contact_parts(note) == [
            "zelda.q@example.org",
            "07700",
            "900123",
            "@zelda",
            "www.zq.org",
        ]

    def test_a_note_of_plain_words_has_none(self) -> None:
        assert contact_parts("Ask at the front desk on Tuesdays after 2pm") == []


# Names and filler words come from disjoint alphabets, so filler never holds a name.
names = st.lists(
    st.text("xyzXYZ -", min_size=1, max_size=12).filter(lambda n: n.strip(" -") == n and n),
    min_size=1,
    max_size=3,
)
filler = st.text("abcABC,.!?", min_size=1, max_size=8)


class TestRemoveMemberForAnyText:
    @given(names, st.lists(filler, max_size=6))
    def test_text_not_naming_the_member_is_unchanged(
        self, member_names: list[str], words: list[str]
    ) -> None:
        text = " ".join(words)
        assert remove_member(text, "U9", member_names) == text

    @given(names, st.lists(st.tuples(filler, st.none() | st.integers(0, 4)), max_size=6))
    def test_every_mention_id_and_name_becomes_the_marker_and_nothing_else_changes(
        self, member_names: list[str], pieces: list[tuple[str, int | None]]
    ) -> None:
        # each piece is a filler word, then maybe a name in capitals, the bare id or a mention
        said = [*(name.upper() for name in member_names), "U9", "<@U9>"]

        def text(marker: str | None) -> str:
            return " ".join(
                word if choice is None else f"{word} {marker or said[choice % len(said)]}"
                for word, choice in pieces
            )

        assert remove_member(text(None), "U9", member_names) == text(REMOVED)
