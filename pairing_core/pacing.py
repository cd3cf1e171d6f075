"""What a platform's "slow down" holds back: the chat-platform call an outbox item makes next.

Slack and Discord limit each method (or route) separately, so a refusal pauses only the call
that was refused, in that community; items that would make another call carry on. The core names
the ``ChatPlatform`` call, not the platform's own method: where an adapter makes one call out of
two (Slack's ``send_direct`` opens the DM first), a limit on the inner one shows up under each
call that uses it, after one refusal each.
"""

from __future__ import annotations

from pairing_core.message import OutboxItem, TargetKind

__all__ = ["next_call", "next_call_of"]


def next_call(kind: TargetKind, has_conversation: bool) -> str:
    """Name the ``ChatPlatform`` method an item of this kind is sent through next."""
    if kind is TargetKind.GROUP:
        return "send" if has_conversation else "open_group"
    return "send_direct" if kind is TargetKind.MEMBER else "post_to_channel"


def next_call_of(item: OutboxItem) -> str:
    """Name the call the item makes next; after a refusal, the call that was refused."""
    return next_call(item.target.kind, bool(item.conversation_id))
