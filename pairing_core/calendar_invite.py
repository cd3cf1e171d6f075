"""A suggested slot as a calendar entry: an RFC 5545 ``.ics`` file and "add event" links."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urlencode

from pairing_core.meeting_slots import Slot

__all__ = [
    "EVENT_SUMMARY",
    "google_link",
    "ics_filename",
    "ics_invite",
    "outlook_link",
    "slot_uid",
]

EVENT_SUMMARY = "UnMentoring conversation"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def slot_uid(community_id: str, programme_id: str, round_number: int, group: int, slot: int) -> str:
    """Return the event's UID: the same for a group's slot however often it is written."""
    return f"{community_id}-{programme_id}-r{round_number}-g{group}-s{slot}@unmentoring"


def ics_filename(round_number: int, slot: int) -> str:
    return f"unmentoring-round-{round_number}-slot-{slot}.ics"


def _escape_text(text: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11)."""
    for char, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        text = text.replace(char, escaped)
    return text


def _folded(line: str) -> list[str]:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    parts: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    parts.append(current)
    return parts


def ics_invite(slot: Slot, uid: str, names: Sequence[str], stamp: datetime) -> bytes:
    """Write one VEVENT for ``slot``, times in UTC so every calendar shows them right across DST.

    People's e-mail addresses are not known here, so there are no ATTENDEE lines (they need a
    mailto: address): the DESCRIPTION names who is meeting instead. No meeting link is invented.
    """
    description = (
        f"UnMentoring conversation between {', '.join(names)}. "
        "Whoever books it adds a video call link if you meet online."
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//UnMentoring//Pairing bot//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(slot.start)}",
        f"DTEND:{_utc(slot.end)}",
        f"SUMMARY:{_escape_text(EVENT_SUMMARY)}",
        f"DESCRIPTION:{_escape_text(description)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(f"{part}\r\n" for line in lines for part in _folded(line)).encode("utf-8")


def outlook_link(slot: Slot) -> str:
    """Return an Outlook on the web link that opens a new event at the slot."""
    query = urlencode(
        {
            "subject": EVENT_SUMMARY,
            "startdt": slot.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "enddt": slot.end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
        safe=":",
    )
    return f"https://outlook.office.com/calendar/0/deeplink/compose?{query}"


def google_link(slot: Slot) -> str:
    """Return a Google Calendar link that opens a new event at the slot."""
    query = urlencode(
        {
            "action": "TEMPLATE",
            "text": EVENT_SUMMARY,
            "dates": f"{_utc(slot.start)}/{_utc(slot.end)}",
        },
        safe="/",
    )
    return f"https://calendar.google.com/calendar/render?{query}"
