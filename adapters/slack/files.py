"""Images Slack cannot show in an ephemeral reply (the outcome chart) go to the asker's DM."""

from __future__ import annotations

from dataclasses import replace

from adapters.slack.platform import NO_UPLOAD_PERMISSION, SlackPlatform
from pairing_core.message import Message
from pairing_core.ports import DeliveryError

__all__ = ["DELIVERED", "send_images"]

DELIVERED = "The chart is in your DM with me."


def _failure_note(error: DeliveryError) -> str:
    if error.reason in NO_UPLOAD_PERMISSION:
        return (
            "I couldn't send you the chart: this Slack app lacks the files:write permission "
            "(reinstall it from the current manifest). The figures above are complete."
        )
    return (
        f"I couldn't send you the chart just now (Slack said: {error.reason}). "
        "The figures above are complete; ask again later for the chart."
    )


async def send_images(
    platform: SlackPlatform, community_id: str, member_id: str, reply: Message, comment: str
) -> Message:
    """Upload the reply's images to the member's DM; return the reply saying where they went."""
    images = [a for a in reply.attachments if a.media_type.startswith("image/")]
    if not images:
        return reply
    try:
        for image in images:
            await platform.upload_direct(community_id, member_id, image, comment)
    except DeliveryError as error:
        note = _failure_note(error)
    else:
        note = DELIVERED
    rest = tuple(a for a in reply.attachments if a not in images)
    return replace(reply, text=f"{reply.text}\n{note}", attachments=rest)
