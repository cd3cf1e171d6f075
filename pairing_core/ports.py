"""The ports adapters implement: storage (a unit of work over repositories), the chat platform, a clock."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import datetime, timedelta
from types import TracebackType
from typing import Protocol, Self

from pairing_core.community import Community
from pairing_core.member import Block, Member, MemberStatus
from pairing_core.message import Message, OutboxItem
from pairing_core.outcomes import OutcomeReport
from pairing_core.programme import Programme
from pairing_core.reflection import Reflection
from pairing_core.round import Round, RoundChoice

__all__ = [
    "BlockRepository",
    "ChartRenderer",
    "ChatPlatform",
    "Clock",
    "CommunityRepository",
    "DeliveryError",
    "MemberRepository",
    "OutboxRepository",
    "ProgrammeRepository",
    "ReflectionRepository",
    "RoundRepository",
    "UnitOfWork",
]


class Clock(Protocol):
    def now(self) -> datetime:
        """Return the current time, timezone-aware."""
        ...


class ChartRenderer(Protocol):
    def render(self, report: OutcomeReport) -> bytes:
        """Return a PNG image of the report's per-round figures."""
        ...


class CommunityRepository(Protocol):
    async def get(self, community_id: str) -> Community | None: ...
    async def add(self, community: Community) -> bool:
        """Store a new community; return False (changing nothing) when its id exists."""
        ...

    async def save(self, community: Community) -> None: ...
    async def list(self) -> list[Community]: ...


class ProgrammeRepository(Protocol):
    async def get(self, community_id: str, programme_id: str) -> Programme | None: ...
    async def named(self, community_id: str, name: str) -> Programme | None:
        """Return the community's programme called ``name``, ignoring case."""
        ...

    async def add(self, programme: Programme) -> bool:
        """Store a new programme; return False (changing nothing) when its id or name is taken.

        Names are compared ignoring case; two requests creating the same name at once store one.
        """
        ...

    async def save(self, programme: Programme) -> None:
        """Store the programme's name, settings, admins, binding and archiving."""
        ...

    async def every(self) -> list[Programme]:
        """Return every programme of every community (for the scheduler), in one query."""
        ...

    async def count(self, community_id: str) -> int: ...

    # last, so ``list[...]`` in the annotations above means the builtin
    async def list(self, community_id: str) -> list[Programme]:
        """Return the community's programmes, archived ones included, oldest first."""
        ...


class MemberRepository(Protocol):
    """People of a community and their membership of each programme.

    A ``Member`` is one person in one programme: the person's fields (display name,
    organisation, contact, about line, time zone, working hours) are stored once per community
    and shared by all their memberships.
    """

    async def get(self, community_id: str, member_id: str, *, programme_id: str) -> Member | None:
        """Return the person's membership of the programme (None if they never joined it)."""
        ...

    async def add(self, member: Member) -> bool:
        """Store a new membership; return False (changing nothing) when it is already stored.

        The person is stored too when new; an existing person's fields are left as they are
        (``save`` changes them). Two requests adding the same membership at once store one
        row: the second gets False.
        """
        ...

    async def save(self, member: Member) -> None:
        """Store the membership's status and dates, and the person's fields."""
        ...

    async def delete(self, community_id: str, member_id: str) -> None:
        """Delete the person and every membership of theirs."""
        ...

    async def memberships(self, community_id: str, member_id: str) -> list[Member]:
        """Return the person's membership of every programme they ever joined."""
        ...

    # last, so ``list[...]`` in the annotations above means the builtin
    async def list(
        self,
        community_id: str,
        statuses: Sequence[MemberStatus] | None = None,
        *,
        programme_id: str | None,
    ) -> list[Member]:
        """Return the programme's memberships (every programme's when ``programme_id`` is None)."""
        ...


class BlockRepository(Protocol):
    async def add(self, block: Block) -> bool:
        """Store the block; return False when that pair was already blocked by that author."""
        ...

    async def remove(self, block: Block) -> bool: ...
    async def list(self, community_id: str) -> list[Block]: ...
    async def delete_member(self, community_id: str, member_id: str) -> None:
        """Delete every block the member is part of or authored."""
        ...


class RoundRepository(Protocol):
    """Rounds are numbered from 1 within their programme (``Round.programme_id``)."""

    async def get(self, community_id: str, programme_id: str, number: int) -> Round | None: ...
    async def latest(self, community_id: str, programme_id: str) -> Round | None: ...
    async def add(self, round_: Round) -> None: ...
    async def save(self, round_: Round) -> None:
        """Store the round's state, groups, check-in answers and sat-out members."""
        ...

    async def list(self, community_id: str, programme_id: str | None) -> list[Round]:
        """Return the programme's rounds by number (every programme's when None)."""
        ...

    async def pair_history(self, community_id: str, programme_id: str) -> dict[frozenset[str], int]:
        """Map each pair of members who shared a group in the programme to the latest round
        number they did."""
        ...

    async def latest_rounds(self) -> dict[tuple[str, str], tuple[Round, ...]]:
        """Return every programme's latest two rounds, newest first, keyed by (community,
        programme), in one query: their states and times only, without groups (for the
        scheduler, which needs no more to know when each programme's next step falls due)."""
        ...

    async def pair_last_met(self, community_id: str) -> dict[frozenset[str], datetime]:
        """Map each pair who shared a group in any programme to the latest such round's intro."""
        ...

    async def choices(
        self, community_id: str, programme_id: str, number: int
    ) -> dict[str, RoundChoice]:
        """Map each member who chose, for this round of the programme, to their choice."""
        ...

    async def choose(
        self,
        community_id: str,
        programme_id: str,
        number: int,
        member_id: str,
        choice: RoundChoice,
    ) -> None:
        """Record the member's choice for the (stored) round, replacing any earlier one."""
        ...

    async def skipped_counts(self, community_id: str, programme_id: str) -> dict[int, int]:
        """Map each round number of the programme to how many members chose to skip it."""
        ...

    async def member_choices(
        self, community_id: str, member_id: str
    ) -> builtins.list[tuple[str, int, RoundChoice]]:
        """Return the member's (programme, round number, choice) in every programme, in order."""
        ...

    async def forget_choices(self, community_id: str, member_id: str) -> None:
        """Delete every round choice the member made in the community."""
        ...


class ReflectionRepository(Protocol):
    async def add(self, reflection: Reflection) -> bool:
        """Store the group's takeaway; return False (changing nothing) when it has one already.

        Two takeaways for one group submitted at once store one: the other gets False.
        """
        ...

    async def list(
        self, community_id: str, programme_id: str | None, round_number: int | None = None
    ) -> list[Reflection]:
        """Return the programme's takeaways (every programme's when ``programme_id`` is None)."""
        ...

    async def for_group(
        self, community_id: str, programme_id: str, round_number: int, group_index: int
    ) -> Reflection | None: ...
    async def delete_member(
        self, community_id: str, member_id: str, names: Sequence[str] = ()
    ) -> None:
        """Delete the reflections the member wrote, and take them off the others' credits.

        The reflections kept lose the member's mentions, id and ``names`` from their text.
        """
        ...

    async def pseudonymise_member(
        self, community_id: str, member_id: str, pseudonym: str, names: Sequence[str] = ()
    ) -> None:
        """Replace the member's id with ``pseudonym`` as author and among the credited.

        Every reflection's text loses the member's mentions, id and ``names``.
        """
        ...


class OutboxRepository(Protocol):
    async def add(self, item: OutboxItem) -> bool:
        """Store the item unless its key exists in the community; return True when stored."""
        ...

    async def get(self, community_id: str, key: str) -> OutboxItem | None: ...
    async def save(self, item: OutboxItem) -> None: ...
    async def delete(self, community_id: str, key: str) -> None: ...
    async def pending(self, now: datetime, limit: int = 100) -> list[OutboxItem]:
        """Return pending items whose ``not_before`` has passed, oldest first."""
        ...

    async def claim(
        self,
        now: datetime,
        limit: int,
        lease: timedelta,
        platform: str | None = None,
        *,
        except_platform: str | None = None,
    ) -> list[OutboxItem]:
        """Take up to ``limit`` due pending items for this worker, oldest first.

        Each claimed item gets ``not_before = now + lease`` and one more attempt, so no other
        worker takes it until the lease runs out (and a worker that dies mid-send leaves it to be
        retried then), or until storage knows its worker is gone (a process that died), which
        lets it be taken over at once. Items another worker is claiming at the same moment are skipped. The caller
        commits at once, before sending.
        ``platform`` limits the claim to communities of that platform
        (so each adapter in a process sends only its own); ``except_platform`` leaves out the
        communities of that platform (the webhook worker never sends a playground's messages).
        Items that may make a call paused in
        their community next (``pairing_core.pacing.next_calls``) are left for later.
        """
        ...

    async def pause(self, community_id: str, call: str, until: datetime) -> None:
        """Hold back the community's items that may make ``call`` next until ``until``.

        Every worker, in this process or another replica, sees the pause at its next claim. A
        later end already stored for that call stands.
        """
        ...

    async def paused_until(
        self, now: datetime, platform: str | None = None, *, except_platform: str | None = None
    ) -> datetime | None:
        """Return the earliest end of the pauses still running (of the communities claimed)."""
        ...

    async def release(self, keys: Sequence[tuple[str, str]], until: datetime) -> None:
        """Hand back claimed items that were not tried, in one statement.

        ``keys`` are ``(community_id, key)`` pairs. Each still-pending item becomes due at
        ``until`` and gets back the attempt its claim counted.
        """
        ...

    # last, so ``list[...]`` in the annotations above means the builtin
    async def list(self, community_id: str) -> list[OutboxItem]:
        """Return every item of the community, whatever its status, oldest first."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every repository; ``commit`` makes its changes visible together."""

    communities: CommunityRepository
    programmes: ProgrammeRepository
    members: MemberRepository
    blocks: BlockRepository
    rounds: RoundRepository
    reflections: ReflectionRepository
    outbox: OutboxRepository

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        ...

    async def lock_community(self, community_id: str) -> None:
        """Hold the community's lock until this transaction ends; call it first, then read.

        Taken by changes to the community itself (its programmes, its admins, a person across
        programmes); a change that also touches programmes then takes their locks.
        """
        ...

    async def lock_programme(self, community_id: str, programme_id: str) -> None:
        """Hold one programme's lock until this transaction ends; call it first, then read.

        Round steps of one programme take turns (each happens once); two programmes' steps run
        at once. A change across programmes (erasure) takes the community's lock and then every
        programme's lock in id order, so no two transactions wait on each other in a circle.
        """
        ...

    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


class DeliveryError(Exception):
    """A platform refused or failed a send.

    ``permanent`` failures (DMs closed, user gone, bot removed from a channel) are not retried;
    others are, after ``retry_after`` seconds when the platform said so.
    """

    def __init__(self, reason: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


class ChatPlatform(Protocol):
    """What the core needs from Slack, Discord or the console; failures raise ``DeliveryError``."""

    async def open_group(self, community_id: str, member_ids: Sequence[str]) -> str:
        """Open (or find) one private conversation with all the members; return its id."""
        ...

    async def send(self, community_id: str, conversation_id: str, message: Message) -> str:
        """Post a message in a conversation; return a reference to it."""
        ...

    async def send_direct(self, community_id: str, member_id: str, message: Message) -> str: ...

    async def post_to_channel(self, community_id: str, channel_id: str, message: Message) -> str:
        """Post a message (and its files) to a channel; return a link people can open to it
        (``https://...``) where the platform has one, else another reference."""
        ...

    async def display_name(self, community_id: str, member_id: str) -> str | None:
        """Return the member's current display name, or None if the platform no longer knows them."""
        ...
