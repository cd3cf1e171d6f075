"""``unmentor simulate``: one JSON document whose every round keeps the matcher's rules."""

from __future__ import annotations

import json
from collections import Counter
from itertools import combinations
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from bot.cli import simulate
from pairing_core.matching.sizes import group_sizes
from tests.unit.matching.optimum import fewest_repeats, repeats_in
from tests.unit.matching.recheck import recheck_round


def command_line() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """Keep ``simulate`` a subcommand, as in the real command line."""

    simulate.register(app)
    return app


def run(*args: str) -> Any:
    result = CliRunner().invoke(command_line(), ["simulate", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def check_rounds(document: dict[str, Any], group_size: int, exact: bool) -> None:
    """Assert every round's rules; with ``exact``, repeats must equal the round's optimum."""
    blocked = {frozenset(pair) for pair in document["blocked_pairs"]}
    history: dict[frozenset[str], int] = {}
    rechecked: dict[frozenset[str], int] = {}
    for played in document["rounds"]:
        counts = recheck_round(document, played, rechecked)
        assert counts == {key: played[key] for key in counts}
        placed = [m for g in played["groups"] for m in g] + played["sat_out"]
        assert Counter(placed) == Counter(played["active"])
        assert set(played["active"]) <= set(document["members"])
        grouped = sum(map(len, played["groups"]))
        assert sorted(map(len, played["groups"])) == sorted(group_sizes(grouped, group_size))
        pairs = {frozenset(p) for g in played["groups"] for p in combinations(g, 2)}
        assert not pairs & blocked
        if exact:
            assert repeats_in(played["groups"], history) == fewest_repeats(
                played["active"], history
            )
        history.update({pair: played["number"] for pair in pairs})


class TestSimulateCommand:
    @pytest.mark.parametrize("members", [10, 11])
    def test_every_round_has_the_fewest_repeats_possible(self, members: int) -> None:
        document = run(
            "--members", str(members), "--rounds", "14", "--churn", "0.1", "--orgs", "3",
            "--seed", "5", "--json",
        )  # fmt: skip
        assert len(document["rounds"]) == 14
        check_rounds(document, 2, exact=True)

    def test_blocked_pairs_are_never_grouped(self) -> None:
        document = run("--members", "9", "--rounds", "6", "--blocks", "12", "--seed", "2", "--json")
        assert len(document["blocked_pairs"]) == 12
        check_rounds(document, 2, exact=False)

    def test_groups_of_three_keep_every_rule(self) -> None:
        document = run(
            "--members", "25", "--rounds", "5", "--group-size", "3", "--blocks", "10",
            "--orgs", "4", "--seed", "8", "--json",
        )  # fmt: skip
        check_rounds(document, 3, exact=False)

    def test_lists_each_members_organisation(self) -> None:
        document = run("--members", "6", "--rounds", "1", "--orgs", "2", "--seed", "1", "--json")
        assert all(info["org"] in {"org1", "org2"} for info in document["members"].values())
        assert len(document["members"]) == 6

    def test_lists_each_members_zone_and_hours_and_each_rounds_date(self) -> None:
        document = run(
            "--members", "40", "--rounds", "3", "--timezones", "4", "--hours-spread",
            "--orgs", "5", "--seed", "3", "--json",
        )  # fmt: skip
        members = document["members"].values()
        assert {info["timezone"] for info in members} == {
            "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney"
        }  # fmt: skip
        assert len({info["hours"] for info in members}) > 5
        assert [played["date"] for played in document["rounds"]] == [
            "2027-01-04", "2027-01-18", "2027-02-01"
        ]  # fmt: skip
        check_rounds(document, 2, exact=True)

    def test_the_same_seed_gives_the_same_run(self) -> None:
        args = ("--members", "30", "--rounds", "4", "--churn", "0.2", "--seed", "9", "--json")
        first, second = run(*args), run(*args)
        for document in (first, second):
            for played in document["rounds"]:
                del played["seconds"]
        assert first == second

    def test_prints_a_table_row_per_round_without_json(self) -> None:
        result = CliRunner().invoke(
            command_line(), ["simulate", "--members", "8", "--rounds", "3", "--seed", "1"]
        )
        assert result.exit_code == 0
        rows = result.stdout.strip().splitlines()
        assert rows[0].split() == [
            "round", "date", "active", "groups", "sat", "out", "repeats", "same", "org",
            "shared", "mixed", "seconds",
        ]  # fmt: skip
        assert rows[2].split()[1] == "2027-01-04"
        assert [row.split()[0] for row in rows[2:]] == ["1", "2", "3"]

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--members", "-1", "--rounds", "2"], "--members"),
            (["--members", "4", "--rounds", "0"], "--rounds"),
            (["--members", "4", "--rounds", "2", "--churn", "1"], "--churn"),
            (["--members", "4", "--rounds", "2", "--orgs", "-2"], "--orgs"),
            (["--members", "4", "--rounds", "2", "--blocks", "7"], "--blocks"),
            (["--members", "4", "--rounds", "2", "--group-size", "1"], "--group-size"),
            (["--members", "4", "--rounds", "2", "--timezones", "13"], "--timezones"),
        ],
    )
    def test_rejects_bad_arguments_in_one_line(self, args: list[str], message: str) -> None:
        result = CliRunner().invoke(command_line(), ["simulate", *args])
        assert result.exit_code != 0
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stderr.startswith(f"error: {message}")
