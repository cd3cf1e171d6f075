"""The synthetic community behind ``unmentor simulate`` and the matcher benchmark."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

import pytest

from pairing_core.simulation import FIRST_INTRO, ZONES, simulate
from tests.unit.matching.recheck import recheck_round


class TestSimulate:
    def test_replaces_the_churn_share_of_members_before_each_round_after_the_first(self) -> None:
        run = simulate(members=40, rounds=5, churn=0.1, seed=3)
        actives = [set(played["active"]) for played in run["rounds"]]
        assert all(len(active) == 40 for active in actives)
        assert all(len(before - after) == 4 for before, after in itertools.pairwise(actives))

    def test_lists_everyone_who_ever_took_part(self) -> None:
        run = simulate(members=20, rounds=6, churn=0.25, seed=1)
        everyone = set().union(*(played["active"] for played in run["rounds"]))
        assert set(run["members"]) == everyone
        assert len(everyone) == 20 + 5 * 5

    def test_blocks_the_number_of_pairs_asked_for(self) -> None:
        run = simulate(members=6, rounds=1, blocks=15, seed=2)
        assert len({frozenset(pair) for pair in run["blocked_pairs"]}) == 15
        assert run["rounds"][0]["groups"] == []

    def test_gives_no_organisation_zone_or_hours_of_their_own_when_none_are_asked_for(
        self,
    ) -> None:
        run = simulate(members=5, rounds=1, seed=4)
        assert all(
            info == {"org": None, "timezone": "Europe/London", "hours": "09:00-17:00"}
            for info in run["members"].values()
        )

    @pytest.mark.parametrize("zones", [2, 4, 6])
    def test_spreads_members_over_the_first_zones_asked_for(self, zones: int) -> None:
        run = simulate(members=120, rounds=1, timezones=zones, seed=5)
        assert {info["timezone"] for info in run["members"].values()} == set(ZONES[:zones])

    def test_one_zone_is_the_communitys_own(self) -> None:
        run = simulate(members=30, rounds=1, timezones=1, seed=5)
        assert {info["timezone"] for info in run["members"].values()} == {"Europe/London"}

    def test_spread_hours_start_from_seven_to_ten_and_last_seven_to_nine_hours(self) -> None:
        run = simulate(members=200, rounds=1, hours_spread=True, seed=6)
        days = set()
        for info in run["members"].values():
            start, end = (time.fromisoformat(t) for t in info["hours"].split("-"))
            length = datetime.combine(date.min, end) - datetime.combine(date.min, start)
            assert time(7) <= start <= time(10) and start.minute in (0, 30)
            assert timedelta(hours=7) <= length <= timedelta(hours=9)
            days.add((start, length))
        assert len(days) > 20

    def test_rounds_fall_fortnightly_from_a_monday(self) -> None:
        run = simulate(members=4, rounds=3, seed=1)
        dates = [date.fromisoformat(played["date"]) for played in run["rounds"]]
        assert dates[0] == FIRST_INTRO and FIRST_INTRO.weekday() == 0
        assert [b - a for a, b in itertools.pairwise(dates)] == [timedelta(weeks=2)] * 2

    @pytest.mark.parametrize("size", [2, 3])
    def test_each_rounds_counts_recheck_from_the_output_alone(self, size: int) -> None:
        run = simulate(
            members=21, rounds=6, churn=0.1, orgs=3, blocks=5, seed=7, group_size=size,
            timezones=4, hours_spread=True,
        )  # fmt: skip
        history: dict[frozenset[str], int] = {}
        for played in run["rounds"]:
            counts = recheck_round(run, played, history)
            assert counts == {k: played[k] for k in ("repeats", "shared", "mixed")}
        # Not vacuous: some members of the first round have no working hour in common, so a
        # round of groups that all share time is the matcher's doing.
        first = run["rounds"][0]
        alone = recheck_round(run, {**first, "groups": [[m] for m in first["active"]]}, {})
        everyone = recheck_round(run, {**first, "groups": [first["active"]]}, {})
        assert alone["shared"] == len(first["active"]) and everyone["shared"] == 0

    def test_an_empty_community_plays_empty_rounds(self) -> None:
        run = simulate(members=0, rounds=2)
        assert [played["groups"] for played in run["rounds"]] == [[], []]

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"members": -1, "rounds": 1},
            {"members": 3, "rounds": 0},
            {"members": 3, "rounds": 1, "churn": 1.0},
            {"members": 3, "rounds": 1, "orgs": -1},
            {"members": 3, "rounds": 1, "blocks": 4},
            {"members": 3, "rounds": 1, "group_size": 1},
            {"members": 3, "rounds": 1, "timezones": -1},
            {"members": 3, "rounds": 1, "timezones": len(ZONES) + 1},
        ],
    )
    def test_rejects_impossible_arguments(self, kwargs: dict[str, int | float]) -> None:
        with pytest.raises(ValueError):
            simulate(**kwargs)  # type: ignore[arg-type]
