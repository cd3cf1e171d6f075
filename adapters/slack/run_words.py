"""Words run as if typed after ``/unmentor``: the slash command's path, shared by the buttons
whose value is a command (``CHOOSE_PROGRAMME_ACTION``).

The core checks everything a command asks, except what only Slack knows: whether the bot can
see a channel a programme is to be bound to (Slack tells the bot who joins or leaves a channel
only when the bot is in it).
"""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncRespond

from adapters.slack.after_ack import say_privately
from adapters.slack.deps import SlackDeps
from adapters.slack.files import send_images
from pairing_core import commands as c
from pairing_core.command_text import parse_command, parse_mention
from pairing_core.dispatch import handle_text
from pairing_core.errors import UsageError
from pairing_core.message import Message
from pairing_core.ports import DeliveryError
from pairing_core.services.context import Actor

__all__ = ["CANNOT_CHECK_CHANNEL", "CANNOT_SEE_CHANNEL", "answer_words", "run_words"]

log = logging.getLogger(__name__)

CANNOT_SEE_CHANNEL = "I can't see that channel: invite me to it first."
CANNOT_CHECK_CHANNEL = "I couldn't check that channel with Slack just now, so nothing was changed. Please try again in a moment."


async def _unseen_channel(deps: SlackDeps, team_id: str, words: str) -> Message | None:
    """Refuse binding a programme to a channel the bot is not in; None for anything else."""
    try:
        command = parse_command(words, parse_mention)
    except UsageError:
        return None  # the core answers with the usage
    if not isinstance(command, c.BindProgramme) or command.target is None:
        return None
    try:
        seen = await deps.platform.is_in_channel(team_id, command.target)
    except DeliveryError as error:
        log.warning("could not check channel %s in %s: %s", command.target, team_id, error.reason)
        return Message(CANNOT_CHECK_CHANNEL)
    return None if seen else Message(CANNOT_SEE_CHANNEL)


async def run_words(deps: SlackDeps, words: str, actor: Actor, team_id: str) -> Message:
    """Run ``/unmentor words`` for ``actor``; return the reply."""
    refusal = await _unseen_channel(deps, team_id, words)
    if refusal is not None:
        return refusal
    return await handle_text(words, actor, team_id, deps.new_services())


async def answer_words(
    deps: SlackDeps,
    respond: AsyncRespond,
    team_id: str,
    user_id: str,
    words: str,
    *,
    user_name: str = "",
    team_domain: str = "",
    caption: str,
) -> None:
    """Run the words and answer only the person, as the slash command does."""
    await deps.ensure_team(team_id, team_domain)
    actor = await deps.actor(team_id, user_id, user_name)
    reply = await run_words(deps, words, actor, team_id)
    # an ephemeral reply cannot carry a file: images (the stats chart) go to the asker's DM
    reply = await send_images(deps.platform, team_id, user_id, reply, caption)
    await say_privately(respond, reply)
    # e.g. `admin round now` queued the intros: send them now rather than at the next tick
    await deps.deliver()
