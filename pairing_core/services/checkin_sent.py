"""Where a group's half-way check-in was sent, as stored when it was delivered.

An adapter that edits the check-in after an answer (to take its buttons away) edits this message,
never one named by the request: a request names whatever its sender wrote into it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pairing_core.message import SENT_REF, OutboxItem, OutboxStatus
from pairing_core.ports import UnitOfWork
from pairing_core.services.group_followups import followup_key
from pairing_core.services.nudges import NUDGE

__all__ = ["SentCheckIn", "sent_checkin", "sent_checkin_buttons"]


@dataclass(frozen=True)
class SentCheckIn:
    conversation_id: str  # where it went: a group DM, a thread, or a DM fallback
    reference: str  # what the platform returned for the post (on Slack "channel:ts")


async def sent_checkin(
    uow: UnitOfWork, community_id: str, programme_id: str, round_number: int, group_index: int
) -> SentCheckIn | None:
    """Return where the group's check-in was posted; None while it is not (yet) sent."""
    async with uow:
        item = await uow.outbox.get(
            community_id, followup_key(programme_id, round_number, group_index, "checkin")
        )
    return _sent(item)


async def sent_checkin_buttons(
    uow: UnitOfWork, community_id: str, programme_id: str, round_number: int, group_index: int
) -> list[SentCheckIn]:
    """Return every message sent with the group's check-in buttons: the check-in, any reminder."""
    async with uow:
        items = [
            await uow.outbox.get(
                community_id, followup_key(programme_id, round_number, group_index, kind)
            )
            for kind in ("checkin", NUDGE)
        ]
    return [sent for sent in map(_sent, items) if sent is not None]


def _sent(item: OutboxItem | None) -> SentCheckIn | None:
    if item is None or item.status is not OutboxStatus.SENT:
        return None
    reference = item.extra.get(SENT_REF)
    if not isinstance(reference, str) or not item.conversation_id:
        return None
    return SentCheckIn(item.conversation_id, reference)
