"""The communities and programmes a signed-in person runs, as the core's admin rules say."""

from __future__ import annotations

from adapters.web.people import Person, programmes_run_by
from pairing_core.community import Community
from pairing_core.programme import Programme
from pairing_core.services.context import Services

__all__ = ["run_by"]


async def run_by(person: Person, services: Services) -> list[tuple[Community, list[Programme]]]:
    """Return each community the person is an admin in, with the programmes they run there."""
    found: list[tuple[Community, list[Programme]]] = []
    async with services.uow as uow:
        for community_id in sorted(person.communities):
            community = await uow.communities.get(community_id)
            if community is None:
                continue
            programmes = programmes_run_by(
                person, community, await uow.programmes.list(community_id)
            )
            if programmes:
                found.append((community, programmes))
    return found
