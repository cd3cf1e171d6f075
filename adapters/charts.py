"""Outcome charts as PNG images, drawn with matplotlib's Agg backend (no display needed)."""

from __future__ import annotations

import io

from pairing_core.outcomes import OutcomeReport

__all__ = ["PngCharts"]


class PngCharts:
    """Draw the per-round figures: people and groups above, the four rates (0-100%) below."""

    def render(self, report: OutcomeReport) -> bytes:
        """Return a PNG of the report's rounds (an empty frame when there are none)."""
        # imported here so the bot starts, and the core's tests run, without loading matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator

        rows = report.rounds
        numbers = [r.round_number for r in rows]
        figure = Figure(figsize=(10, 6), dpi=100)
        figure.subplots_adjust(right=0.72)
        FigureCanvasAgg(figure)
        counts, rates = figure.subplots(2, 1, sharex=True)
        counts.set_title(f"UnMentoring in {report.community_name}")
        for label, values in (
            ("active members", [r.active for r in rows]),
            ("groups", [r.groups for r in rows]),
            ("repeated pairs", [r.repeats for r in rows]),
            ("new joiners", [r.joiners for r in rows]),
            ("leavers", [r.leavers for r in rows]),
        ):
            counts.plot(numbers, values, marker="o", label=label)
        counts.set_ylabel("people / groups / pairs")
        counts.yaxis.set_major_locator(MaxNLocator(integer=True))
        counts.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
        for label, shares in (
            ("met", [r.met_rate for r in rows]),
            ("reflected", [r.reflection_rate for r in rows]),
            ("cross-organisation", [r.cross_org_share for r in rows]),
            (
                "mean rating (of 5)",
                [None if r.mean_rating is None else r.mean_rating / 5 for r in rows],
            ),
        ):
            # a rate with no denominator is a gap in the line, not a zero
            rates.plot(
                numbers,
                [float("nan") if s is None else s * 100 for s in shares],
                marker="o",
                label=label,
            )
        rates.set_ylim(0, 105)
        rates.set_ylabel("% of groups (rating: % of 5)")
        rates.set_xlabel("round")
        rates.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
        if 0 < len(numbers) <= 20:
            rates.set_xticks(numbers)
        else:  # a tick per round would overlap: whole numbers, as many as fit
            rates.xaxis.set_major_locator(MaxNLocator(integer=True))
        out = io.BytesIO()
        figure.savefig(out, format="png")
        return out.getvalue()
