"""Find the member a command names, refusing anyone who is not in this community."""

from __future__ import annotations

from pairing_core.errors import DomainError
from pairing_core.member import Member, MemberStatus
from pairing_core.ports import UnitOfWork
from pairing_core.texts import mention
from pairing_core.typed_input import MEMBER_ID

__all__ = ["checked_member_id", "known_member"]


def checked_member_id(member_id: str) -> str:
    """Return ``member_id`` if it can name anyone on a platform, or refuse (without echoing it)."""
    if not member_id or len(member_id) > MEMBER_ID.limit or not member_id.isprintable():
        raise DomainError("That is not a person I recognise.")
    return member_id


async def known_member(uow: UnitOfWork, community_id: str, member_id: str) -> Member:
    """Return the member ``member_id`` names (inside an open unit of work), or refuse saying why."""
    checked_member_id(member_id)
    member = await uow.members.get(community_id, member_id)
    if member is None or member.status is MemberStatus.ERASED:
        raise DomainError(f"{mention(member_id)} has never joined UnMentoring here.")
    return member
