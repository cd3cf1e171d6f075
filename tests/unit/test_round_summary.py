"""The summary posted to the reflections channel when a round closes: links and the chart."""

from __future__ import annotations

from pairing_core import commands as c
from pairing_core.dispatch import handle, handle_text
from pairing_core.message import SENT_REF, Attachment
from pairing_core.outcomes import OutcomeReport
from pairing_core.programme import GENERAL
from pairing_core.round import CheckInAnswer
from pairing_core.services.answers import record_checkin
from pairing_core.services.context import Actor
from pairing_core.services.outcome_figures import CHART_FILENAME
from pairing_core.services.round_calendar import run_due_steps
from tests.unit.conftest import COMMUNITY, World
from tests.unit.fakes import Sent

PNG = b"\x89PNG fake"


async def a_met_pair(world: World) -> None:
    """Alice and Bob are introduced in round 1 and say they met."""
    for who in ("alice", "bob"):
        await world.say(who, "join")
    await world.tick(days=5)
    await record_checkin(
        c.RecordCheckIn(1, 0, CheckInAnswer.MET), Actor("alice", "Alice"), COMMUNITY, world.services
    )


def summaries(world: World) -> list[Sent]:
    return [s for s in world.platform.sent if "is over" in s.message.text]


class TestTakeawayLinks:
    async def test_a_posted_takeaway_is_linked_from_the_summary(self, world: World) -> None:
        world.platform.links = True
        await a_met_pair(world)
        await world.say("alice", "reflect Councils share more than they think")
        [post] = [s for s in world.platform.sent if s.kind == "channel"]
        await world.tick(days=14)
        [summary] = summaries(world)
        assert summary.message.text == (
            "*Round 1 is over.* 1 of 1 group said they met.\n"
            "1 takeaway was shared:\n"
            "> Councils share more than they think "
            f"(<https://chat.example/CREFL/m{world.platform.sent.index(post) + 1}|see the post>)"
        )

    async def test_the_platforms_reference_is_kept_with_the_sent_item(self, world: World) -> None:
        world.platform.links = True
        await a_met_pair(world)
        await world.say("bob", "reflect Worth it")
        async with world.uow:
            item = await world.uow.outbox.get(COMMUNITY, "round:1:group:0:takeaway")
        assert item is not None and item.link is not None
        assert item.extra[SENT_REF] == item.link
        assert item.link.startswith("https://chat.example/CREFL/")

    async def test_a_takeaway_not_delivered_by_the_close_is_shown_without_a_link(
        self, world: World
    ) -> None:
        world.platform.links = True
        await a_met_pair(world)
        # shared, but the delivery worker has not run before the round closes
        await handle_text("reflect Late but true", Actor("bob", "Bob"), COMMUNITY, world.services)
        await world.tick(days=14)
        [summary] = summaries(world)
        assert summary.message.text.endswith("1 takeaway was shared:\n> Late but true")

    async def test_a_platform_without_links_gives_the_takeaways_alone(self, world: World) -> None:
        await a_met_pair(world)
        await world.say("alice", "reflect Plain")
        await world.tick(days=14)
        [summary] = summaries(world)
        assert summary.message.text.endswith("> Plain") and "<http" not in summary.message.text


class FakeCharts:
    """Draws nothing: records the reports it was asked for and answers fixed bytes."""

    def __init__(self) -> None:
        self.reports: list[OutcomeReport] = []

    def render(self, report: OutcomeReport) -> bytes:
        self.reports.append(report)
        return PNG


class TestChart:
    async def test_the_summary_carries_the_outcome_chart_of_the_closing_round(
        self, world: World
    ) -> None:
        charts = world.services.charts = FakeCharts()
        await a_met_pair(world)
        await world.tick(days=14)
        [summary] = summaries(world)
        assert summary.message.attachments == (Attachment(CHART_FILENAME, PNG, "image/png"),)
        [report] = charts.reports
        assert [(r.round_number, r.groups, r.met) for r in report.rounds] == [(1, 1, 1)]

    async def test_round_now_closes_the_running_round_with_its_chart(self, world: World) -> None:
        world.services.charts = FakeCharts()
        await a_met_pair(world)
        await world.say("boss", "admin round now", admin=True)
        [summary] = summaries(world)
        assert [a.filename for a in summary.message.attachments] == [CHART_FILENAME]

    async def test_without_a_chart_renderer_the_summary_is_text_alone(self, world: World) -> None:
        await a_met_pair(world)
        await world.tick(days=14)
        [summary] = summaries(world)
        assert summary.message.attachments == ()

    async def test_no_chart_is_drawn_without_a_reflections_channel(self) -> None:
        world = World()
        await world.setup(reflections_channel=None)
        charts = world.services.charts = FakeCharts()
        await a_met_pair(world)
        await world.tick(days=14)
        assert summaries(world) == [] and charts.reports == []

    async def test_an_erasure_before_delivery_leaves_the_summary_its_chart(
        self, world: World
    ) -> None:
        world.services.charts = FakeCharts()
        await a_met_pair(world)
        await world.say("alice", "reflect Worth it")
        world.clock.advance(days=14)
        await run_due_steps(
            world.services, COMMUNITY, GENERAL
        )  # closed; the summary not yet delivered
        forget = c.ForgetMe(confirm=True, keep_reflections_anonymised=True)
        await handle(forget, Actor("alice", "Alice"), COMMUNITY, world.services)
        await world.deliver()
        [summary] = summaries(world)
        assert [a.filename for a in summary.message.attachments] == [CHART_FILENAME]
