"""The playground's line language: act as people, press buttons, move time forward."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from adapters.console.platform import ConsolePlatform, save_files
from pairing_core import commands as c
from pairing_core.button_values import read_checkin
from pairing_core.command_text import parse_mention
from pairing_core.dispatch import handle, handle_text
from pairing_core.errors import DomainError
from pairing_core.message import Action, Message, OutboxStatus, TargetKind
from pairing_core.privacy import FORGET_ACTION, FORGET_ANONYMISE
from pairing_core.programme import Programme
from pairing_core.services.answers import record_checkin
from pairing_core.services.context import Actor, Services
from pairing_core.services.delivery import deliver_pending
from pairing_core.services.programme_choice import CHOOSE_PROGRAMME_ACTION
from pairing_core.services.round_calendar import current_rounds, run_due_steps
from pairing_core.texts import CHECKIN_ACTION, REFLECT_ACTION, format_day

__all__ = [
    "MAX_ADVANCE",
    "PLAYGROUND_HELP",
    "PlaygroundClock",
    "PlaygroundSession",
    "playground_mention",
]

# One `advance` runs every step that falls due in it; a bound keeps later replies on screen
# rather than under hundreds of rounds.
MAX_ADVANCE = timedelta(days=400)
_UNITS = {"d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1)}

PLAYGROUND_HELP = """\
You play every member of one community. Lines you can type:
  as alice: /unmentor join --org "Devon CC"   act as alice (any name works)
  as bob: /unmentor pause 2w                  every member command: /unmentor help
  as bob: /unmentor never @alice              name a member with @NAME
  admin: /unmentor admin round now            act as an admin (admin settings|stats|round now|skip ...)
  as alice: press 1                           press alice's latest button, by number or label
  as alice: /unmentor reflect Loved it        share a takeaway (stands in for the reflection form)
  advance 7d                                  move time forward (d, h or m; at most 400d) and run what falls due
  time                                        show the simulated time and the next round
  help | quit"""

_ACT = re.compile(r"^(?:as\s+(?P<who>[\w.-]+)|(?P<admin>admin))\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
_AT_NAME = re.compile(r"^@([\w.-]{1,64})$")
_ADVANCE = re.compile(r"^advance\s+(\d+)\s*([dhm])$", re.IGNORECASE)


def playground_mention(token: str) -> str | None:
    """Read a person named as in the playground's lines (``@bob``), or as a platform sends it."""
    found = _AT_NAME.match(token.strip())
    member = found.group(1) if found else parse_mention(token)
    # people are who `as NAME:` says, and that is read without case
    return member.lower() if member else None


class PlaygroundClock:
    """Real time plus however far the person has advanced it."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current


@dataclass
class PlaygroundSession:
    services: Services
    platform: ConsolePlatform
    clock: PlaygroundClock
    community_id: str
    # where files handed to people (data exports, reports) are written
    files_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "unmentor")
    # keeps the simulated time with the community's data, so a restart resumes at it
    on_time_moved: Callable[[datetime], Awaitable[None]] | None = None

    def _write(self, text: str) -> None:
        self.platform._write(text)

    async def handle_line(self, line: str) -> bool:
        """Act on one line; return False when the person asked to quit."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        low = line.lower()
        if low in ("quit", "exit"):
            return False
        if low in ("help", "?"):
            self._write(PLAYGROUND_HELP)
        elif low == "time":
            await self._show_time()
        elif found := _ADVANCE.match(line):
            await self._advance(int(found.group(1)), _UNITS[found.group(2).lower()])
        elif found := _ACT.match(line):
            admin = found.group("admin") is not None
            who = "admin" if admin else found.group("who").lower()
            await self._act(Actor(who, who, platform_admin=admin), found.group("rest").strip())
        elif low.split()[0] == "advance":
            self._write(
                "  Say how far to go, in whole days, hours or minutes: `advance 7d`, `advance 12h` "
                "or `advance 30m` (time only moves forward)."
            )
        else:
            self._write("  I didn't understand that line. Type `help` for what you can do.")
        await self._catch_up()
        return True

    async def _advance(self, amount: int, unit: timedelta) -> None:
        # compared as a count first: a huge amount would overflow timedelta
        if amount > MAX_ADVANCE // unit:
            self._write(
                f"  One `advance` goes at most {MAX_ADVANCE.days} days: "
                "type it again to go further."
            )
            return
        self.clock.current += amount * unit
        if self.on_time_moved is not None:
            await self.on_time_moved(self.clock.current)
        self._write(f"  (time is now {self._local(self.clock.now())})")

    def _local(self, moment: datetime) -> str:
        return f"{moment:%Y-%m-%d %H:%M} UTC"

    async def _show_time(self) -> None:
        async with self.services.uow:
            programmes = await self._running_programmes()
            upcoming = [
                (p, (await current_rounds(self.services.uow, self.community_id, p.id)).scheduled)
                for p in programmes
            ]
        self._write(f"  It is {self._local(self.clock.now())}.")
        for programme, scheduled in upcoming:
            if scheduled is None:
                continue
            # a community with one programme reads as before programmes: its name is not shown
            whose = f"{programme.name}: " if len(programmes) > 1 else ""
            self._write(
                f"  {whose}Round {scheduled.number} starts "
                f"{format_day(scheduled.intro_at, programme)} ({self._local(scheduled.intro_at)})."
            )

    async def _running_programmes(self) -> list[Programme]:
        """Return the community's programmes that run rounds (inside an open unit of work)."""
        programmes = await self.services.uow.programmes.list(self.community_id)
        return [p for p in programmes if p.active]

    async def _act(self, actor: Actor, rest: str) -> None:
        if rest.lower().startswith("/unmentor"):
            reply = await handle_text(
                rest[len("/unmentor") :],
                actor,
                self.community_id,
                self.services,
                playground_mention,
            )
            self._reply(actor.member_id, reply)
        elif rest.lower().startswith("press"):
            await self._press(actor, rest[len("press") :].strip())
        else:
            self._write("  After `as NAME:` type a `/unmentor ...` command or `press N`.")

    async def _latest_buttons(self, member_id: str) -> tuple[str, tuple[Action, ...]]:
        """Return the member's latest buttons: on screen, else the last delivered to them.

        The delivered ones are read from storage, so a press after a restart (or after an update
        took a message's buttons away) reaches the core and gets the reply Slack's would.
        """
        if member_id in self.platform.buttons:
            return self.platform.buttons[member_id]
        async with self.services.uow:
            items = await self.services.uow.outbox.list(self.community_id)
        for item in reversed(items):
            person = item.target.kind is not TargetKind.CHANNEL and member_id in item.target.ids
            if item.status is OutboxStatus.SENT and item.message.actions and person:
                return item.conversation_id or f"dm:{member_id}", item.message.actions
        return "", ()

    async def _press(self, actor: Actor, choice: str) -> None:
        if not choice:
            self._write(
                f"  Say which button: `as {actor.member_id}: press 1`, or part of its label."
            )
            return
        conversation, actions = await self._latest_buttons(actor.member_id)
        picked = None
        if choice.isdigit() and 1 <= int(choice) <= len(actions):
            picked = actions[int(choice) - 1]
        else:
            picked = next(
                (a for a in actions if choice and choice.lower() in a.label.lower()), None
            )
        if picked is None:
            self._write(f"  @{actor.member_id} has no button {choice!r} to press.")
            return
        if picked.action_id == CHECKIN_ACTION:
            checkin = read_checkin(picked.value)
            assert checkin is not None, f"a check-in button with value {picked.value!r}"
            try:
                result = await record_checkin(checkin, actor, self.community_id, self.services)
            except DomainError as error:
                self.platform.reply(actor.member_id, Message(str(error)))
                return
            if result.changed:
                self.platform.update(conversation, result.updated)
            self.platform.reply(actor.member_id, result.reply)
        elif picked.action_id == FORGET_ACTION:
            keep = picked.value == FORGET_ANONYMISE
            forget = c.ForgetMe(confirm=True, keep_reflections_anonymised=keep)
            self._reply(
                actor.member_id, await handle(forget, actor, self.community_id, self.services)
            )
        elif picked.action_id == CHOOSE_PROGRAMME_ACTION:
            # the button runs its command as if typed, naming the programme chosen
            reply = await handle_text(
                picked.value, actor, self.community_id, self.services, playground_mention
            )
            self._reply(actor.member_id, reply)
        elif picked.action_id == REFLECT_ACTION:
            self.platform.reply(
                actor.member_id,
                Message(
                    "The takeaway form: type `as "
                    f"{actor.member_id}: /unmentor reflect [--private] [--rating 1-5] <your takeaway>`"
                ),
            )

    def _reply(self, member_id: str, reply: Message) -> None:
        """Show the reply; write any file it carries and say where."""
        self.platform.reply(member_id, reply)
        prefix = f"{self.community_id}-{member_id}"
        for path in save_files(self.files_dir, prefix, reply.attachments, self.clock.now()):
            self._write(f"  (file for @{member_id} written to {path})")

    async def _catch_up(self) -> None:
        """Run whatever is due at the simulated time and deliver it, as the scheduler would.

        One pass runs a bounded number of steps; a long ``advance`` needs many passes (as the
        scheduler makes them), so that nothing due is left for a later line to run.
        """
        async with self.services.uow:
            # archived ones too: a round running when its programme was archived still finishes
            programmes = await self.services.uow.programmes.list(self.community_id)
        several = len(programmes) > 1
        busy = True
        while busy:  # a pass for each programme in turn, so none runs far ahead of the others
            busy = False
            for programme in programmes:
                done = await run_due_steps(self.services, self.community_id, programme.id)
                busy = busy or bool(done)
                for step in done:
                    self._write(
                        f"  (bot: {programme.name}: {step})" if several else f"  (bot: {step})"
                    )
        batch = 100
        while (await deliver_pending(self.services, self.platform, limit=batch)).claimed >= batch:
            pass  # a full batch: more may be due
