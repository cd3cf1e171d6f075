"""The experiment's answer printed as text, CSV and JSON, alone and with the outcome report."""

from __future__ import annotations

import csv
import io
import json

import pytest

from pairing_core.experiment import ExperimentAnswer, experiment_answer
from pairing_core.experiment_formats import experiment_csv, experiment_record, experiment_text
from pairing_core.outcome_formats import as_table, render
from pairing_core.outcomes import outcomes
from pairing_core.programme_experiment_formats import render_experiments
from pairing_core.programme_outcome_formats import render_programmes
from tests.unit.simulated_ratings import rated_history


@pytest.fixture(scope="module")
def answer() -> ExperimentAnswer:
    return experiment_answer(*rated_history(seed=7, planted=True))


class TestExperimentFormats:
    def test_text_has_each_figure_then_the_sentences(self, answer: ExperimentAnswer) -> None:
        lines = experiment_text(answer).splitlines()
        assert lines[1:3] == [
            "  overall: 3.05 [2.71 to 3.38] (58)",
            "  mixed organisations vs same organisation: 3.71 [3.39 to 4.00] (38) vs "
            "1.80 [1.40 to 2.20] (20); difference +1.91 [+1.40 to +2.42] (58)",
        ]
        assert lines[6:8] == [
            "  round 1: 3.12 [2.12 to 4.00] (8)",
            "  round 2: 3.80 [3.20 to 4.40] (5)",
        ]
        assert lines[-4].startswith("mixed organisations vs same organisation: groups that mixed")

    def test_csv_has_a_row_overall_per_comparison_and_per_round(
        self, answer: ExperimentAnswer
    ) -> None:
        rows = list(csv.DictReader(io.StringIO(experiment_csv(answer))))
        assert [r["figure"] for r in rows][:6] == [
            "overall",
            "mixed organisations vs same organisation",
            "met vs did not meet",
            "pairs vs groups of 3 or more",
            "first meetings vs repeats",
            "round 1",
        ]
        mixed = rows[1]
        assert (mixed["a_mean"], mixed["b_mean"], mixed["b_n"]) == ("3.7105", "1.8000", "20")
        assert (mixed["difference"], mixed["difference_low"]) == ("1.9105", "1.4026")
        assert rows[-1]["figure"] == "round 8" and rows[-1]["sentence"] == ""

    def test_json_keeps_full_precision_and_none_as_null(self, answer: ExperimentAnswer) -> None:
        record = experiment_record(answer)
        assert record["overall"] == {
            "mean": answer.overall.mean,
            "low": answer.overall.low,
            "high": answer.overall.high,
            "n": 58,
        }
        assert record["by_round"][0]["round"] == 1
        short = experiment_answer(*rated_history(seed=7, planted=True, rounds=3))
        pairs = experiment_record(short)["comparisons"][2]
        assert (pairs["difference"], pairs["b"]["mean"], pairs["b"]["n"]) == (None, None, 3)


class TestWithTheOutcomeReport:
    def test_json_has_the_answer_under_experiment(self, answer: ExperimentAnswer) -> None:
        report = outcomes("C", "Test", *rated_history(seed=7, planted=True))
        data = json.loads(render(report, "json", answer))
        assert data["experiment"] == json.loads(json.dumps(experiment_record(answer)))
        assert "experiment" not in json.loads(render(report, "json"))

    def test_text_puts_the_answer_under_the_table(self, answer: ExperimentAnswer) -> None:
        report = outcomes("C", "Test", *rated_history(seed=7, planted=True))
        assert render(report, "text", answer) == f"{as_table(report)}\n\n{experiment_text(answer)}"
        assert render(report, "csv", answer) == render(report, "csv")

    def test_several_programmes_need_an_answer_each(self, answer: ExperimentAnswer) -> None:
        report = outcomes("C", "Test", *rated_history(seed=7, planted=True))
        with pytest.raises(ValueError, match="one experiment answer per programme"):
            render_programmes([("a", report), ("b", report)], "json", "C", "Test", [answer])

    def test_alone_an_unknown_format_is_refused(self, answer: ExperimentAnswer) -> None:
        with pytest.raises(ValueError, match="format must be one of text, csv, json"):
            render_experiments([("general", answer)], "xml")
