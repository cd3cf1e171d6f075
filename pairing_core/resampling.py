"""Bootstrap resamples of ratings drawn in time that does not grow with the number of ratings.

Resampling n ratings with replacement only decides how many times each distinct rating is drawn,
and those counts follow a multinomial distribution: drawn as one binomial per distinct rating
(each given the draws left), a resample costs a few binomial draws, however many ratings there
are. The binomial draws are Python 3.12's ``random.binomialvariate`` algorithm (Devroye's
geometric method below 10 expected successes, else Hörmann's BTRS), kept here so that Python
3.11 draws exactly the same numbers from the same seed.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence

__all__ = ["binomial", "resampled_means"]


def binomial(rng: random.Random, n: int, p: float) -> int:
    """Return how many of ``n`` trials succeed, each with probability ``p``."""
    if p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    if n == 1:
        return int(rng.random() < p)
    if p > 0.5:
        return n - binomial(rng, n, 1.0 - p)
    if n * p < 10.0:  # geometric waiting times, O(np)
        successes = trials = 0
        c = math.log2(1.0 - p)
        if not c:
            return 0
        while True:
            trials += math.floor(math.log2(rng.random()) / c) + 1
            if trials > n:
                return successes
            successes += 1
    return _btrs(rng, n, p)


def _btrs(rng: random.Random, n: int, p: float) -> int:
    """Hörmann's transformed rejection with squeeze, for n * p >= 10 and p <= 0.5."""
    spq = math.sqrt(n * p * (1.0 - p))
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    vr = 0.92 - 4.2 / b
    alpha = (2.83 + 5.1 / b) * spq
    lpq = math.log(p / (1.0 - p))
    m = math.floor((n + 1) * p)  # the mode
    h = math.lgamma(m + 1) + math.lgamma(n - m + 1)
    while True:
        u = rng.random() - 0.5
        us = 0.5 - math.fabs(u)
        k = math.floor((2.0 * a / us + b) * u + c)
        if k < 0 or k > n:
            continue
        v = rng.random()
        if us >= 0.07 and v <= vr:  # the squeeze: most draws are accepted here
            return k
        v *= alpha / (a / (us * us) + b)
        if math.log(v) <= h - math.lgamma(k + 1) - math.lgamma(n - k + 1) + (k - m) * lpq:
            return k


def resampled_means(ratings: Sequence[int], rng: random.Random, resamples: int) -> list[float]:
    """Return the means of ``resamples`` resamples of ``ratings``, drawn with replacement."""
    size = len(ratings)
    counts = sorted(Counter(ratings).items())
    # ratings at or after each position, so every conditional probability is a ratio of integers
    after = [sum(n for _, n in counts[i:]) for i in range(len(counts))]
    means = []
    for _ in range(resamples):
        left, total = size, 0
        for (value, count), remaining in zip(counts[:-1], after, strict=False):
            drawn = binomial(rng, left, count / remaining)
            total += drawn * value
            left -= drawn
        total += left * counts[-1][0]
        means.append(total / size)
    return means
