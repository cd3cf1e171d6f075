"""The outcome report on real storage: the history the unit tests play on fakes, played on SQLite
and PostgreSQL, gives exactly the same figures, through the use case and ``unmentor report``."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import typer
from typer.testing import CliRunner, Result

from adapters.persistence import SqlAlchemyUnitOfWork
from pairing_core.programme import GENERAL
from pairing_core.services.outcome_figures import outcome_report
from tests.unit.conftest import COMMUNITY, World
from tests.unit.simulated_community import ROUNDS, SLOTS, TOTAL, figures, play

NewUow = Callable[[], SqlAlchemyUnitOfWork]


async def played(new_uow: NewUow) -> World:
    world = World(new_uow())
    await world.setup()
    await play(world)
    return world


def report(database_url: str, form: str) -> Result:
    from bot.cli.report import register

    app = typer.Typer()
    register(app)

    @app.callback()
    def root() -> None:
        """Keep ``report`` a sub-command even though it is the only one."""

    return CliRunner().invoke(
        app, ["report", "--community", COMMUNITY, "--format", form, "--database-url", database_url]
    )


class TestOutcomeReportOnStorage:
    async def test_every_round_and_the_total_are_exact(self, new_uow: NewUow) -> None:
        world = await played(new_uow)
        stored = await outcome_report(world.services, COMMUNITY, GENERAL)
        assert [figures(r) for r in stored.rounds] == ROUNDS
        assert figures(stored.cumulative) == TOTAL
        assert stored.cumulative.met_rate == 0.6
        assert stored.cumulative.mean_rating == 3.0
        slots = [(r.round_number, r.booked_slot, r.met_with_slot) for r in stored.rounds]
        assert slots == SLOTS
        assert (stored.cumulative.met_rate_slot, stored.cumulative.met_rate_no_slot) == (0.5, 0.625)

    async def test_past_figures_stay_when_members_move_or_are_erased(self, new_uow: NewUow) -> None:
        world = await played(new_uow)
        await world.say("cal", "join Devon")  # all of cal's mixed groups would now be same-org
        await world.say("ann", "forget-me --confirm --keep-reflections-anonymised")
        await world.say("bea", "forget-me --confirm --keep-reflections-anonymised")
        stored = await outcome_report(world.services, COMMUNITY, GENERAL)
        assert [figures(r) for r in stored.rounds] == ROUNDS
        assert figures(stored.cumulative) == TOTAL

    async def test_unmentor_report_prints_the_exact_figures_in_each_format(
        self, new_uow: NewUow, database_url: str
    ) -> None:
        await played(new_uow)
        # in a thread, as the command runs its own event loop
        text, as_csv, as_json = [
            await asyncio.to_thread(report, database_url, form) for form in ("text", "csv", "json")
        ]
        assert [r.exit_code for r in (text, as_csv, as_json)] == [0, 0, 0], text.output
        # the table, then a blank line and the experiment's answer (tested in tests/cli)
        table, experiment = text.stdout.split("\n\n", 1)
        assert experiment.startswith("Did the conversation challenge their thinking?")
        assert table.splitlines() == [
            "round active groups  met refl rating x-org rep join left nudged n-met paused skipped"
            " slot met|slot met|none",
            "    1      4      2  50%  50%   4.00  100%   0    4    0      0     0      0       0"
            "    1     100%       0%",
            "    2      4      2 100% 100%   4.00  100%   0    0    0      0     0      0       0"
            "    0        –     100%",
            "    3      4      2   0%   0%      –    0%   0    0    0      0     0      0       0"
            "    1       0%       0%",
            "    4      4      2 100%  50%   2.00  100%   2    0    0      0     0      0       0"
            "    0        –     100%",
            "    5      4      2  50%  50%   1.00  100%   1    1    1      0     0      0       0"
            "    0        –      50%",
            "  all      5     10  60%  50%   3.00   80%   3    5    1      0     0      0       0"
            "    2      50%      62%",
        ]
        assert as_csv.stdout.splitlines() == [
            "round,intro_at,active,groups,met,met_rate,reflected,reflection_rate,rated,"
            "mean_rating,cross_org,cross_org_share,repeats,joiners,leavers,nudged,met_after_nudge,"
            "auto_paused,skipped,booked_slot,met_with_slot,met_rate_slot,met_rate_no_slot",
            "1,2026-03-09T09:30:00+00:00,4,2,1,0.5000,1,0.5000,1,4.0000,2,1.0000,0,4,0,0,0,0,0,1,"
            "1,1.0000,0.0000",
            "2,2026-03-23T09:30:00+00:00,4,2,2,1.0000,2,1.0000,2,4.0000,2,1.0000,0,0,0,0,0,0,0,0,"
            "0,,1.0000",
            "3,2026-04-06T08:30:00+00:00,4,2,0,0.0000,0,0.0000,0,,0,0.0000,0,0,0,0,0,0,0,1,0,0.00"
            "00,0.0000",
            "4,2026-04-20T08:30:00+00:00,4,2,2,1.0000,1,0.5000,1,2.0000,2,1.0000,2,0,0,0,0,0,0,0,"
            "0,,1.0000",
            "5,2026-05-04T08:30:00+00:00,4,2,1,0.5000,1,0.5000,1,1.0000,2,1.0000,1,1,1,0,0,0,0,0,"
            "0,,0.5000",
            "all,,5,10,6,0.6000,5,0.5000,5,3.0000,8,0.8000,3,5,1,0,0,0,0,2,1,0.5000,0.6250",
        ]
        data = json.loads(as_json.stdout)
        assert data["community"] == {"id": COMMUNITY, "name": "Test network"}
        assert [counts(row) for row in data["rounds"]] == ROUNDS
        assert counts(data["cumulative"]) == ("all", *TOTAL[1:])
        assert data["cumulative"]["cross_org_share"] == 0.8
        assert data["cumulative"]["mean_rating"] == 3.0


def counts(row: dict[str, object]) -> tuple[object, ...]:
    """Return a JSON row's counts in the order of ``ROUNDS``."""
    names = "round active groups met reflected rated rating_total cross_org repeats joiners leavers"
    return tuple(row[name] for name in names.split())
