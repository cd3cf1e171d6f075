"""A message's files survive the outbox: the round summary's chart is delivered from storage."""

from __future__ import annotations

from collections.abc import Callable

from adapters.persistence import SqlAlchemyUnitOfWork
from pairing_core.community import Community
from pairing_core.message import SENT_REF, Attachment, Message, OutboxStatus, Target
from tests.integration.objects import an_outbox_item

NewUow = Callable[[], SqlAlchemyUnitOfWork]

# every byte value, as a PNG's binary body has
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


class TestOutboxFiles:
    async def test_a_summary_comes_back_with_its_chart_byte_for_byte(
        self, community: Community, new_uow: NewUow
    ) -> None:
        chart = Attachment("unmentor-outcomes.png", PNG, "image/png")
        item = an_outbox_item(
            "round:1:summary",
            target=Target.channel("CREFL"),
            message=Message("*Round 1 is over.*", attachments=(chart,)),
        )
        async with new_uow() as uow:
            await uow.outbox.add(item)
            await uow.commit()
        async with new_uow() as uow:
            stored = await uow.outbox.get(community.id, item.key)
        assert stored is not None and stored.message.attachments == (chart,)

    async def test_a_sent_post_keeps_its_link(self, community: Community, new_uow: NewUow) -> None:
        item = an_outbox_item("round:1:group:0:takeaway", target=Target.channel("CREFL"))
        async with new_uow() as uow:
            await uow.outbox.add(item)
            await uow.commit()
        link = "https://localgov.slack.com/archives/CREFL/p1700000000000001"
        async with new_uow() as uow:
            sent = await uow.outbox.get(community.id, item.key)
            assert sent is not None
            sent.status, sent.extra[SENT_REF] = OutboxStatus.SENT, link
            await uow.outbox.save(sent)
            await uow.commit()
        async with new_uow() as uow:
            stored = await uow.outbox.get(community.id, item.key)
        assert stored is not None and stored.link == link
