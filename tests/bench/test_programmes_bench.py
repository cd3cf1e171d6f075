"""``bench/programmes.py --quick`` runs to the end and reports every row (timings live there)."""

from __future__ import annotations

import pytest

from bench.programmes import main


class TestProgrammesBenchmark:
    def test_the_quick_mode_reports_every_check_with_every_intro_queued(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        rows = main(["--quick", "--no-save", "--sqlite-only"])
        assert len(rows) == 8
        assert capsys.readouterr().out.count("| SQLite |") == 8
        by_check = {row.check: row for row in rows}
        assert by_check["5 programmes x 100 members: programmes introduced / failed"].result == 0
        assert by_check["5 programmes x 100 members: groups whose intro is not queued"].result == 0
        jobs = by_check["resync, 100 programmes in 20 communities: jobs placed"]
        assert jobs.result == 0 and jobs.shown == "100 of 100"
