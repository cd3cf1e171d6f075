"""Where a use case acts: a community and one of its programmes, loaded together."""

from __future__ import annotations

from dataclasses import dataclass

from pairing_core.community import Community
from pairing_core.ports import UnitOfWork
from pairing_core.programme import Programme
from pairing_core.services.community_setup import load_community, load_programme

__all__ = ["Where", "load_where"]


@dataclass(frozen=True)
class Where:
    """A programme with its community; ``several`` when the community has other programmes.

    A community with one programme reads exactly as before programmes existed: its messages never
    name it. With several, messages that could come from any of them say which.
    """

    community: Community
    programme: Programme
    several: bool

    @property
    def community_id(self) -> str:
        return self.community.id

    @property
    def programme_id(self) -> str:
        return self.programme.id

    def named(self, text: str) -> str:
        """Prefix ``text`` with the programme's name when the community has several."""
        return f"[{self.programme.name}] {text}" if self.several else text

    def is_admin(self, member_id: str, roles: frozenset[str] = frozenset()) -> bool:
        return self.programme.is_admin(self.community, member_id, roles)

    @property
    def admins(self) -> frozenset[str]:
        """Who hears about this programme's problems: its admins and the community's."""
        return self.programme.told(self.community)


async def load_where(uow: UnitOfWork, community_id: str, programme_id: str) -> Where:
    """Load the programme and its community inside an open unit of work."""
    community = await load_community(uow, community_id)
    programme = await load_programme(uow, community_id, programme_id)
    several = await uow.programmes.count(community_id) > 1
    return Where(community, programme, several)
