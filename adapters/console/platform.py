"""A chat platform that prints each message as the people receiving it would see it."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from pairing_core.message import Action, Attachment, Message, unescape_markup

__all__ = ["CONSOLE_PLATFORM", "ConsolePlatform", "render", "save_files"]

# The platform name playground communities are stored under; `unmentor run` leaves them alone.
CONSOLE_PLATFORM = "console"

_MENTION = re.compile(r"<@([^>|]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([^>|]+)(?:\|[^>]*)?>")
_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")


def render(text: str) -> str:
    """Show mentions and links the way a person reads them: ``@alice``, ``#reflections``,
    ``label (https://...)``, and typed ``&``, ``<`` and ``>`` as themselves."""
    text = _LINK.sub(r"\2 (\1)", text)
    return unescape_markup(_CHANNEL.sub(r"#\1", _MENTION.sub(r"@\1", text)))


def save_files(
    files_dir: Path, prefix: str, attachments: Sequence[Attachment], when: datetime
) -> list[Path]:
    """Write each file to ``files_dir`` as ``<prefix>-<YYYYmmdd-HHMM>-<filename>``, never over an
    earlier one (a second file of the same minute gets ``-2``, ``-3``...); return where they went.

    ``prefix`` names the community and who got the file, ``when`` is the (simulated) time it was
    sent: each round's chart, posted when that round closes, keeps its own file.
    """
    paths = []
    for attachment in attachments:
        files_dir.mkdir(parents=True, exist_ok=True)
        stem, dot, suffix = attachment.filename.rpartition(".")
        base = f"{prefix}-{when:%Y%m%d-%H%M}-{stem if dot else suffix}"
        extension = f".{suffix}" if dot else ""
        path, copy = files_dir / f"{base}{extension}", 1
        while path.exists():
            copy += 1
            path = files_dir / f"{base}-{copy}{extension}"
        path.write_bytes(attachment.content)
        paths.append(path)
    return paths


class ConsolePlatform:
    """Prints deliveries; remembers each person's latest buttons so they can press them.

    Files posted to a channel (the round summary's chart) or sent to people (an intro's calendar
    invites) are written to ``files_dir``.
    """

    def __init__(
        self,
        write: Callable[[str], None],
        files_dir: Path | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self._write = write
        self.files_dir = files_dir or Path(tempfile.gettempdir()) / "unmentor"
        # the (simulated) time, which names the files written
        self.now = now or (lambda: datetime.now().astimezone())
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
        self._save(f"{community_id}-{'-'.join(members)}", "sent to the group", message)
        self._remember(conversation_id, members, message)
        return conversation_id

    async def send_direct(self, community_id: str, member_id: str, message: Message) -> str:
        self._show(f"DM to @{member_id}", message)
        self._save(f"{community_id}-{member_id}", f"sent to @{member_id}", message)
        self._remember(f"dm:{member_id}", [member_id], message)
        return f"dm:{member_id}"

    def _save(self, prefix: str, where: str, message: Message) -> None:
        """Write a message's files (an intro's calendar invites) and say where each went."""
        for path in save_files(self.files_dir, prefix, message.attachments, self.now()):
            self._write(f"    (file {where} written to {path})")

    async def post_to_channel(self, community_id: str, channel_id: str, message: Message) -> str:
        self._show(f"#{channel_id}", message)
        prefix = f"{community_id}-{channel_id}"
        for path in save_files(self.files_dir, prefix, message.attachments, self.now()):
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
