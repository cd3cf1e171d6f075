"""Who is signed in, and what they may see: the core's admin rules, per community and programme."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from pairing_core.community import Community
from pairing_core.errors import DomainError
from pairing_core.programme import Programme
from pairing_core.services.context import Actor, Services
from pairing_core.services.where import Where, load_where

__all__ = ["NotAllowed", "Person", "allowed_where", "programmes_run_by"]


class NotAllowed(Exception):
    """The person is not an admin of what they asked for (or it does not exist)."""


@dataclass(frozen=True)
class Person:
    """A signed-in person: their platform id, and the communities sign-in found them in, with
    the platform roles they hold there (Discord's, matched against the admin-role setting)."""

    platform: str
    user_id: str
    name: str
    communities: dict[str, tuple[str, ...]]
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    def as_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "user_id": self.user_id,
            "name": self.name,
            "communities": {k: list(v) for k, v in self.communities.items()},
            "csrf": self.csrf,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Person:
        return cls(
            str(data["platform"]),
            str(data["user_id"]),
            str(data["name"]),
            {str(k): tuple(map(str, v)) for k, v in dict(data["communities"]).items()},
            str(data["csrf"]),
        )

    def roles(self, community_id: str) -> frozenset[str]:
        return frozenset(self.communities.get(community_id, ()))

    def actor(self, community_id: str) -> Actor:
        """The person as the core's use cases see them in ``community_id``."""
        return Actor(self.user_id, self.name, roles=self.roles(community_id))


def programmes_run_by(
    person: Person, community: Community, programmes: list[Programme]
) -> list[Programme]:
    """Return the programmes of ``community`` the person is an admin of (all for its admins)."""
    if community.id not in person.communities:
        return []
    roles = person.roles(community.id)
    return [p for p in programmes if p.is_admin(community, person.user_id, roles)]


async def allowed_where(
    person: Person, community_id: str, programme_id: str, services: Services
) -> Where:
    """Load the programme if the person is its admin; raise ``NotAllowed`` otherwise.

    A community sign-in did not find the person in is refused before anything is read, so an
    admin of one community learns nothing of another's, not even whether it exists.
    """
    if community_id not in person.communities:
        raise NotAllowed
    try:
        async with services.uow:
            where = await load_where(services.uow, community_id, programme_id)
    except DomainError:
        raise NotAllowed from None
    if not where.is_admin(person.user_id, person.roles(community_id)):
        raise NotAllowed
    return where
