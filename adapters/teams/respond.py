"""Answer a person: in the conversation they wrote in, or privately when that was a channel."""

from __future__ import annotations

from typing import Any

from microsoft_agents.activity import Activity

from adapters.teams.deps import TeamsDeps
from adapters.teams.render import card, card_activity
from pairing_core.message import Message
from pairing_core.ports import DeliveryError

__all__ = ["answer", "community_of_card"]


async def answer(deps: TeamsDeps, activity: dict[str, Any], community: str, reply: Message) -> None:
    """Reply in a 1:1 chat; a command typed in a channel is answered in the person's 1:1 chat.

    Replies name people and hold their data (``status``, ``my-data``): a channel is no place for
    them, and Teams has no message only one person sees. If the 1:1 chat cannot be opened
    (the app is not installed for them), the channel gets a short note instead.
    """
    conversation = activity.get("conversation") or {}
    service_url = str(activity["serviceUrl"])
    if conversation.get("conversationType") == "personal":
        content = card(reply, community, await deps.platform.names(community, reply.text))
        body = Activity.model_validate({**card_activity(content), "replyToId": activity.get("id")})
        await deps.connector.call(
            service_url,
            lambda c: c.send_to_conversation(str(conversation["id"]), body),
            str(conversation["id"]),
        )
        return
    member = (activity.get("from") or {}).get("aadObjectId")
    try:
        await deps.platform.send_direct(community, str(member).replace("-", "").lower(), reply)
    except DeliveryError:
        note = Message(
            "I couldn't message you privately: please add the UnMentoring app for yourself."
        )
        content = card(note, community, await deps.platform.names(community, note.text))
        body = Activity.model_validate({**card_activity(content), "replyToId": activity.get("id")})
        await deps.connector.call(
            service_url,
            lambda c: c.send_to_conversation(str(conversation["id"]), body),
            str(conversation["id"]),
        )


def community_of_card(data: dict[str, Any]) -> str | None:
    """Return the community a card's button belongs to (carried in its data)."""
    community = data.get("community")
    return str(community) if isinstance(community, str) and community.startswith("teams:") else None
