"""The outcome report as a chat table, CSV, JSON, and the ``admin stats`` reply."""

from __future__ import annotations

import csv
import io
import json

import pytest

from pairing_core.outcome_formats import as_csv, as_json, as_table, render
from pairing_core.outcomes import OutcomeReport
from tests.unit.conftest import World
from tests.unit.simulated_community import play
from tests.unit.test_outcomes import hand_built_report


@pytest.fixture
def report() -> OutcomeReport:
    return hand_built_report()


class TestFormats:
    def test_the_table_shows_the_last_rounds_then_all(self, report: OutcomeReport) -> None:
        assert as_table(report, last=2).splitlines() == [
            "round active groups  met refl rating x-org rep join left nudged n-met paused skipped"
            " slot met|slot met|none",
            "    2      5      2  50% 100%   5.00   50%   0    1    0      0     0      0       0"
            "    0        –      50%",
            "    4      5      2  50% 100%   2.50    0%   1    1    1      0     0      0       0"
            "    0        –      50%",
            "  all      6      6  50%  83%   3.50   17%   1    6    1      0     0      0       0"
            "    0        –      50%",
        ]

    def test_csv_has_one_line_per_round_and_a_total(self, report: OutcomeReport) -> None:
        rows = list(csv.DictReader(io.StringIO(as_csv(report))))
        assert [r["round"] for r in rows] == ["1", "2", "4", "all"]
        assert rows[-1]["reflection_rate"] == "0.8333"
        assert rows[-1]["mean_rating"] == "3.5000"
        assert rows[-1]["intro_at"] == ""
        assert rows[0]["intro_at"] == "2026-01-05T09:00:00+00:00"

    def test_json_keeps_the_counts_the_rates_come_from(self, report: OutcomeReport) -> None:
        data = json.loads(as_json(report))
        assert data["community"] == {"id": "C", "name": "Test"}
        total = data["cumulative"]
        assert (total["reflected"], total["groups"], total["reflection_rate"]) == (5, 6, 5 / 6)
        assert (total["rating_total"], total["rated"]) == (14, 4)
        assert [r["round"] for r in data["rounds"]] == [1, 2, 4]

    def test_an_unknown_format_is_refused(self, report: OutcomeReport) -> None:
        with pytest.raises(ValueError, match="format must be one of text, csv, json"):
            render(report, "xml")


class TestAdminStats:
    async def test_before_any_round_it_says_so(self, world: World) -> None:
        reply = await world.say("boss", "admin stats")
        assert reply.startswith("*UnMentoring in Test network*")
        assert "No rounds have run yet." in reply

    async def test_it_shows_the_rounds_and_the_total(self, world: World) -> None:
        await play(world)
        reply = await world.say("boss", "admin stats")
        assert "members: 4 active, 0 paused, 1 left" in reply
        assert "    5      4      2  50%  50%   1.00  100%   1    1    1" in reply
        assert "  all      5     10  60%  50%   3.00   80%   3    5    1" in reply

    async def test_it_answers_the_experiment_in_sentences(self, world: World) -> None:
        await play(world)
        reply = await world.say("boss", "admin stats")
        _, experiment = reply.split("*Did the conversations challenge people's thinking?*\n")
        # all five rated groups mixed organisations, met and were pairs; one of them was a repeat
        assert experiment.splitlines()[:2] == [
            "Asked whether their conversation challenged their thinking (1-5), groups answered "
            "3.00 on average (95% interval 1.80 to 4.20; 5 ratings from 10 groups). Only groups "
            "that chose to share a takeaway rated it, so this speaks for those who answered, not "
            "for everyone; and a difference between kinds of group shows that they go together, "
            "not that one causes the other.",
            "Not enough answers yet to compare mixed organisations vs same organisation (5 and 0 "
            "ratings); met vs did not meet (5 and 0 ratings); pairs vs groups of 3 or more (5 and 0 "
            "ratings); first meetings vs repeats (4 and 1 ratings): a comparison needs at least 5 "
            "ratings on each side.",
        ]
