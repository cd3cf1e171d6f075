"""``unmentor simulate``: run the real matcher over a synthetic community and report each round."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from pairing_core.programme import GROUP_SIZES
from pairing_core.simulation import ZONES, simulate

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``simulate`` command to the command line."""
    app.command("simulate")(simulate_command)


def simulate_command(
    members: Annotated[int, typer.Option("--members", help="Members at the start.")],
    rounds: Annotated[int, typer.Option("--rounds", help="Rounds to run.")],
    churn: Annotated[
        float, typer.Option("--churn", help="Share of members replaced before each round.")
    ] = 0.0,
    orgs: Annotated[int, typer.Option("--orgs", help="Organisations, assigned at random.")] = 0,
    blocks: Annotated[int, typer.Option("--blocks", help="Random blocked pairs.")] = 0,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed for a repeatable run.")] = None,
    group_size: Annotated[
        int,
        typer.Option(
            "--group-size", help=f"Members per group, {GROUP_SIZES[0]} to {GROUP_SIZES[-1]}."
        ),
    ] = 2,
    timezones: Annotated[
        int,
        typer.Option(
            "--timezones",
            help=f"Spread members over this many time zones, 0 to {len(ZONES)} (0 or 1: London).",
        ),
    ] = 0,
    hours_spread: Annotated[
        bool,
        typer.Option(
            "--hours-spread", help="Vary working hours: starts 07:00-10:00, 7-9 hour days."
        ),
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print the whole run as one JSON document, indented by two spaces."
        ),
    ] = False,
) -> None:
    """Group a synthetic community round after round and show what the matcher did."""
    problem = _problem(members, rounds, churn, orgs, blocks, group_size, timezones)
    if problem:
        typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(2)
    run = simulate(members, rounds, churn, orgs, blocks, seed, group_size, timezones, hours_spread)
    if as_json:
        typer.echo(json.dumps(run, indent=2))
    else:
        typer.echo(_summary(run))


def _problem(
    members: int, rounds: int, churn: float, orgs: int, blocks: int, size: int, zones: int
) -> str:
    """Say what is wrong with the arguments, in one line, or return an empty string."""
    most_blocks = members * (members - 1) // 2
    checks = [
        (members >= 0, "--members must be 0 or more"),
        (rounds >= 1, "--rounds must be 1 or more"),
        (0 <= churn < 1, "--churn must be at least 0 and below 1"),
        (orgs >= 0, "--orgs must be 0 or more"),
        (0 <= blocks <= most_blocks, f"--blocks must be between 0 and {most_blocks}"),
        (
            size in GROUP_SIZES,
            f"--group-size must be {GROUP_SIZES[0]} to {GROUP_SIZES[-1]}, as in a community",
        ),
        (0 <= zones <= len(ZONES), f"--timezones must be between 0 and {len(ZONES)}"),
    ]
    return next((message for ok, message in checks if not ok), "")


def _summary(run: dict[str, Any]) -> str:
    """Render one table row per round: sizes, sit-outs, repeats, colleagues, shared time, time.

    ``same org`` counts pairs of colleagues grouped together; ``shared`` and ``mixed`` count
    groups whose members share working time that day and groups with no two colleagues.
    """
    orgs = {member: info["org"] for member, info in run["members"].items()}
    lines = [
        "round  date        active  groups  sat out  repeats  same org  shared  mixed  seconds",
        "-----  ----------  ------  ------  -------  -------  --------  ------  -----  -------",
    ]
    for played in run["rounds"]:
        colleagues = sum(
            1
            for group in played["groups"]
            for i, a in enumerate(group)
            for b in group[i + 1 :]
            if orgs[a] is not None and orgs[a] == orgs[b]
        )
        lines.append(
            f"{played['number']:>5}  {played['date']}  {len(played['active']):>6}"
            f"  {len(played['groups']):>6}  {len(played['sat_out']):>7}  {played['repeats']:>7}"
            f"  {colleagues:>8}  {played['shared']:>6}  {played['mixed']:>5}"
            f"  {played['seconds']:>7.3f}"
        )
    return "\n".join(lines)
