"""The takeaway form's submission: validate, record it through the core, post it to the channel."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from adapters.slack.deps import SlackDeps
from adapters.slack.modals import REFLECTION_CALLBACK, TAKEAWAY_BLOCK, read_reflection_form
from pairing_core import commands as c
from pairing_core.errors import DomainError
from pairing_core.services.answers import submit_reflection
from pairing_core.services.context import Actor

__all__ = ["register"]


def _done_view(text: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Thank you"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


def register(app: AsyncApp, deps: SlackDeps) -> None:
    async def submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        # A form is answered in its ack (errors beside the field, or the confirmation), so the
        # fast local write happens before the ack; the slow part, posting, comes after it.
        async with deps.in_flight.track():
            form = read_reflection_form(view)
            if not form.text:
                await ack(
                    response_action="errors",
                    errors={TAKEAWAY_BLOCK: "Please write your takeaway."},
                )
                return
            team_id, user_id = str(body["team"]["id"]), str(body["user"]["id"])
            actor = Actor(user_id, body["user"].get("name") or user_id)
            cmd = c.SubmitReflection(form.text, form.public, form.rating, form.round_number)
            try:
                reply = await submit_reflection(cmd, actor, team_id, deps.new_services())
            except DomainError as error:
                await ack(response_action="errors", errors={TAKEAWAY_BLOCK: str(error)})
                return
            await ack(response_action="update", view=_done_view(reply.text))
            await deps.deliver()

    app.view(REFLECTION_CALLBACK)(submit)
