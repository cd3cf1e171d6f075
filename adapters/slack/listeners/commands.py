"""``/unmentor ...``: ack at once, run the words through the core, answer only the person who asked."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from adapters.slack.after_ack import say_privately, work_after_ack
from adapters.slack.deps import SlackDeps
from adapters.slack.run_words import answer_words
from adapters.slack.typed import typed_text
from pairing_core.message import Message

__all__ = ["NO_SENDER", "register"]

NO_SENDER = "I couldn't tell who sent that command, so nothing was changed."


def register(app: AsyncApp, deps: SlackDeps) -> None:
    async def answer(command: dict[str, Any], respond: AsyncRespond) -> None:
        team_id, user_id = command.get("team_id"), command.get("user_id")
        if not team_id or not user_id:
            await say_privately(respond, Message(NO_SENDER))
            return
        text = command.get("text", "")
        # the core gets what the person typed; the caption below stays in Slack's markup
        await answer_words(
            deps,
            respond,
            team_id,
            user_id,
            typed_text(text),
            user_name=command.get("user_name", ""),
            team_domain=command.get("team_domain", ""),
            caption=f"From `/unmentor {text}`",
        )

    async def unmentor(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        # Nothing before the ack touches the database or Slack: Slack gives up after 3 seconds.
        async with deps.in_flight.track():
            await ack()
            await work_after_ack(deps, respond, lambda: answer(command, respond))

    app.command("/unmentor")(unmentor)
