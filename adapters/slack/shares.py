"""A channel post with images goes to Slack as one file share, its text the share's comment.

``files_upload_v2`` uploads the files and then shares them in one completing call
(``files.completeUploadExternal``) whose ``initial_comment`` is the post's text: the text and the
images appear together or not at all, so a post retried after any failure is never shown twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pairing_core.message import Attachment, escape_markup

__all__ = [
    "CHART_NOT_ATTACHED",
    "COMMENT_LIMIT",
    "CUT_NOTE",
    "NO_UPLOAD_PERMISSION",
    "chart_missing_note",
    "comment_within_limit",
    "file_upload",
    "share_link",
    "shared_ts",
]

# Slack documents no limit for a file share's comment. For a message's text it asks for at most
# 4,000 characters "for best results" and truncates beyond 40,000: the comment keeps to the former.
COMMENT_LIMIT = 4000
CUT_NOTE = (
    "_…and {lines} more {noun}: Slack shows only {limit:,} characters beside a file. "
    "Each takeaway is also its own post in this channel._"
)
# Slack's answers when the install predates files:write or the token may not upload
NO_UPLOAD_PERMISSION = frozenset({"missing_scope", "not_allowed_token_type", "no_permission"})
CHART_NOT_ATTACHED = (
    "_The outcome chart isn't attached: this Slack app lacks the files:write permission "
    "(an admin can reinstall it from the current manifest)._"
)


def comment_within_limit(text: str, limit: int = COMMENT_LIMIT) -> str:
    """Return ``text`` cut at a whole line to fit ``limit``, saying how many lines were left out."""
    if len(text) <= limit:
        return text
    lines = text.split("\n")
    for kept in range(len(lines) - 1, 0, -1):
        left = len(lines) - kept
        note = CUT_NOTE.format(lines=left, noun="line" if left == 1 else "lines", limit=limit)
        head = "\n".join(lines[:kept])
        if len(head) + 1 + len(note) <= limit:
            return f"{head}\n{note}"
    # not even the first line and the note fit: cut the text short (a link may be cut with it),
    # never inside an escape such as "&amp;", which would then show as a stray "&am"
    cut = limit - 1
    entity = text.rfind("&", max(cut - len("&amp;"), 0), cut)
    if entity != -1 and ";" not in text[entity:cut]:
        cut = entity
    return text[:cut] + "…"


def chart_missing_note(reason: str) -> str:
    """Say why the outcome chart is not beside the text, from Slack's refusal of the upload."""
    if reason in NO_UPLOAD_PERMISSION:
        return CHART_NOT_ATTACHED
    return (
        f"_The outcome chart isn't attached: Slack refused the upload ({escape_markup(reason)})._"
    )


def file_upload(attachment: Attachment) -> dict[str, Any]:
    """Return one entry of ``files_upload_v2(file_uploads=...)``."""
    return {
        "file": attachment.content,
        "filename": attachment.filename,
        "title": attachment.filename,
    }


def shared_ts(completion: Mapping[str, Any], channel_id: str) -> str | None:
    """Return the ts of the message that shares the files in the channel, if Slack says yet.

    Slack shares a completed upload asynchronously: the answer's ``shares`` may still be empty.
    """
    for file in completion.get("files") or ():
        shares = file.get("shares") or {}
        for visibility in ("public", "private"):
            for share in (shares.get(visibility) or {}).get(channel_id) or ():
                if share.get("ts"):
                    return str(share["ts"])
    return None


def share_link(completion: Mapping[str, Any]) -> str:
    """Return the first file's permalink, or ``file:<id>`` when Slack gave none."""
    files = completion.get("files") or [{}]
    first = files[0]
    return str(first.get("permalink") or f"file:{first.get('id', '')}")
