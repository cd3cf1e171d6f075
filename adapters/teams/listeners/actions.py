"""Card buttons (Universal Actions, ``adaptiveCard/action``): the card a press is answered with
replaces the pressed one, so a check-in or form cannot be answered twice from the same card."""

from __future__ import annotations

import logging
from typing import Any

from adapters.teams.deps import TeamsDeps
from adapters.teams.identity import actor_of
from adapters.teams.people import People
from adapters.teams.render import CARD_TYPE, TAKEAWAY_VERB, card, takeaway_form
from adapters.teams.respond import community_of_card
from pairing_core import commands as c
from pairing_core.button_values import CHOOSE_PROGRAMME_ACTION, read_checkin, read_group
from pairing_core.dispatch import handle, handle_text
from pairing_core.errors import DomainError, UsageError
from pairing_core.message import Message
from pairing_core.ports import DeliveryError
from pairing_core.privacy import FORGET_ACTION, FORGET_ANONYMISE
from pairing_core.programme import GENERAL
from pairing_core.services.answers import record_checkin
from pairing_core.services.checkin_sent import sent_checkin, sent_checkin_buttons
from pairing_core.texts import CHECKIN_ACTION, REFLECT_ACTION
from pairing_core.typed_input import checked_reflection_fields

__all__ = ["NOT_YOURS", "on_card_action"]

log = logging.getLogger(__name__)

NOT_YOURS = "That card isn't yours to answer, so nothing was changed."


def _card_response(content: dict[str, Any]) -> dict[str, Any]:
    return {"statusCode": 200, "type": CARD_TYPE, "value": content}


async def on_card_action(deps: TeamsDeps, activity: dict[str, Any]) -> dict[str, Any]:
    """Run the pressed button's command; return the invoke response (the card to show)."""
    action = (activity.get("value") or {}).get("action") or {}
    data: dict[str, Any] = dict(action.get("data") or {})
    verb, value = str(action.get("verb", "")), str(data.get("value", ""))
    community = community_of_card(data)
    actor = actor_of(activity)
    if community is None or await deps.references.member(community, actor.member_id) is None:
        return await _show(deps, community or "", Message(NOT_YOURS))
    await People(deps.references, deps.connector, deps.clock).sender(activity, community)
    services = deps.new_services()
    if verb == CHECKIN_ACTION:
        return await _checkin(deps, community, value, activity)
    if verb == REFLECT_ACTION and read_group(value) is not None:
        return _card_response(takeaway_form(community, value, "Share a takeaway"))
    if verb == TAKEAWAY_VERB:
        refused = _refused_takeaway(value, data)
        if refused is not None:  # the form again, saying what to change: nothing typed is lost
            return _card_response(takeaway_form(community, value, refused, data))
        reply = await _takeaway(deps, community, value, data, activity)
    elif verb == FORGET_ACTION:
        cmd = c.ForgetMe(confirm=True, keep_reflections_anonymised=value == FORGET_ANONYMISE)
        reply = await handle(cmd, actor, community, services)
        await deps.forget_if_erased(actor.member_id)
    elif verb == CHOOSE_PROGRAMME_ACTION:
        reply = await handle_text(value, actor, community, services)
    else:
        reply = Message(NOT_YOURS)
    deps.deliver_soon()
    return await _show(deps, community, reply)


async def _show(deps: TeamsDeps, community: str, message: Message) -> dict[str, Any]:
    names = await deps.platform.names(community, message.text)
    return _card_response(card(message, community, names))


async def _checkin(
    deps: TeamsDeps, community: str, value: str, activity: dict[str, Any]
) -> dict[str, Any]:
    cmd = read_checkin(value)
    actor = actor_of(activity)
    if cmd is None:
        return await _show(deps, community, Message(NOT_YOURS))
    sent = await sent_checkin(
        deps.new_services().uow,
        community,
        cmd.programme_id or GENERAL,
        cmd.round_number,
        cmd.group_index,
    )
    # each member answers on their own copy: only a member of the group may
    if sent is None or actor.member_id not in sent.conversation_id.partition(":")[2].split(","):
        return await _show(deps, community, Message(NOT_YOURS))
    try:
        result = await record_checkin(cmd, actor, community, deps.new_services())
    except DomainError as error:
        return await _show(deps, community, Message(str(error)))
    deps.deliver_soon()
    await _update_copies(deps, community, cmd, result.updated)
    updated = Message(f"{result.updated.text}\n\n_{result.reply.text}_", result.updated.actions)
    return await _show(deps, community, updated)


async def _update_copies(
    deps: TeamsDeps, community: str, cmd: c.RecordCheckIn, updated: Message
) -> None:
    """Show the group's answer on every member's copy (and reminder), not just the pressed one."""
    sent = await sent_checkin_buttons(
        deps.new_services().uow,
        community,
        cmd.programme_id or GENERAL,
        cmd.round_number,
        cmd.group_index,
    )
    for copy in sent:
        try:
            await deps.platform.update_sent(community, copy.reference, updated)
        except DeliveryError as error:  # the answer is stored; an old copy just shows buttons
            log.info("could not update a check-in copy: %s", error.reason)


def _refused_takeaway(value: str, data: dict[str, Any]) -> str | None:
    group = read_group(value)
    try:
        checked_reflection_fields(
            str(data.get("takeaway", "")),
            data.get("rating") or None,
            group.round_number if group else None,
        )
    except UsageError as refused:
        return str(refused)
    return None


async def _takeaway(
    deps: TeamsDeps, community: str, value: str, data: dict[str, Any], activity: dict[str, Any]
) -> Message:
    group = read_group(value)
    if group is None:
        return Message(NOT_YOURS)
    try:  # the core's checks, made here only to read the chosen rating as a number
        typed = checked_reflection_fields(
            str(data.get("takeaway", "")), data.get("rating") or None, group.round_number
        )
    except UsageError as refused:
        return Message(str(refused))
    cmd = c.SubmitReflection(
        typed.text,
        str(data.get("private", "false")).lower() != "true",
        typed.rating,
        typed.round_number,
        programme_id=group.programme_id,
    )
    return await handle(cmd, actor_of(activity), community, deps.new_services())
