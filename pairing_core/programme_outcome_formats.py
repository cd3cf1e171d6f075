"""Several programmes' outcome reports in one table, CSV or JSON, with a column for the programme.

Each programme's figures are printed exactly as ``outcome_formats`` prints one report; this only
adds the programme's name in front of its rows. With the programmes' experiment answers, the
text adds each one's under the table and the JSON each one's under its ``experiment`` key.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from pairing_core.experiment import ExperimentAnswer
from pairing_core.experiment_formats import experiment_record, experiment_text
from pairing_core.outcome_formats import FORMATS, as_csv, as_json, as_table
from pairing_core.outcomes import OutcomeReport

__all__ = ["ProgrammeReport", "render_programmes"]

# A programme's name and its report.
ProgrammeReport = tuple[str, OutcomeReport]
_COLUMN = "programme"


def _table(reports: Sequence[ProgrammeReport]) -> str:
    width = max(len(_COLUMN), *(len(name) for name, _ in reports))
    lines: list[str] = []
    for name, report in reports:
        head, *rows = as_table(report).splitlines()
        if not lines:
            lines.append(f"{_COLUMN:<{width}} {head}")
        lines.extend(f"{name:<{width}} {row}" for row in rows)
    return "\n".join(lines)


def _csv(reports: Sequence[ProgrammeReport]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for index, (name, report) in enumerate(reports):
        head, *rows = csv.reader(io.StringIO(as_csv(report)))
        if index == 0:
            writer.writerow([_COLUMN, *head])
        writer.writerows([name, *row] for row in rows)
    return out.getvalue()


def _experiments_text(
    reports: Sequence[ProgrammeReport], experiments: Sequence[ExperimentAnswer]
) -> str:
    return "\n\n".join(
        f"{_COLUMN} {name}:\n{experiment_text(answer)}"
        for (name, _), answer in zip(reports, experiments, strict=True)
    )


def _json(
    reports: Sequence[ProgrammeReport],
    community_id: str,
    community_name: str,
    experiments: Sequence[ExperimentAnswer] | None,
) -> str:
    programmes: list[dict[str, Any]] = []
    for index, (name, report) in enumerate(reports):
        document = json.loads(as_json(report))
        programmes.append(
            {_COLUMN: name, "rounds": document["rounds"], "cumulative": document["cumulative"]}
        )
        if experiments is not None:
            programmes[-1]["experiment"] = experiment_record(experiments[index])
    return json.dumps(
        {"community": {"id": community_id, "name": community_name}, "programmes": programmes},
        indent=2,
    )


def render_programmes(
    reports: Sequence[ProgrammeReport],
    form: str,
    community_id: str,
    community_name: str,
    experiments: Sequence[ExperimentAnswer] | None = None,
) -> str:
    """Render several programmes' reports as ``text``, ``csv`` or ``json``, each row named.

    Text and CSV get a first column ``programme``; JSON lists the programmes, each with its
    ``rounds`` and ``cumulative`` as a one-programme report has them. ``experiments``, when
    given, holds each programme's experiment answer in the order of ``reports``.
    """
    if form not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {form!r}")
    if not reports:
        raise ValueError("no programme to report on")
    if experiments is not None and len(experiments) != len(reports):
        raise ValueError("one experiment answer per programme")
    if form == "text":
        table = _table(reports)
        return (
            table
            if experiments is None
            else f"{table}\n\n{_experiments_text(reports, experiments)}"
        )
    if form == "csv":
        return _csv(reports)
    return _json(reports, community_id, community_name, experiments)
