"""The synthetic community behind ``unmentor simulate`` and the matcher benchmark."""

from __future__ import annotations

import itertools

import pytest

from pairing_core.simulation import simulate


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

    def test_gives_no_organisation_when_none_are_asked_for(self) -> None:
        run = simulate(members=5, rounds=1, seed=4)
        assert all(info == {"org": None} for info in run["members"].values())

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
        ],
    )
    def test_rejects_impossible_arguments(self, kwargs: dict[str, int | float]) -> None:
        with pytest.raises(ValueError):
            simulate(**kwargs)  # type: ignore[arg-type]
