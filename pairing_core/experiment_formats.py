"""The experiment's answer as text, chat sentences, CSV rows or a JSON-ready record.

Every figure is printed from the ``ExperimentAnswer``; a figure there were too few answers for
is printed as "–" in text and left empty in CSV (``null`` in JSON), never as a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from pairing_core.experiment import ExperimentAnswer
from pairing_core.rating_estimates import MINIMUM_ANSWERS, Estimate

__all__ = [
    "CSV_COLUMNS",
    "experiment_csv",
    "experiment_lines",
    "experiment_record",
    "experiment_rows",
    "experiment_text",
]

CSV_COLUMNS = (
    "figure",
    "a_mean",
    "a_low",
    "a_high",
    "a_n",
    "b_mean",
    "b_low",
    "b_high",
    "b_n",
    "difference",
    "difference_low",
    "difference_high",
    "sentence",
)
HEADING = "Did the conversation challenge their thinking? Mean rating 1-5 [95% interval] (ratings):"


def _estimate(e: Estimate | None) -> dict[str, Any] | None:
    return None if e is None else {"mean": e.mean, "low": e.low, "high": e.high, "n": e.n}


def experiment_record(answer: ExperimentAnswer) -> dict[str, Any]:
    """Return the answer as plain data, the shape of the JSON report's ``experiment`` key."""
    return {
        "overall": _estimate(answer.overall),
        "sentence": answer.sentence,
        "comparisons": [
            {
                "name": c.name,
                "a": _estimate(c.a),
                "b": _estimate(c.b),
                "difference": _estimate(c.difference),
                "sentence": c.sentence,
            }
            for c in answer.comparisons
        ],
        "by_round": [
            {"round": number, **(_estimate(e) or {})}
            for number, e in zip(answer.round_numbers, answer.by_round, strict=True)
        ],
    }


def _fixed(value: float | None, places: int = 4) -> str:
    return "" if value is None else f"{value:.{places}f}"


def _cells(e: Estimate | None) -> list[str]:
    if e is None:
        return ["", "", "", ""]
    return [_fixed(e.mean), _fixed(e.low), _fixed(e.high), str(e.n)]


def experiment_rows(answer: ExperimentAnswer) -> list[list[str]]:
    """Return one CSV row overall, one per comparison and one per round (``CSV_COLUMNS``)."""
    rows = [["overall", *_cells(answer.overall), *_cells(None), "", "", "", answer.sentence]]
    for c in answer.comparisons:
        difference = _cells(c.difference)[:3]
        rows.append([c.name, *_cells(c.a), *_cells(c.b), *difference, c.sentence])
    for number, e in zip(answer.round_numbers, answer.by_round, strict=True):
        rows.append([f"round {number}", *_cells(e), *_cells(None), "", "", "", ""])
    return rows


def experiment_csv(answer: ExperimentAnswer) -> str:
    """Return the answer as CSV: a header, then the rows of ``experiment_rows``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(experiment_rows(answer))
    return out.getvalue()


def _short(e: Estimate | None, signed: bool = False) -> str:
    if e is None or e.mean is None or e.low is None or e.high is None:
        return f"– ({0 if e is None else e.n})"
    form = "+.2f" if signed else ".2f"
    return f"{e.mean:{form}} [{e.low:{form}} to {e.high:{form}}] ({e.n})"


def experiment_text(answer: ExperimentAnswer) -> str:
    """Return the figures as lines of text, then the sentences that say what they show."""
    lines = [HEADING, f"  overall: {_short(answer.overall)}"]
    for c in answer.comparisons:
        difference = "–" if c.difference is None else _short(c.difference, signed=True)
        lines.append(f"  {c.name}: {_short(c.a)} vs {_short(c.b)}; difference {difference}")
    rounds: Sequence[tuple[int, Estimate]] = list(
        zip(answer.round_numbers, answer.by_round, strict=True)
    )
    lines += [f"  round {number}: {_short(e)}" for number, e in rounds]
    return "\n".join([*lines, *experiment_lines(answer)])


def experiment_lines(answer: ExperimentAnswer) -> list[str]:
    """Return the answer's sentences: overall, each comparison made, then one for those not made.

    The comparisons short of answers share one line, so a young programme's reply stays short.
    """
    short = [c for c in answer.comparisons if c.difference is None]
    lines = [answer.sentence, *(c.sentence for c in answer.comparisons if c not in short)]
    if short:
        sides = "; ".join(f"{c.name} ({c.a.n} and {c.b.n} ratings)" for c in short)
        lines.append(
            f"Not enough answers yet to compare {sides}: "
            f"a comparison needs at least {MINIMUM_ANSWERS} ratings on each side."
        )
    return lines
