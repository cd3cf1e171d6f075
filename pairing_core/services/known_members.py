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


async def known_member(
    uow: UnitOfWork, community_id: str, member_id: str, programme_id: str | None
) -> Member:
    """Return the member ``member_id`` names (inside an open unit of work), or refuse saying why.

    With a ``programme_id``, their membership of that programme; with None, any membership
    (for what holds in every programme, such as a block).
    """
    checked_member_id(member_id)
    if programme_id is None:
        found = await uow.members.memberships(community_id, member_id)
        member = found[0] if found else None
    else:
        member = await uow.members.get(community_id, member_id, programme_id=programme_id)
    if (
        member is None
        and programme_id is not None
        and await uow.members.memberships(community_id, member_id)
    ):
        raise DomainError(f"{mention(member_id)} has never joined this programme.")
    if member is None or member.status is MemberStatus.ERASED:
        raise DomainError(f"{mention(member_id)} has never joined UnMentoring here.")
    return member
