"""Several programmes' outcome reports in one table, CSV or JSON, with a column for the programme.

Each programme's figures are printed exactly as ``outcome_formats`` prints one report; this only
adds the programme's name in front of its rows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

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


def _json(reports: Sequence[ProgrammeReport], community_id: str, community_name: str) -> str:
    programmes: list[dict[str, Any]] = []
    for name, report in reports:
        document = json.loads(as_json(report))
        programmes.append(
            {_COLUMN: name, "rounds": document["rounds"], "cumulative": document["cumulative"]}
        )
    return json.dumps(
        {"community": {"id": community_id, "name": community_name}, "programmes": programmes},
        indent=2,
    )


def render_programmes(
    reports: Sequence[ProgrammeReport], form: str, community_id: str, community_name: str
) -> str:
    """Render several programmes' reports as ``text``, ``csv`` or ``json``, each row named.

    Text and CSV get a first column ``programme``; JSON lists the programmes, each with its
    ``rounds`` and ``cumulative`` as a one-programme report has them.
    """
    if form not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {form!r}")
    if not reports:
        raise ValueError("no programme to report on")
    if form == "text":
        return _table(reports)
    if form == "csv":
        return _csv(reports)
    return _json(reports, community_id, community_name)
