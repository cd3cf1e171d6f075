"""A chat platform that prints each message as the people receiving it would see it."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from pairing_core.message import Action, Attachment, Message, unescape_markup

__all__ = ["ConsolePlatform", "render", "save_files"]

_MENTION = re.compile(r"<@([^>|]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([^>|]+)(?:\|[^>]*)?>")
_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")


def render(text: str) -> str:
    """Show mentions and links the way a person reads them: ``@alice``, ``#reflections``,
    ``label (https://...)``, and typed ``&``, ``<`` and ``>`` as themselves."""
    text = _LINK.sub(r"\2 (\1)", text)
    return unescape_markup(_CHANNEL.sub(r"#\1", _MENTION.sub(r"@\1", text)))


def save_files(files_dir: Path, prefix: str, attachments: Sequence[Attachment]) -> list[Path]:
    """Write each file to ``files_dir`` as ``<prefix>-<filename>``; return where they went."""
    paths = []
    for attachment in attachments:
        files_dir.mkdir(parents=True, exist_ok=True)
        path = files_dir / f"{prefix}-{attachment.filename}"
        path.write_bytes(attachment.content)
        paths.append(path)
    return paths


class ConsolePlatform:
    """Prints deliveries; remembers each person's latest buttons so they can press them.

    Files posted to a channel (the round summary's chart) are written to ``files_dir``.
    """

    def __init__(self, write: Callable[[str], None], files_dir: Path | None = None) -> None:
        self._write = write
        self.files_dir = files_dir or Path(tempfile.gettempdir()) / "unmentor"
        self._groups: dict[str, tuple[str, ...]] = {}
        self.buttons: dict[
            str, tuple[str, tuple[Action, ...]]
        ] = {}  # member -> (conversation, actions)

    def _show(self, heading: str, message: Message) -> None:
        body = render(message.text).replace("\n", "\n    ")
        self._write(f"  [{heading}] {body}")
        if message.actions:
            labels = "  ".join(f"[{i}] {a.label}" for i, a in enumerate(message.actions, 1))
            self._write(f"    buttons: {labels}")

    def _remember(self, conversation: str, members: Sequence[str], message: Message) -> None:
        if message.actions:
            for member in members:
                self.buttons[member] = (conversation, message.actions)

    async def open_group(self, community_id: str, member_ids: Sequence[str]) -> str:
        conversation = "group:" + "+".join(member_ids)
        self._groups[conversation] = tuple(member_ids)
        return conversation

    async def send(self, community_id: str, conversation_id: str, message: Message) -> str:
        members = self._members(conversation_id)
        self._show("group DM " + ", ".join(f"@{m}" for m in members), message)
        self._remember(conversation_id, members, message)
        return conversation_id

    async def send_direct(self, community_id: str, member_id: str, message: Message) -> str:
        self._show(f"DM to @{member_id}", message)
        self._remember(f"dm:{member_id}", [member_id], message)
        return f"dm:{member_id}"

    async def post_to_channel(self, community_id: str, channel_id: str, message: Message) -> str:
        self._show(f"#{channel_id}", message)
        for path in save_files(self.files_dir, channel_id, message.attachments):
            self._write(f"    (file posted in #{channel_id} written to {path})")
        return f"channel:{channel_id}"

    async def display_name(self, community_id: str, member_id: str) -> str | None:
        return member_id

    def reply(self, member_id: str, message: Message) -> None:
        """Show a command's reply, visible only to the person who sent it."""
        self._show(f"only @{member_id} sees", message)
        self._remember(f"dm:{member_id}", [member_id], message)

    def update(self, conversation: str, message: Message) -> None:
        """Replace a message in a conversation; its members' buttons become the new ones."""
        for member in self._members(conversation):
            self.buttons.pop(member, None)
        self._show(f"message updated in {conversation}", message)
        self._remember(conversation, self._members(conversation), message)

    def _members(self, conversation: str) -> tuple[str, ...]:
        # after a restart only the conversation's name says who is in it
        return self._groups.get(conversation) or tuple(
            conversation.removeprefix("group:").split("+")
        )
