"""Mean ratings with bootstrap 95% intervals that come out the same on every run.

Each interval is a percentile bootstrap: ``RESAMPLES`` resamples of the ratings, drawn with
replacement, each of the same size as the ratings (drawn as counts per rating value, see
``resampling``, so the time does not grow with the ratings); the interval runs from the 2.5th to the 97.5th
percentile of the resamples' means (``statistics.quantiles(..., n=40, method="inclusive")``).
Every set of ratings is resampled by its own ``random.Random`` seeded with the seed and the
set's name, so a figure does not change when another figure is added or computed first, and the
two sides of a comparison are resampled independently of each other.

Below ``MINIMUM_ANSWERS`` ratings an estimate has no mean and no interval (only its ``n``): a
handful of answers says too little to be printed as a number.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from pairing_core.resampling import resampled_means

__all__ = ["MINIMUM_ANSWERS", "RESAMPLES", "SEED", "Estimate", "difference", "estimate"]

SEED = 16
RESAMPLES = 2_000
MINIMUM_ANSWERS = 5  # per estimate, and on each side of a comparison


@dataclass(frozen=True)
class Estimate:
    """A mean with its 95% interval, from ``n`` ratings; all None below ``MINIMUM_ANSWERS``.

    For a difference, ``n`` is the ratings on both sides together.
    """

    mean: float | None
    low: float | None
    high: float | None
    n: int

    @property
    def known(self) -> bool:
        """True when there were enough ratings for a figure."""
        return self.mean is not None


def _resampled_means(ratings: Sequence[int], name: str, seed: int, resamples: int) -> list[float]:
    return resampled_means(ratings, random.Random(f"{seed}:{name}"), resamples)


def _interval(values: Sequence[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(values, n=40, method="inclusive")
    return cuts[0], cuts[-1]


def estimate(
    ratings: Sequence[int],
    name: str,
    seed: int = SEED,
    resamples: int = RESAMPLES,
    minimum: int = MINIMUM_ANSWERS,
) -> Estimate:
    """Return the ratings' mean and bootstrap 95% interval (``name`` picks the random stream)."""
    if len(ratings) < max(minimum, 1):
        return Estimate(None, None, None, len(ratings))
    low, high = _interval(_resampled_means(ratings, name, seed, resamples))
    return Estimate(sum(ratings) / len(ratings), low, high, len(ratings))


def difference(
    a: Sequence[int],
    b: Sequence[int],
    name: str,
    seed: int = SEED,
    resamples: int = RESAMPLES,
    minimum: int = MINIMUM_ANSWERS,
) -> tuple[Estimate, Estimate, Estimate | None]:
    """Return the estimates of ``a`` and ``b`` and of mean(a) - mean(b); None below the minimum.

    The difference's interval pairs the i-th resample of ``a`` with the i-th of ``b``: the two are
    drawn independently, so each pair is one bootstrap draw of the difference.
    """
    if min(len(a), len(b)) < max(minimum, 1):
        return (
            estimate(a, f"{name}:a", seed, resamples, minimum),
            estimate(b, f"{name}:b", seed, resamples, minimum),
            None,
        )
    means_a = _resampled_means(a, f"{name}:a", seed, resamples)
    means_b = _resampled_means(b, f"{name}:b", seed, resamples)
    mean_a, mean_b = sum(a) / len(a), sum(b) / len(b)
    low, high = _interval([x - y for x, y in zip(means_a, means_b, strict=True)])
    return (
        Estimate(mean_a, *_interval(means_a), len(a)),
        Estimate(mean_b, *_interval(means_b), len(b)),
        Estimate(mean_a - mean_b, low, high, len(a) + len(b)),
    )
