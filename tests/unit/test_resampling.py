"""Bootstrap resamples drawn as counts per rating: the same draws as Python 3.12, the right spread."""

from __future__ import annotations

import random
import statistics

from pairing_core.resampling import binomial, resampled_means

CASES = [
    (0, 0.3),
    (1, 0.3),
    (7, 0.2),
    (40, 0.1),
    (100, 0.3),
    (100, 0.7),
    (999, 0.5),
    (35000, 0.01),
    (35000, 0.42),
    (3, 1.0),
]


class TestBinomial:
    def test_it_draws_what_python_3_12s_binomialvariate_draws(self) -> None:
        # printed by Python 3.12.1: r = random.Random("oracle");
        # [r.binomialvariate(n, p) for n, p in CASES]
        rng = random.Random("oracle")
        assert [binomial(rng, n, p) for n, p in CASES] == [0, 0, 0, 2, 30, 66, 496, 362, 14798, 3]

    def test_its_draws_have_the_binomial_mean_and_variance(self) -> None:
        rng = random.Random(1)
        for n, p in ((12, 0.3), (400, 0.25), (400, 0.8)):
            draws = [binomial(rng, n, p) for _ in range(20_000)]
            assert abs(statistics.fmean(draws) - n * p) < 0.05 * n * p
            assert abs(statistics.pvariance(draws) - n * p * (1 - p)) < 0.1 * n * p * (1 - p)


class TestResampledMeans:
    def test_resample_means_centre_on_the_mean_with_the_bootstrap_spread(self) -> None:
        ratings = [1, 2, 3, 4, 5] * 4  # population variance 2, so a mean of 20 varies by 2 / 20
        means = resampled_means(ratings, random.Random(2), 20_000)
        assert abs(statistics.fmean(means) - 3.0) < 0.01
        assert abs(statistics.pvariance(means) - 0.1) < 0.005
        assert all(1 <= m <= 5 and (m * 20).is_integer() for m in means)

    def test_one_value_always_resamples_to_itself(self) -> None:
        assert resampled_means([4, 4, 4], random.Random(3), 5) == [4.0] * 5
