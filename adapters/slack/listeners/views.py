"""The takeaway form's submission: checked, saved through the core, answered within Slack's 3 s.

A form is answered in its ack: errors beside a field, or the confirmation. The cheap checks
(``read_reflection_form``) answer at once. Saving waits its turn among the bounded work after
acks, so under a burst it may not be done in time: the ack then says the takeaway is being saved
(at once in a burst, else after ``SAVE_DEADLINE_SECONDS``), and the form
is updated with the outcome (or the reason it was not saved) once it is.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.after_ack import SOMETHING_WENT_WRONG, seconds_left
from adapters.slack.deps import SlackDeps
from adapters.slack.modals import (
    REFLECTION_CALLBACK,
    TAKEAWAY_BLOCK,
    FormError,
    read_reflection_form,
)
from adapters.slack.payloads import sender
from pairing_core import commands as c
from pairing_core.errors import DomainError
from pairing_core.services.answers import submit_reflection
from pairing_core.services.context import Actor

__all__ = ["SAVE_DEADLINE_SECONDS", "SAVING", "register"]

log = logging.getLogger(__name__)

# How long after a form arrives its ack may wait for the save: Slack gives up at 3 seconds.
SAVE_DEADLINE_SECONDS = 1.5
# More requests than this waiting for their answer is a burst.
BURST = 8
SAVING = "Saving your takeaway… this form will say when it is done."


@dataclass(frozen=True)
class Saved:
    text: str
    ok: bool  # False: not saved, and ``text`` says why


def _notice_view(text: str, title: str = "Thank you") -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


def _result_view(saved: Saved) -> dict[str, Any]:
    return _notice_view(saved.text, "Thank you" if saved.ok else "Not saved")


def register(app: AsyncApp, deps: SlackDeps) -> None:
    async def save(cmd: c.SubmitReflection, actor: Actor, team_id: str) -> Saved:
        async with deps.after_ack:
            try:
                reply = await submit_reflection(cmd, actor, team_id, deps.new_services())
            except DomainError as error:
                return Saved(str(error), ok=False)
            except Exception:  # logged in full; the person is told in one line
                log.exception("saving a takeaway failed")
                return Saved(SOMETHING_WENT_WRONG, ok=False)
        return Saved(reply.text, ok=True)

    async def submit(
        ack: AsyncAck,
        body: dict[str, Any],
        view: dict[str, Any],
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        async with deps.in_flight.track():
            who = sender(body)
            try:
                if who is None:
                    raise FormError(TAKEAWAY_BLOCK, "I couldn't tell who sent this form.")
                form = read_reflection_form(view)
            except FormError as error:
                await ack(response_action="errors", errors={error.block: error.message})
                return
            team_id, user_id = who
            actor = Actor(user_id, str(body["user"].get("name") or user_id))
            cmd = c.SubmitReflection(
                form.text,
                form.public,
                form.rating,
                form.round_number,
                programme_id=form.programme_id,
            )
            # in a burst (others waiting for their answer, or every place for work taken) the
            # save would not be done in time: say so now rather than wait for the deadline
            busy = deps.after_ack.locked() or deps.unanswered.count > BURST
            saving = asyncio.ensure_future(save(cmd, actor, team_id))
            if not busy:
                await asyncio.wait({saving}, timeout=seconds_left(context, SAVE_DEADLINE_SECONDS))
            if saving.done():
                saved = saving.result()
                if saved.ok:
                    await ack(response_action="update", view=_result_view(saved))
                else:
                    await ack(response_action="errors", errors={TAKEAWAY_BLOCK: saved.text})
            else:
                await ack(response_action="update", view=_notice_view(SAVING, "Saving"))
                saved = await saving
                try:
                    await client.views_update(view_id=str(view.get("id")), view=_result_view(saved))
                except Exception as error:  # the takeaway is saved either way; the form is stale
                    log.warning("could not update a takeaway form with its outcome: %s", error)
            if saved.ok:
                deps.deliver_soon()  # the takeaway's post in the reflections channel

    app.view(REFLECTION_CALLBACK)(submit)
