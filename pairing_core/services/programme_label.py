"""Messages say which programme they come from, once a community has more than one."""

from __future__ import annotations

from dataclasses import replace

from pairing_core.message import Message, escape_markup
from pairing_core.ports import UnitOfWork
from pairing_core.programme import Programme

__all__ = ["labelled"]


async def labelled(uow: UnitOfWork, programme: Programme, message: Message) -> Message:
    """Prefix the message with ``[programme]`` when the community has several (inside a unit of
    work); a community with one reads exactly as before programmes existed."""
    if await uow.programmes.count(programme.community_id) < 2:
        return message
    return replace(message, text=f"[{escape_markup(programme.name)}] {message.text}")
