"""In-memory fakes of the core's ports: storage with real commit/rollback, a settable clock, a chat
platform that records what it sent and fails on demand through a handler function."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from types import TracebackType
from typing import Self

from pairing_core.community import Community
from pairing_core.member import Block, Member, MemberStatus
from pairing_core.message import Message, OutboxItem, OutboxStatus
from pairing_core.pacing import CONVERSATION_KEY, next_calls_of
from pairing_core.ports import (
    BlockRepository,
    CommunityRepository,
    MemberRepository,
    ProgrammeRepository,
    ReflectionRepository,
    RoundRepository,
)
from pairing_core.programme import GENERAL, Programme
from pairing_core.redaction import remove_member
from pairing_core.reflection import Reflection
from pairing_core.round import Round, RoundChoice


@dataclass
class _State:
    communities: dict[str, Community] = field(default_factory=dict)
    programmes: dict[tuple[str, str], Programme] = field(default_factory=dict)
    # (community, programme, member): a membership; the person's fields are copied to each
    members: dict[tuple[str, str, str], Member] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    rounds: dict[tuple[str, str, int], Round] = field(default_factory=dict)
    # (community, programme, round number, member): their choice for that round
    choices: dict[tuple[str, str, int, str], RoundChoice] = field(default_factory=dict)
    reflections: list[Reflection] = field(default_factory=list)
    outbox: dict[tuple[str, str], OutboxItem] = field(default_factory=dict)
    pauses: dict[tuple[str, str], datetime] = field(default_factory=dict)


class _Repo:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    @property
    def s(self) -> _State:
        assert self._uow.working is not None, "repository used outside `async with uow`"
        return self._uow.working


class _Communities(_Repo):
    async def get(self, community_id: str) -> Community | None:
        return copy.deepcopy(self.s.communities.get(community_id))

    async def add(self, community: Community) -> bool:
        if community.id in self.s.communities:
            return False
        self.s.communities[community.id] = copy.deepcopy(community)
        return True

    async def save(self, community: Community) -> None:
        self.s.communities[community.id] = copy.deepcopy(community)

    async def list(self) -> list[Community]:
        return copy.deepcopy(list(self.s.communities.values()))


class _Programmes(_Repo):
    async def get(self, community_id: str, programme_id: str) -> Programme | None:
        return copy.deepcopy(self.s.programmes.get((community_id, programme_id)))

    async def named(self, community_id: str, name: str) -> Programme | None:
        return next(
            (
                copy.deepcopy(p)
                for (c, _), p in self.s.programmes.items()
                if c == community_id and p.name.lower() == name.lower()
            ),
            None,
        )

    async def add(self, programme: Programme) -> bool:
        key = (programme.community_id, programme.id)
        if key in self.s.programmes or await self.named(programme.community_id, programme.name):
            return False
        self.s.programmes[key] = copy.deepcopy(programme)
        return True

    async def save(self, programme: Programme) -> None:
        self.s.programmes[(programme.community_id, programme.id)] = copy.deepcopy(programme)

    async def every(self) -> list[Programme]:
        return copy.deepcopy(list(self.s.programmes.values()))

    async def count(self, community_id: str) -> int:
        return sum(c == community_id for c, _ in self.s.programmes)

    async def list(self, community_id: str) -> list[Programme]:
        return copy.deepcopy(
            sorted(
                (p for (c, _), p in self.s.programmes.items() if c == community_id),
                key=lambda p: (p.created_at, p.id != GENERAL, p.id),
            )
        )


_PERSON = (
    "display_name",
    "organisation",
    "contact",
    "about",
    "timezone",
    "timezone_synced_at",
    "work_start",
    "work_end",
)


class _Members(_Repo):
    async def get(self, community_id: str, member_id: str, *, programme_id: str) -> Member | None:
        return copy.deepcopy(self.s.members.get((community_id, programme_id, member_id)))

    async def add(self, member: Member) -> bool:
        key = (member.community_id, member.programme_id, member.member_id)
        if key in self.s.members:
            return False
        stored = copy.deepcopy(member)
        person = await self._person(member.community_id, member.member_id)
        if person is not None:  # an existing person's fields stay as they are
            for name in _PERSON:
                setattr(stored, name, getattr(person, name))
        self.s.members[key] = stored
        return True

    async def _person(self, community_id: str, member_id: str) -> Member | None:
        return next(
            (m for (c, _, i), m in self.s.members.items() if (c, i) == (community_id, member_id)),
            None,
        )

    async def save(self, member: Member) -> None:
        key = (member.community_id, member.programme_id, member.member_id)
        if key not in self.s.members:
            raise LookupError(f"no member {member.member_id!r} in {member.community_id!r} to save")
        self.s.members[key] = copy.deepcopy(member)
        for (c, _, i), other in self.s.members.items():
            if (c, i) == (member.community_id, member.member_id):
                for name in _PERSON:
                    setattr(other, name, getattr(member, name))

    async def delete(self, community_id: str, member_id: str) -> None:
        for key in [k for k in self.s.members if (k[0], k[2]) == (community_id, member_id)]:
            del self.s.members[key]

    async def memberships(self, community_id: str, member_id: str) -> list[Member]:
        return [
            copy.deepcopy(m)
            for (c, _, i), m in sorted(self.s.members.items())
            if (c, i) == (community_id, member_id)
        ]

    async def list(
        self,
        community_id: str,
        statuses: Sequence[MemberStatus] | None = None,
        *,
        programme_id: str | None,
    ) -> list[Member]:
        return [
            copy.deepcopy(m)
            for (c, p, _), m in sorted(self.s.members.items(), key=lambda kv: (kv[0][2], kv[0][1]))
            if c == community_id
            and programme_id in (None, p)
            and (statuses is None or m.status in statuses)
        ]


class _Blocks(_Repo):
    async def add(self, block: Block) -> bool:
        if block in self.s.blocks:
            return False
        self.s.blocks.append(block)
        return True

    async def remove(self, block: Block) -> bool:
        if block not in self.s.blocks:
            return False
        self.s.blocks.remove(block)
        return True

    async def list(self, community_id: str) -> list[Block]:
        return [b for b in self.s.blocks if b.community_id == community_id]

    async def delete_member(self, community_id: str, member_id: str) -> None:
        self.s.blocks = [
            b
            for b in self.s.blocks
            if b.community_id != community_id or member_id not in (b.first, b.second, b.author)
        ]


class _Rounds(_Repo):
    async def get(self, community_id: str, programme_id: str, number: int) -> Round | None:
        return copy.deepcopy(self.s.rounds.get((community_id, programme_id, number)))

    async def latest(self, community_id: str, programme_id: str) -> Round | None:
        numbers = [n for c, p, n in self.s.rounds if (c, p) == (community_id, programme_id)]
        return await self.get(community_id, programme_id, max(numbers)) if numbers else None

    async def add(self, round_: Round) -> None:
        key = (round_.community_id, round_.programme_id, round_.number)
        assert key not in self.s.rounds, f"round {key} stored twice"
        self.s.rounds[key] = copy.deepcopy(round_)

    async def save(self, round_: Round) -> None:
        key = (round_.community_id, round_.programme_id, round_.number)
        self.s.rounds[key] = copy.deepcopy(round_)

    async def pair_history(self, community_id: str, programme_id: str) -> dict[frozenset[str], int]:
        history: dict[frozenset[str], int] = {}
        for (c, p, number), round_ in sorted(self.s.rounds.items()):
            if (c, p) != (community_id, programme_id):
                continue
            for group in round_.groups:
                for i, a in enumerate(group.members):
                    for b in group.members[i + 1 :]:
                        history[frozenset((a, b))] = number
        return history

    async def latest_rounds(self) -> dict[tuple[str, str], tuple[Round, ...]]:
        latest: dict[tuple[str, str], list[Round]] = {}
        for (c, p, _), round_ in sorted(self.s.rounds.items(), reverse=True):
            found = latest.setdefault((c, p), [])
            if len(found) < 2:
                found.append(replace(round_, groups=[], sat_out=[]))
        return {key: tuple(rounds) for key, rounds in latest.items()}

    async def pair_last_met(self, community_id: str) -> dict[frozenset[str], datetime]:
        met: dict[frozenset[str], datetime] = {}
        for (c, _, _), round_ in self.s.rounds.items():
            if c != community_id:
                continue
            for group in round_.groups:
                for i, a in enumerate(group.members):
                    for b in group.members[i + 1 :]:
                        pair = frozenset((a, b))
                        met[pair] = max(met.get(pair, round_.intro_at), round_.intro_at)
        return met

    async def list(self, community_id: str, programme_id: str | None) -> list[Round]:
        return [
            copy.deepcopy(r)
            for (c, p, _), r in sorted(self.s.rounds.items())
            if c == community_id and programme_id in (None, p)
        ]

    async def choices(
        self, community_id: str, programme_id: str, number: int
    ) -> dict[str, RoundChoice]:
        return {
            m: choice
            for (c, p, n, m), choice in self.s.choices.items()
            if (c, p, n) == (community_id, programme_id, number)
        }

    async def choose(
        self,
        community_id: str,
        programme_id: str,
        number: int,
        member_id: str,
        choice: RoundChoice,
    ) -> None:
        assert (community_id, programme_id, number) in self.s.rounds, "choice for no round"
        self.s.choices[(community_id, programme_id, number, member_id)] = choice

    async def skipped_counts(self, community_id: str, programme_id: str) -> dict[int, int]:
        counts: dict[int, int] = {}
        for (c, p, n, _), choice in self.s.choices.items():
            if (c, p) == (community_id, programme_id) and choice is RoundChoice.SKIP:
                counts[n] = counts.get(n, 0) + 1
        return counts

    async def member_choices(
        self, community_id: str, member_id: str
    ) -> list[tuple[str, int, RoundChoice]]:
        return sorted(
            (p, n, choice)
            for (c, p, n, m), choice in self.s.choices.items()
            if (c, m) == (community_id, member_id)
        )

    async def forget_choices(self, community_id: str, member_id: str) -> None:
        self.s.choices = {
            key: choice
            for key, choice in self.s.choices.items()
            if (key[0], key[3]) != (community_id, member_id)
        }


class _Reflections(_Repo):
    async def add(self, reflection: Reflection) -> bool:
        group = (reflection.programme_id, reflection.round_number, reflection.group_index)
        if await self.for_group(reflection.community_id, *group) is not None:
            return False  # as the storage's unique key on (community, round, group) refuses it
        self.s.reflections.append(reflection)
        return True

    async def list(
        self, community_id: str, programme_id: str | None, round_number: int | None = None
    ) -> list[Reflection]:
        return [
            r
            for r in self.s.reflections
            if r.community_id == community_id
            and programme_id in (None, r.programme_id)
            and round_number in (None, r.round_number)
        ]

    async def for_group(
        self, community_id: str, programme_id: str, round_number: int, group_index: int
    ) -> Reflection | None:
        return next(
            (
                r
                for r in self.s.reflections
                if (r.community_id, r.programme_id, r.round_number, r.group_index)
                == (community_id, programme_id, round_number, group_index)
            ),
            None,
        )

    async def delete_member(
        self, community_id: str, member_id: str, names: Sequence[str] = ()
    ) -> None:
        self.s.reflections = [
            replace(
                r,
                authors=tuple(a for a in r.authors if a != member_id),
                text=remove_member(r.text, member_id, names),
            )
            if r.community_id == community_id
            else r
            for r in self.s.reflections
            if not (r.community_id == community_id and r.author == member_id)
        ]

    async def pseudonymise_member(
        self, community_id: str, member_id: str, pseudonym: str, names: Sequence[str] = ()
    ) -> None:
        def swap(who: str) -> str:
            return pseudonym if who == member_id else who

        self.s.reflections = [
            replace(
                r,
                author=swap(r.author),
                authors=tuple(swap(a) for a in r.authors),
                text=remove_member(r.text, member_id, names),
            )
            if r.community_id == community_id
            else r
            for r in self.s.reflections
        ]


class _Outbox(_Repo):
    def __init__(self, uow: FakeUnitOfWork) -> None:
        super().__init__(uow)
        self.saved: list[str] = []  # keys, one per ``save`` call, for tests to count statements
        self.released: list[list[tuple[str, str]]] = []  # the keys of each ``release`` call

    async def add(self, item: OutboxItem) -> bool:
        key = (item.community_id, item.key)
        if key in self.s.outbox:
            return False
        self.s.outbox[key] = copy.deepcopy(item)
        return True

    async def get(self, community_id: str, key: str) -> OutboxItem | None:
        return copy.deepcopy(self.s.outbox.get((community_id, key)))

    async def save(self, item: OutboxItem) -> None:
        self.saved.append(item.key)
        self.s.outbox[(item.community_id, item.key)] = copy.deepcopy(item)

    async def delete(self, community_id: str, key: str) -> None:
        self.s.outbox.pop((community_id, key), None)

    async def pending(self, now: datetime, limit: int = 100) -> list[OutboxItem]:
        due = [
            i
            for i in self.s.outbox.values()
            if i.status is OutboxStatus.PENDING and (i.not_before is None or i.not_before <= now)
        ]
        return copy.deepcopy(due[:limit])

    async def claim(
        self,
        now: datetime,
        limit: int,
        lease: timedelta,
        platform: str | None = None,
        *,
        except_platform: str | None = None,
    ) -> list[OutboxItem]:
        due = sorted(
            (
                i
                for i in self.s.outbox.values()
                if i.status is OutboxStatus.PENDING
                and (i.not_before is None or i.not_before <= now)
                and self._on_platform(i.community_id, platform, except_platform)
                and not self._paused(i, now)
            ),
            key=lambda i: i.created_at,
        )[: max(limit, 0)]
        for item in due:
            item.not_before, item.attempts = now + lease, item.attempts + 1
        return copy.deepcopy(due)

    def _paused(self, item: OutboxItem, now: datetime) -> bool:
        opener = self.s.outbox.get((item.community_id, str(item.extra.get(CONVERSATION_KEY))))
        return any(
            self.s.pauses.get((item.community_id, call), now) > now
            for call in next_calls_of(item, opener)
        )

    async def release(self, keys: Sequence[tuple[str, str]], until: datetime) -> None:
        self.released.append(list(keys))
        for key in keys:
            item = self.s.outbox.get(key)
            if item is not None and item.status is OutboxStatus.PENDING:
                item.not_before, item.attempts = until, max(item.attempts - 1, 0)

    async def pause(self, community_id: str, call: str, until: datetime) -> None:
        key = (community_id, call)
        self.s.pauses[key] = max(until, self.s.pauses.get(key, until))

    async def paused_until(
        self, now: datetime, platform: str | None = None, *, except_platform: str | None = None
    ) -> datetime | None:
        running = [
            u
            for (c, _), u in self.s.pauses.items()
            if u > now and self._on_platform(c, platform, except_platform)
        ]
        return min(running, default=None)

    def _on_platform(
        self, community_id: str, platform: str | None, except_platform: str | None
    ) -> bool:
        if platform is None and except_platform is None:
            return True
        community = self.s.communities.get(community_id)
        return (
            community is not None
            and platform in (None, community.platform)
            and community.platform != except_platform
        )

    async def list(self, community_id: str) -> list[OutboxItem]:
        items = [i for (c, _), i in self.s.outbox.items() if c == community_id]
        return copy.deepcopy(sorted(items, key=lambda i: i.created_at))


class FakeUnitOfWork:
    """Works on a copy of the committed state; ``commit`` publishes it, leaving discards it."""

    def __init__(self) -> None:
        self.committed = _State()
        self.working: _State | None = None
        self.commits = 0
        self.locked: list[str] = []  # communities locked, in order, for tests to inspect
        self.communities: CommunityRepository = _Communities(self)
        # typed as the ports: a protocol's attributes are compared both ways
        self.programmes: ProgrammeRepository = _Programmes(self)
        self.members: MemberRepository = _Members(self)
        self.blocks: BlockRepository = _Blocks(self)
        self.rounds: RoundRepository = _Rounds(self)
        self.reflections: ReflectionRepository = _Reflections(self)
        self.outbox = _Outbox(self)

    async def __aenter__(self) -> Self:
        assert self.working is None, "nested unit of work"
        self.working = copy.deepcopy(self.committed)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.working = None

    async def lock_community(self, community_id: str) -> None:
        # One fake is used by one task at a time, so there is nothing to wait for.
        assert self.working is not None, "lock_community outside `async with uow`"
        self.locked.append(community_id)

    async def lock_programme(self, community_id: str, programme_id: str) -> None:
        assert self.working is not None, "lock_programme outside `async with uow`"
        self.locked.append(f"{community_id}/{programme_id}")

    async def commit(self) -> None:
        assert self.working is not None
        self.committed = copy.deepcopy(self.working)
        self.commits += 1

    async def rollback(self) -> None:
        assert self.working is not None
        self.working = copy.deepcopy(self.committed)


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> None:
        self.current += timedelta(**kwargs)


@dataclass
class Sent:
    kind: str  # "group" | "direct" | "channel"
    to: tuple[str, ...]
    message: Message
    conversation: str | None = None


class FakeChatPlatform:
    """Records every send; ``fail`` may raise DeliveryError for a send to script outages."""

    def __init__(self, fail: Callable[[str, tuple[str, ...]], None] | None = None) -> None:
        self.sent: list[Sent] = []
        self.groups: dict[str, tuple[str, ...]] = {}
        self.fail = fail or (lambda kind, to: None)
        self.names: dict[str, str] = {}
        self.links = False  # channel posts answer a link, as Slack and Discord do

    async def open_group(self, community_id: str, member_ids: Sequence[str]) -> str:
        self.fail("open", tuple(member_ids))
        conversation = f"G{len(self.groups) + 1}"
        self.groups[conversation] = tuple(member_ids)
        return conversation

    async def send(self, community_id: str, conversation_id: str, message: Message) -> str:
        members = self.groups[conversation_id]
        self.fail("group", members)
        self.sent.append(Sent("group", members, message, conversation_id))
        return f"m{len(self.sent)}"

    async def send_direct(self, community_id: str, member_id: str, message: Message) -> str:
        self.fail("direct", (member_id,))
        self.sent.append(Sent("direct", (member_id,), message))
        return f"m{len(self.sent)}"

    async def post_to_channel(self, community_id: str, channel_id: str, message: Message) -> str:
        self.fail("channel", (channel_id,))
        self.sent.append(Sent("channel", (channel_id,), message))
        ref = f"m{len(self.sent)}"
        return f"https://chat.example/{channel_id}/{ref}" if self.links else ref

    async def display_name(self, community_id: str, member_id: str) -> str | None:
        return self.names.get(member_id, member_id)

    def to(self, member_id: str) -> list[Sent]:
        return [s for s in self.sent if member_id in s.to]
