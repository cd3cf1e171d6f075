"""Take a member out of free text they or others wrote, such as a takeaway kept after erasure."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["REMOVED", "contact_parts", "remove_member"]

REMOVED = "[removed]"

# An email address or handle, a link, or a run of digits long enough to be a phone number.
_IDENTIFIES = re.compile(r"@|://|^www\.|\d{5}")


def _words(name: str) -> str:
    # "Zelda  Quixote-Marr" in a profile still finds "Zelda Quixote-Marr" in the text
    return r"\s+".join(re.escape(word) for word in name.split())


def contact_parts(note: str) -> list[str]:
    """Return the pieces of a contact note that identify someone on their own, such as an email."""
    pieces = (piece.strip(".,;:!?") for piece in re.split(r"[\s,;()<>]+", note))
    return [piece for piece in pieces if _IDENTIFIES.search(piece)]


def remove_member(text: str, member_id: str, names: Iterable[str]) -> str:
    """Replace the member's mentions, id and each of ``names`` in ``text`` by ``REMOVED``.

    Names and the id match whole words only, ignoring case; a name that is also an ordinary
    word (someone called "Will") is removed wherever that word stands, as erring that way
    keeps nobody identifiable. Everything else in the text stays as written.
    """
    wanted = {" ".join(name.split()) for name in (member_id, *names)} - {""}
    if not wanted:
        return text
    # Longest first, so a full name goes as one before any shorter name inside it.
    words = "|".join(_words(name) for name in sorted(wanted, key=len, reverse=True))
    mention = rf"<@!?{re.escape(member_id)}(?:\|[^>]*)?>" if member_id else None
    pattern = rf"(?<!\w)(?:{words})(?!\w)"
    if mention:
        pattern = f"{mention}|{pattern}"
    # One pass, so the marker itself is never matched again.
    return re.sub(pattern, REMOVED, text, flags=re.IGNORECASE)
