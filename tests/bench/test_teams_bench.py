"""``bench/teams.py`` on a small round: every intro card sent once, none lost (timings live there)."""

from __future__ import annotations

from bench.teams import bench


class TestTeamsBenchmark:
    async def test_a_small_round_gets_every_intro_card_once_under_the_limits(self) -> None:
        delivery = await bench(60, first_round=True)
        assert (delivery.intros, delivery.calls) == (60, 120)
        assert (delivery.duplicates, delivery.lost, delivery.outbox_sent) == (0, 0, 30)
