"""Data rights (UK GDPR): the privacy notice, a member's export, erasure on request and by retention."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from pairing_core import commands as c
from pairing_core.data_export import export_json, member_export
from pairing_core.member import Member, MemberStatus
from pairing_core.message import Attachment, Message
from pairing_core.ports import UnitOfWork
from pairing_core.privacy import (
    forget_confirmation,
    privacy_text,
    pseudonymise_round,
    scrub_outbox_item,
)
from pairing_core.redaction import contact_parts
from pairing_core.services.context import Actor, Services

__all__ = [
    "MemberErased",
    "erase_departed",
    "erase_member",
    "export_my_data",
    "forget_me",
    "member_data",
    "show_privacy",
]

# Erasures are logged by pseudonym and counts only: the log must not undo the erasure.
log = logging.getLogger("unmentor.erasure")

EXPORT_FILENAME = "unmentor-my-data.json"


@dataclass(frozen=True)
class MemberErased:
    """What an erasure changed, without any personal data."""

    community_id: str
    pseudonym: str
    reason: str
    rounds_changed: int
    reflections_kept_anonymised: bool
    messages_deleted: int
    messages_scrubbed: int


async def show_privacy(
    cmd: c.ShowPrivacy, actor: Actor, community_id: str, services: Services
) -> Message:
    """Say what is stored, why, for how long and who can see it."""
    return Message(privacy_text(services.retention_days))


async def member_data(services: Services, community_id: str, member_id: str) -> str | None:
    """Return everything stored about the member as JSON, or None when nothing is."""
    uow = services.uow
    async with uow:
        memberships = await uow.members.memberships(community_id, member_id)
        document = member_export(
            community_id,
            member_id,
            services.clock.now(),
            memberships,
            await uow.blocks.list(community_id),
            await uow.rounds.list(community_id, None),
            await uow.reflections.list(community_id, None),
            await uow.outbox.list(community_id),
            await uow.rounds.member_choices(community_id, member_id),
        )
    has_any = bool(memberships) or any(
        document[k]
        for k in (
            "never_pair_blocks_you_set",
            "rounds",
            "reflections",
            "messages_to_you",
            "round_choices",
        )
    )
    return export_json(document) if has_any else None


async def export_my_data(
    cmd: c.ExportMyData, actor: Actor, community_id: str, services: Services
) -> Message:
    """Hand the member a JSON file of everything stored about them."""
    data = await member_data(services, community_id, actor.member_id)
    if data is None:
        return Message("UnMentoring holds nothing about you here.")
    return Message(
        "Here is everything UnMentoring stores about you, as JSON.",
        attachments=(Attachment(EXPORT_FILENAME, data.encode(), "application/json"),),
    )


def new_pseudonym(services: Services) -> str:
    """Return a fresh placeholder id; random, so it cannot be traced back to the member."""
    return f"erased-{services.rng.getrandbits(64):016x}"


async def _scrub_outbox(
    uow: UnitOfWork, community_id: str, member_id: str, secrets: list[str], pseudonym: str
) -> tuple[int, int]:
    deleted = scrubbed = 0
    for item in await uow.outbox.list(community_id):
        clean = scrub_outbox_item(item, member_id, secrets, pseudonym)
        if clean == item:
            continue
        if clean is None or clean.key != item.key:
            await uow.outbox.delete(community_id, item.key)
        if clean is None:
            deleted += 1
            continue
        if clean.key != item.key:
            await uow.outbox.add(clean)
        else:
            await uow.outbox.save(clean)
        scrubbed += 1
    return deleted, scrubbed


async def erase_member(
    uow: UnitOfWork,
    community_id: str,
    member_id: str,
    pseudonym: str,
    now: datetime,
    *,
    keep_reflections_anonymised: bool,
    reason: str,
    also_secret: tuple[str, ...] = (),
) -> MemberErased:
    """Erase the member's personal data everywhere in one transaction.

    Their place in past groups (and any check-in they answered) goes to ``pseudonym``, so group
    counts, repeats and other members' history stay correct; the member row becomes a tombstone
    holding only the pseudonym and dates.
    """
    async with uow:
        await uow.lock_community(community_id)
        programmes = sorted(await uow.programmes.list(community_id), key=lambda p: p.id)
        for programme in programmes:
            await uow.lock_programme(community_id, programme.id)
        memberships = await uow.members.memberships(community_id, member_id)
        member = memberships[0] if memberships else None
        secrets = [s for s in (*also_secret, *_secrets(member)) if s and s != member_id]
        if memberships:
            await uow.members.delete(community_id, member_id)
            for membership in memberships:
                await uow.members.add(_tombstone(membership, pseudonym, now))
        community = await uow.communities.get(community_id)
        if community is not None and member_id in community.settings.admins:
            admins = community.settings.admins - {member_id}
            community.settings = community.settings.replace(admins=frozenset(admins))
            await uow.communities.save(community)
        for programme in programmes:
            if member_id in programme.settings.admins:
                admins = programme.settings.admins - {member_id}
                programme.settings = programme.settings.replace(admins=frozenset(admins))
                await uow.programmes.save(programme)
        await uow.blocks.delete_member(community_id, member_id)
        await uow.rounds.forget_choices(community_id, member_id)
        rounds_changed = 0
        for round_ in await uow.rounds.list(community_id, None):
            if pseudonymise_round(round_, member_id, pseudonym):
                await uow.rounds.save(round_)
                rounds_changed += 1
        # Kept takeaways, theirs or others', lose the member's mentions, id, names and contact.
        if keep_reflections_anonymised:
            await uow.reflections.pseudonymise_member(community_id, member_id, pseudonym, secrets)
        else:
            await uow.reflections.delete_member(community_id, member_id, secrets)
        deleted, scrubbed = await _scrub_outbox(uow, community_id, member_id, secrets, pseudonym)
        await uow.commit()
    event = MemberErased(
        community_id,
        pseudonym,
        reason,
        rounds_changed,
        keep_reflections_anonymised,
        deleted,
        scrubbed,
    )
    log.info(
        "member erased",
        extra={
            "community": community_id,
            "pseudonym": pseudonym,
            "reason": reason,
            "rounds_changed": rounds_changed,
            "messages_deleted": deleted,
            "messages_scrubbed": scrubbed,
        },
    )
    return event


def _secrets(member: Member | None) -> list[str]:
    if member is None:
        return []
    contact = member.contact or ""
    return [member.display_name, contact, *contact_parts(contact)]


def _tombstone(member: Member, pseudonym: str, now: datetime) -> Member:
    # Dates only, so past rounds' joiner and leaver counts stay reproducible; the about line,
    # time zone and working hours go too (the hours back to the default).
    return Member(
        community_id=member.community_id,
        member_id=pseudonym,
        display_name="",
        joined_at=member.joined_at,
        status=MemberStatus.ERASED,
        left_at=member.left_at or now,
        programme_id=member.programme_id,
    )


async def forget_me(
    cmd: c.ForgetMe, actor: Actor, community_id: str, services: Services
) -> Message:
    """Ask to confirm; once confirmed, erase everything about the member."""
    if not cmd.confirm:
        return forget_confirmation()
    await erase_member(
        services.uow,
        community_id,
        actor.member_id,
        new_pseudonym(services),
        services.clock.now(),
        keep_reflections_anonymised=cmd.keep_reflections_anonymised,
        reason="member-request",
        also_secret=(actor.display_name,),
    )
    kept = (
        "Your takeaways are kept without your name."
        if cmd.keep_reflections_anonymised
        else "Your takeaways are deleted."
    )
    return Message(
        f"Done: everything UnMentoring held about you here is erased. {kept} "
        "Messages already delivered stay in your chat history, which you control. "
        "You're welcome back any time with `/unmentor join`."
    )


def _gone_from_every_programme(
    memberships: list[Member], now: datetime, older_than: timedelta
) -> list[str]:
    """Return who left every programme they were in, the last of them ``older_than`` ago.

    Someone still in one programme keeps their data: it is theirs in that one too.
    """
    by_person: dict[str, list[Member]] = {}
    for member in memberships:
        by_person.setdefault(member.member_id, []).append(member)
    return [
        member_id
        for member_id, theirs in by_person.items()
        if all(
            m.status is MemberStatus.LEFT
            and m.left_at is not None
            and now - m.left_at >= older_than
            for m in theirs
        )
    ]


async def erase_departed(services: Services, older_than: timedelta) -> list[MemberErased]:
    """Erase every member who left more than ``older_than`` ago, in every community."""
    now = services.clock.now()
    due: list[tuple[str, str]] = []
    async with services.uow:
        for community in await services.uow.communities.list():
            gone = _gone_from_every_programme(
                await services.uow.members.list(community.id, programme_id=None), now, older_than
            )
            due += [(community.id, member_id) for member_id in gone]
    return [
        await erase_member(
            services.uow,
            community_id,
            member_id,
            new_pseudonym(services),
            now,
            # they did not choose deletion: the network keeps what they shared, without names
            keep_reflections_anonymised=True,
            reason="retention",
        )
        for community_id, member_id in due
    ]
