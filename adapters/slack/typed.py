"""Slash-command text as the person typed it, from the form Slack sends it in.

Slack escapes a typed ``&``, ``<`` and ``>`` (``&amp;`` ``&lt;`` ``&gt;``) and, with
``should_escape``, turns what it recognises into markup: ``@bob`` into ``<@U2|bob>``, ``#general``
into ``<#C1|general>``, ``x.example`` into ``<http://x.example|x.example>``. Commands that name
someone need the markup; prose (a takeaway, an organisation, a contact note) gets back what was
shown in the box, so it is stored and later shown as written, never as a channel or a link. A
person named in prose stays a mention, bare (``<@U2>``): it shows as their name, and erasing
them can find it, where a stored "@bob.smith" handle could not be taken out.
"""

from __future__ import annotations

import re

from pairing_core.command_text import FREE_TEXT_COMMANDS
from pairing_core.message import unescape_markup

__all__ = ["typed_text"]

# Only Slack's own forms: every "<" a person typed arrives escaped.
_SLACK_MARKUP = re.compile(
    r"<(?:(?P<ref>[@#][A-Z0-9]+)|!(?P<special>here|channel|everyone)|!subteam\^[A-Z0-9]+"
    r"|(?P<url>(?:https?|mailto):[^|>\s]+))(?:\|(?P<label>[^>]*))?>"
)


def _as_shown(found: re.Match[str]) -> str:
    label = found["label"]
    ref = found["ref"]
    if ref and ref.startswith("@"):
        return f"<{ref}>"  # a person stays a mention: shown by name, and erasure can find it
    if ref:
        return "#" + label if label else ref
    if found["special"]:
        return "@" + found["special"]
    return label or found["url"] or found[0]


def typed_text(text: str) -> str:
    """Return ``/unmentor`` text as typed; in prose, Slack's links and channels as they showed."""
    words = text.split(maxsplit=1)
    if words and words[0].lower() in FREE_TEXT_COMMANDS:
        text = _SLACK_MARKUP.sub(_as_shown, text)
    return unescape_markup(text)
