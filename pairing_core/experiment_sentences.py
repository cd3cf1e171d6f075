"""The experiment's figures in plain words: what they show, and what they cannot.

A difference is called clear only when its 95% interval leaves out 0. Whatever the figures, the
ratings come from the groups that chose to share a takeaway, and groups were not assigned at
random to mix organisations, meet or repeat, so a difference shows an association, not a cause.
"""

from __future__ import annotations

from pairing_core.rating_estimates import Estimate

__all__ = ["CAVEAT", "NOT_ENOUGH", "comparison_sentence", "overall_sentence"]

NOT_ENOUGH = "not enough answers yet"
CAVEAT = (
    "Only groups that chose to share a takeaway rated it, so this speaks for those who "
    "answered, not for everyone; and a difference between kinds of group shows that they "
    "go together, not that one causes the other."
)


# Two decimals: with thousands of answers an interval is narrower than 0.1, and one decimal
# would print it as "3.5 to 3.5".
def _one(value: float | None) -> str:
    return "?" if value is None else f"{value:.2f}"


def _signed(value: float | None) -> str:
    # round first, so a tiny negative prints as +0.00 rather than -0.00
    return "?" if value is None else f"{round(value, 2) + 0.0:+.2f}"


def overall_sentence(overall: Estimate, groups: int, minimum: int) -> str:
    """Say the mean rating with its interval, or that there are not enough answers yet."""
    if not overall.known:
        return (
            f"Not enough answers yet: {overall.n} of {groups} groups rated how much their "
            f"conversation challenged their thinking, and a figure needs at least {minimum}."
        )
    return (
        f"Asked whether their conversation challenged their thinking (1-5), groups answered "
        f"{_one(overall.mean)} on average (95% interval {_one(overall.low)} to "
        f"{_one(overall.high)}; {overall.n} ratings from {groups} groups). {CAVEAT}"
    )


def comparison_sentence(
    name: str,
    a_label: str,
    b_label: str,
    a: Estimate,
    b: Estimate,
    difference: Estimate | None,
    minimum: int,
) -> str:
    """Say whether ``a`` rated higher or lower than ``b``, or that there are too few answers."""
    if difference is None or difference.mean is None:
        return (
            f"{name}: {NOT_ENOUGH} ({a.n} and {b.n} ratings; "
            f"a comparison needs at least {minimum} on each side)."
        )
    interval = f"95% interval {_signed(difference.low)} to {_signed(difference.high)}"
    low, high = difference.low or 0.0, difference.high or 0.0
    if low <= 0 <= high:
        return (
            f"{name}: no clear difference; {a_label} rated {_signed(difference.mean)} points "
            f"against {b_label} ({interval}, which includes 0; {a.n} and {b.n} ratings)."
        )
    direction = "higher" if difference.mean > 0 else "lower"
    return (
        f"{name}: {a_label} rated {abs(difference.mean):.2f} points {direction} than {b_label} "
        f"({interval}; {a.n} and {b.n} ratings)."
    )
