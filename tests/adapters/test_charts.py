"""The outcome chart: a PNG drawn off-screen, including for a community with no rounds yet."""

from __future__ import annotations

import subprocess
import sys

from adapters.charts import PngCharts
from pairing_core.outcomes import outcomes
from tests.unit.test_outcomes import hand_built_report

PNG = b"\x89PNG\r\n\x1a\n"


class TestPngCharts:
    def test_a_history_is_drawn_as_a_png(self) -> None:
        png = PngCharts().render(hand_built_report())
        assert png.startswith(PNG)
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert (width, height) == (1000, 600)

    def test_no_rounds_still_give_an_image(self) -> None:
        assert PngCharts().render(outcomes("C", "Empty", [], [], [])).startswith(PNG)

    def test_matplotlib_is_loaded_only_when_a_chart_is_drawn(self) -> None:
        code = "import adapters.charts, bot.bootstrap, sys; print('matplotlib' in sys.modules)"
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == "False"
