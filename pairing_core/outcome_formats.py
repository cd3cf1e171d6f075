"""Outcome reports as a chat table, CSV or JSON; every figure is printed from the stored counts.

Given the experiment's answer too, the text adds its figures and sentences under the table and
the JSON adds it under the key ``experiment``; the CSV keeps one shape, a line per round (the
experiment's own CSV is ``experiment_formats.experiment_csv``).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from pairing_core.experiment import ExperimentAnswer
from pairing_core.experiment_formats import experiment_record, experiment_text
from pairing_core.outcomes import OutcomeReport, OutcomeRow

__all__ = ["FORMATS", "as_csv", "as_json", "as_table", "render"]

_COLUMNS = (
    "round",
    "intro_at",
    "active",
    "groups",
    "met",
    "met_rate",
    "reflected",
    "reflection_rate",
    "rated",
    "mean_rating",
    "cross_org",
    "cross_org_share",
    "repeats",
    "joiners",
    "leavers",
    "nudged",
    "met_after_nudge",
    "auto_paused",
    "skipped",
    "booked_slot",
    "met_with_slot",
    "met_rate_slot",
    "met_rate_no_slot",
)


def _fixed(value: float | None, places: int = 4) -> str:
    return "" if value is None else f"{value:.{places}f}"


def _record(row: OutcomeRow) -> dict[str, Any]:
    return {
        "round": "all" if row.round_number is None else row.round_number,
        "intro_at": row.intro_at.isoformat() if row.intro_at else None,
        "active": row.active,
        "groups": row.groups,
        "met": row.met,
        "met_rate": row.met_rate,
        "reflected": row.reflected,
        "reflection_rate": row.reflection_rate,
        "rated": row.rated,
        "rating_total": row.rating_total,
        "mean_rating": row.mean_rating,
        "cross_org": row.cross_org,
        "cross_org_share": row.cross_org_share,
        "repeats": row.repeats,
        "joiners": row.joiners,
        "leavers": row.leavers,
        "nudged": row.nudged,
        "met_after_nudge": row.met_after_nudge,
        "auto_paused": row.auto_paused,
        "skipped": row.skipped,
        "booked_slot": row.booked_slot,
        "met_with_slot": row.met_with_slot,
        "met_rate_slot": row.met_rate_slot,
        "met_rate_no_slot": row.met_rate_no_slot,
    }


def as_json(report: OutcomeReport, experiment: ExperimentAnswer | None = None) -> str:
    """Return the report as one JSON document: counts, and rates as full-precision floats."""
    document: dict[str, Any] = {
        "community": {"id": report.community_id, "name": report.community_name},
        "rounds": [_record(row) for row in report.rounds],
        "cumulative": _record(report.cumulative),
    }
    if experiment is not None:
        document["experiment"] = experiment_record(experiment)
    return json.dumps(document, indent=2)


def as_csv(report: OutcomeReport) -> str:
    """Return one CSV line per round and a last line ``all``; rates to 4 decimal places."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_COLUMNS)
    for row in (*report.rounds, report.cumulative):
        record = _record(row)
        writer.writerow(
            _fixed(record[c])
            if isinstance(record[c], float)
            else ("" if record[c] is None else record[c])
            for c in _COLUMNS
        )
    return out.getvalue()


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def as_table(report: OutcomeReport, last: int | None = None) -> str:
    """Return a compact fixed-width table of the last ``last`` rounds (all when None) and the total."""
    rows = report.rounds if last is None else report.rounds[-last:] if last else ()
    head = (
        "round active groups  met refl rating x-org rep join left nudged n-met paused skipped"
        " slot met|slot met|none"
    )
    lines = [head]
    for row in (*rows, report.cumulative):
        name = "all" if row.round_number is None else str(row.round_number)
        rating = "–" if row.mean_rating is None else f"{row.mean_rating:.2f}"
        lines.append(
            f"{name:>5} {row.active:>6} {row.groups:>6} {_percent(row.met_rate):>4}"
            f" {_percent(row.reflection_rate):>4} {rating:>6} {_percent(row.cross_org_share):>5}"
            f" {row.repeats:>3} {row.joiners:>4} {row.leavers:>4}"
            f" {row.nudged:>6} {row.met_after_nudge:>5} {row.auto_paused:>6} {row.skipped:>7}"
            f" {row.booked_slot:>4} {_percent(row.met_rate_slot):>8}"
            f" {_percent(row.met_rate_no_slot):>8}"
        )
    return "\n".join(lines)


FORMATS = {"text": as_table, "csv": as_csv, "json": as_json}


def render(report: OutcomeReport, form: str, experiment: ExperimentAnswer | None = None) -> str:
    """Render the report as ``text``, ``csv`` or ``json``, with the experiment's answer if given."""
    if form not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {form!r}")
    if experiment is not None and form == "text":
        return f"{as_table(report)}\n\n{experiment_text(experiment)}"
    if experiment is not None and form == "json":
        return as_json(report, experiment)
    return FORMATS[form](report)
