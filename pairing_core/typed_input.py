"""Limits and checks for every value a person types, whichever way it came in.

The use cases that store typed values call these checks themselves, so a slash command, a Slack
form, a Discord modal, a button and the playground all meet the same limits and the same one-line
reasons, on every database; the parser calls them too, to answer early with the command's usage.
Each limit is at most the size of the column that stores the value (a test holds them together).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import NamedTuple

from pairing_core.commands import SubmitReflection
from pairing_core.errors import UsageError
from pairing_core.message import escape_markup
from pairing_core.programme import NAME_LIMIT
from pairing_core.reflection import MAX_REFLECTION_LENGTH

__all__ = [
    "ABOUT",
    "ADMIN_ROLE",
    "CHANNEL",
    "COMMUNITY_NAME",
    "CONTACT",
    "DISPLAY_NAME",
    "FIELDS",
    "MEMBER_ID",
    "ORGANISATION",
    "PROGRAMME_NAME",
    "RATING",
    "RATINGS",
    "ROUND",
    "SETTING_VALUE",
    "TAKEAWAY",
    "TIMEZONE",
    "Field",
    "FieldRefused",
    "ReflectionFields",
    "checked",
    "checked_reflection",
    "checked_reflection_fields",
    "checked_rating",
    "display_name",
    "tidied",
    "quoted",
    "short",
]

# Replies quote at most this much of what was typed, so a huge input never comes back huge.
ECHO_LIMIT = 40


@dataclass(frozen=True)
class Field:
    """A kind of typed value: what replies call it, its longest length, and whether it is one line."""

    name: str
    limit: int
    single_line: bool = True


ORGANISATION = Field("organisation", 120)
CONTACT = Field("contact note", 300)
ABOUT = Field("about line", 200)
TAKEAWAY = Field("takeaway", MAX_REFLECTION_LENGTH, single_line=False)
DISPLAY_NAME = Field("display name", 80)
COMMUNITY_NAME = Field("community name", 100)  # a workspace's or server's name (Discord's: 100)
# Platform ids: Slack's are about 11 characters, Discord's snowflakes at most 20, playground names short.
MEMBER_ID = Field("person", 64)
ADMIN_ROLE = Field("admin role", 64)
CHANNEL = Field("channel", 64)
TIMEZONE = Field("timezone", 64)
PROGRAMME_NAME = Field("programme name", NAME_LIMIT)  # one word: see pairing_core.programme
# Any value after `admin settings key=`, before it is read: longer ones are never valid.
SETTING_VALUE = Field("setting", 200)

FIELDS = (
    ORGANISATION,
    CONTACT,
    ABOUT,
    TAKEAWAY,
    DISPLAY_NAME,
    COMMUNITY_NAME,
    MEMBER_ID,
    ADMIN_ROLE,
    CHANNEL,
    TIMEZONE,
    PROGRAMME_NAME,
    SETTING_VALUE,
)

# A takeaway's rating, and the names a refusal gives the takeaway form's other fields.
RATINGS = range(1, 6)
RATING, ROUND = "rating", "round"

_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85\v\f]")
_SPACES = re.compile(r"\s+")


class FieldRefused(UsageError):
    """A typed value refused; ``field`` names it, so a form can show the reason beside it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def short(typed: str, limit: int = ECHO_LIMIT) -> str:
    """Return at most ``limit`` characters of ``typed``, ending in "…" when cut."""
    return typed if len(typed) <= limit else typed[:limit] + "…"


def quoted(typed: str) -> str:
    """Quote what a person typed in a reply: a short prefix, shown exactly, never as markup."""
    return escape_markup(repr(short(typed)))


def _refused_character(text: str) -> str | None:
    """Return a character no stored text may hold: a control character or a lone surrogate."""
    for char in text:
        category = unicodedata.category(char)
        if (category == "Cc" and char not in "\n\t") or category == "Cs":
            return char
    return None


def checked(field: Field, value: str) -> str:
    """Return ``value`` tidied (trimmed; one line if the field is) or raise ``UsageError`` saying why.

    Line breaks of every kind become ``\\n``; in a one-line field every run of spaces and line
    breaks becomes one space, so a typed value can never start a line of the bot's message.
    """
    text = _LINE_BREAKS.sub("\n", value)
    bad = _refused_character(text)
    if bad is not None:
        raise FieldRefused(
            field.name,
            f"Your {field.name} holds a control character (U+{ord(bad):04X}) I can't store; "
            "please type it again without it.",
        )
    text = _SPACES.sub(" ", text).strip() if field.single_line else text.strip()
    if len(text) > field.limit:
        raise FieldRefused(
            field.name,
            f"Please keep your {field.name} to {field.limit} characters (this one has {len(text)}).",
        )
    return text


def _whole_number(value: object) -> int | None:
    """Read a whole number sent as a number or as digits (a form sends text); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)
    return None


def checked_rating(rating: object) -> int | None:
    """Return a takeaway's rating: absent (None or blank) or a whole number from 1 to 5."""
    if rating is None or (isinstance(rating, str) and not rating.strip()):
        return None
    number = _whole_number(rating.strip() if isinstance(rating, str) else rating)
    if number is None or number not in RATINGS:
        raise FieldRefused(RATING, f"The rating is a number from {RATINGS[0]} to {RATINGS[-1]}.")
    return number


def tidied(field: Field, text: str, fallback: str) -> str:
    """Return a name a platform gave fit to store: one line, no control characters, bounded.

    A person did not type it for us, so it is tidied rather than refused.
    """
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") else c for c in text)
    text = _SPACES.sub(" ", text).strip()
    if len(text) > field.limit:
        text = text[: field.limit - 1] + "…"
    return text or fallback[: field.limit]


def display_name(name: str, fallback: str) -> str:
    """Return a platform's display name fit to store (see ``tidied``)."""
    return tidied(DISPLAY_NAME, name, fallback)


class ReflectionFields(NamedTuple):
    """A takeaway's typed fields once checked: what the use case stores."""

    text: str
    rating: int | None
    round_number: int | None


def checked_reflection_fields(text: str, rating: object, round_number: object) -> ReflectionFields:
    """Return a takeaway's fields as sent, checked and tidied, or raise ``FieldRefused`` saying why.

    Pure and quick, so a form can answer with it within its platform's deadline; the use case
    calls it too (through ``checked_reflection``), so both refuse the same way.
    """
    text = checked(TAKEAWAY, text)
    if not text:
        raise FieldRefused(TAKEAWAY.name, "Please write your takeaway.")
    stars = checked_rating(rating)
    number = _whole_number(round_number) if round_number is not None else None
    if round_number is not None and (number is None or number < 1):
        raise FieldRefused(
            ROUND,
            "That takeaway is for a round I don't know: please open the form again from "
            "the round's reminder.",
        )
    return ReflectionFields(text, stars, number)


def checked_reflection(cmd: SubmitReflection) -> SubmitReflection:
    """Return a takeaway command whose text and rating are within limits, or refuse saying why."""
    text, rating, number = checked_reflection_fields(cmd.text, cmd.rating, cmd.round_number)
    return replace(cmd, text=text, rating=rating, round_number=number)
