"""What a platform's "slow down" holds back: the chat-platform call an outbox item makes next.

Slack and Discord limit each method (or route) separately, so a refusal pauses only the call
that was refused, in that community; items that would make another call carry on. The core names
the ``ChatPlatform`` call, not the platform's own method: where an adapter makes one call out of
two (Slack's ``send_direct`` opens the DM first), a limit on the inner one shows up under each
call that uses it, after one refusal each.

A group item may reuse the conversation an earlier item opened (its ``extra`` names that item's
key under ``CONVERSATION_KEY``): once the earlier item has the conversation, the later one only
sends (``services.delivery``).
"""

from __future__ import annotations

from pairing_core.message import OutboxItem, TargetKind

__all__ = ["CONVERSATION_KEY", "next_call", "next_call_of", "next_calls", "next_calls_of"]

# In an outbox item's ``extra``: the key of the earlier item whose conversation it reuses.
CONVERSATION_KEY = "conversation_key"


def next_call(kind: TargetKind, has_conversation: bool) -> str:
    """Name the ``ChatPlatform`` method an item of this kind is sent through next."""
    if kind is TargetKind.GROUP:
        return "send" if has_conversation else "open_group"
    return "send_direct" if kind is TargetKind.MEMBER else "post_to_channel"


def next_call_of(item: OutboxItem) -> str:
    """Name the call the item makes next by its own conversation: after a refusal, the refused one."""
    return next_call(item.target.kind, bool(item.conversation_id))


def next_calls(
    kind: TargetKind, has_conversation: bool, reuses_conversation: bool
) -> frozenset[str]:
    """Name the calls an item may make next: a pause of any of them holds it back.

    ``has_conversation``: the item has its conversation, or the earlier item whose conversation
    it reuses has one. An item that reuses a conversation sends in the end either way: when the
    earlier item has none yet, that item (older, so first in a pass) may open it just before.
    """
    call = next_call(kind, has_conversation)
    if reuses_conversation and kind is TargetKind.GROUP:
        return frozenset({call, next_call(kind, True)})
    return frozenset({call})


def next_calls_of(item: OutboxItem, opener: OutboxItem | None) -> frozenset[str]:
    """Name the calls the item may make next; ``opener`` is the item it reuses the conversation of."""
    has_conversation = bool(item.conversation_id or (opener and opener.conversation_id))
    return next_calls(item.target.kind, has_conversation, bool(item.extra.get(CONVERSATION_KEY)))
