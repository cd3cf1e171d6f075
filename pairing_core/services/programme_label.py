"""Messages say which programme they come from, once a community has more than one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from pairing_core.message import Message, escape_markup
from pairing_core.ports import UnitOfWork
from pairing_core.programme import Programme

__all__ = ["Label", "labeller"]

Label = Callable[[Message], Message]


def _unchanged(message: Message) -> Message:
    return message


async def labeller(uow: UnitOfWork, programme: Programme) -> Label:
    """Return what labels the programme's messages (inside a unit of work), asked once per step.

    With several programmes a message starts ``[name]``; a community with one reads exactly as
    before programmes existed.
    """
    if await uow.programmes.count(programme.community_id) < 2:
        return _unchanged
    prefix = f"[{escape_markup(programme.name)}] "

    def label(message: Message) -> Message:
        return replace(message, text=prefix + message.text)

    return label
