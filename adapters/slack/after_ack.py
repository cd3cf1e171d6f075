"""Work done after a request's ack: bounded, and any failure told to the person, never raised.

Bolt answers Slack once a listener acks; what the listener does afterwards is seen only through
what it sends. An exception there reached nobody but the log, so every such failure now also
gets a one-line private reply.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncBoltContext, AsyncRespond

from adapters.slack.blocks import message_blocks
from adapters.slack.deps import ACKS_FIRST_SECONDS, SlackDeps
from pairing_core.message import Message

__all__ = ["RECEIVED_AT", "SOMETHING_WENT_WRONG", "say_privately", "seconds_left", "work_after_ack"]

log = logging.getLogger(__name__)

SOMETHING_WENT_WRONG = "Sorry, something went wrong on my side. Please try again in a moment."

# The request context's key for when the HTTP request arrived (``time.monotonic()``).
RECEIVED_AT = "unmentor_received_at"


def seconds_left(context: AsyncBoltContext, budget: float) -> float:
    """Return what is left of ``budget`` seconds since the request arrived (from now, if unknown)."""
    received = context.get(RECEIVED_AT)
    if not isinstance(received, float):
        return budget
    return max(0.0, budget - (time.monotonic() - received))


async def say_privately(
    respond: AsyncRespond | None, reply: Message, *, replace: bool = False
) -> None:
    """Answer only the person, through the request's response URL (logged when it has none)."""
    if respond is None or respond.response_url is None:
        log.warning("could not answer a Slack request without a response_url: %s", reply.text)
        return
    await respond(
        text=reply.text,
        blocks=message_blocks(reply),
        response_type="ephemeral",
        replace_original=replace,
    )


async def work_after_ack(
    deps: SlackDeps, respond: AsyncRespond | None, work: Callable[[], Awaitable[None]]
) -> None:
    """Run ``work`` in one of the bounded places; tell the person if it fails.

    Work waits while requests are still to be answered (for at most ``ACKS_FIRST_SECONDS``):
    answering is cheap and has a deadline, while the work shares the event loop and, on SQLite,
    the one write lock with the replay check every request makes before it is answered.
    """
    await deps.unanswered.wait_idle_at_most(ACKS_FIRST_SECONDS)
    async with deps.after_ack:
        try:
            await work()
        except Exception:  # a bug or an outage: logged in full, the person told in one line
            log.exception("a Slack request failed after its ack")
            try:
                await say_privately(respond, Message(SOMETHING_WENT_WRONG))
            except Exception as error:  # Slack unreachable as well: the log has the cause
                log.warning("could not tell the person about the failure: %s", error)
