"""The experiment's answer alone (``unmentor report --experiment``), for one or more programmes.

One programme prints exactly as ``experiment_formats`` prints it (JSON under the key
``experiment``); several get a first CSV column ``programme``, a heading each in text, and a list
``programmes`` in JSON, each with its ``experiment``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from pairing_core.experiment import ExperimentAnswer
from pairing_core.experiment_formats import (
    CSV_COLUMNS,
    experiment_csv,
    experiment_record,
    experiment_rows,
    experiment_text,
)

__all__ = ["ProgrammeExperiment", "render_experiments"]

# A programme's name and its experiment answer.
ProgrammeExperiment = tuple[str, ExperimentAnswer]
_FORMS = ("text", "csv", "json")


def _csv(named: Sequence[ProgrammeExperiment]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["programme", *CSV_COLUMNS])
    for name, answer in named:
        writer.writerows([name, *row] for row in experiment_rows(answer))
    return out.getvalue()


def render_experiments(named: Sequence[ProgrammeExperiment], form: str) -> str:
    """Render the programmes' experiment answers as ``text``, ``csv`` or ``json``."""
    if form not in _FORMS:
        raise ValueError(f"format must be one of {', '.join(_FORMS)}, not {form!r}")
    if not named:
        raise ValueError("no programme to report on")
    if len(named) == 1:
        answer = named[0][1]
        if form == "text":
            return experiment_text(answer)
        if form == "csv":
            return experiment_csv(answer)
        return json.dumps({"experiment": experiment_record(answer)}, indent=2)
    if form == "text":
        return "\n\n".join(f"programme {name}:\n{experiment_text(a)}" for name, a in named)
    if form == "csv":
        return _csv(named)
    programmes = [{"programme": name, "experiment": experiment_record(a)} for name, a in named]
    return json.dumps({"programmes": programmes}, indent=2)
