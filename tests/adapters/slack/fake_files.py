"""Slack's file objects as the fake Web API answers them: uploaded, then shared in a channel."""

from __future__ import annotations

import mimetypes
from typing import Any

TEAM = "T1"
BOT_USER = "UBOT"

# where a share is listed: by the first letter of the conversation's id
_LISTED_IN = {"C": "channels", "G": "groups", "D": "ims"}


def file_object(file_id: str, filename: str, size: int) -> dict[str, Any]:
    """Return an uploaded, not yet shared file: the fields of Slack's file object an uploader reads."""
    mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    filetype = filename.rsplit(".", 1)[-1].lower() if "." in filename else "binary"
    return {
        "id": file_id,
        "created": 1700000000,
        "timestamp": 1700000000,
        "name": filename,
        "title": filename,
        "mimetype": mimetype,
        "filetype": filetype,
        "pretty_type": filetype.upper(),
        "user": BOT_USER,
        "user_team": TEAM,
        "size": size,
        "mode": "hosted",
        "is_external": False,
        "is_public": False,
        "public_url_shared": False,
        "url_private": f"https://files.slack.com/files-pri/{TEAM}-{file_id}/{filename}",
        "permalink": f"https://localgov.slack.com/files/{BOT_USER}/{file_id}/{filename}",
        "shares": {},
        "channels": [],
        "groups": [],
        "ims": [],
        "has_more_shares": False,
        "file_access": "visible",
    }


def share(file: dict[str, Any], channel: str, ts: str, *, named: bool) -> None:
    """Mark ``file`` shared in ``channel`` by the message ``ts``; ``named``: list that message.

    Public channels' shares are under ``public``, private channels' and DMs' under ``private``.
    """
    public = channel.startswith("C")
    file["is_public"] = public
    file[_LISTED_IN[channel[0]]] = [channel]
    if named:
        entry = {
            "reply_users": [],
            "reply_users_count": 0,
            "reply_count": 0,
            "ts": ts,
            "channel_name": channel.lower(),
            "team_id": TEAM,
            "share_user_id": BOT_USER,
            "source": "UNKNOWN",
        }
        file["shares"] = {"public" if public else "private": {channel: [entry]}}
