"""The core's markup as Teams markdown in Adaptive Cards, and the group chat's deep link."""

from __future__ import annotations

from adapters.teams.render import card, deep_link, teams_text
from pairing_core.message import Action, Message, escape_markup


def _names(person: str) -> str:
    return {"abc": "Ann Smith"}.get(person, "a colleague")


class TestText:
    def test_bold_links_people_and_bullets_become_teams_markdown(self) -> None:
        text = "*Round 1* — see <https://x.example/a|the guide>, <@abc>\n• one"
        assert teams_text(text, _names) == (
            "**Round 1** — see [the guide](https://x.example/a), **Ann Smith**\n- one"
        )

    def test_typed_text_never_becomes_a_link_or_a_mention(self) -> None:
        typed = escape_markup("[click](https://evil.example) <@abc> & co")
        shown = teams_text(typed, _names)
        assert "](" not in shown
        assert "Ann Smith" not in shown
        assert shown.endswith("<@abc> & co")


class TestCard:
    def test_buttons_are_universal_actions_carrying_the_community(self) -> None:
        message = Message("Did you meet?", (Action("unmentor_checkin", "We've met", "1:0:met"),))
        content = card(message, "teams:team:x", _names)
        assert content["version"] == "1.4" and content["type"] == "AdaptiveCard"
        assert content["actions"] == [
            {
                "type": "Action.Execute",
                "title": "We've met",
                "verb": "unmentor_checkin",
                "data": {"community": "teams:team:x", "value": "1:0:met"},
            }
        ]


class TestDeepLink:
    def test_it_names_the_people_by_upn_and_the_round_as_topic(self) -> None:
        link = deep_link(["ann@council.gov.uk", "bo+x@council.gov.uk"], "UnMentoring round 3")
        assert link == (
            "https://teams.microsoft.com/l/chat/0/0?users=ann@council.gov.uk,bo%2Bx@council.gov.uk"
            "&topicName=UnMentoring%20round%203"
        )
