"""What the bot tells people about their data, and the pure rules for erasing a member from records."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from pairing_core.message import Action, Message, OutboxItem, Target, escape_markup
from pairing_core.redaction import REMOVED
from pairing_core.round import Group, Round, SatOut

__all__ = [
    "ERASED_MENTION",
    "FORGET_ACTION",
    "forget_confirmation",
    "privacy_text",
    "pseudonymise_round",
    "scrub_outbox_item",
]

FORGET_ACTION = "unmentor_forget"
FORGET_DELETE = "delete"
FORGET_ANONYMISE = "anonymise"
ERASED_MENTION = "a former member"
_ERASED = "[erased]"


def privacy_text(retention_days: int) -> str:
    """Say what is stored, why, for how long and who can see it."""
    return "\n".join(
        [
            "*Your data in UnMentoring*",
            "*What is stored:* your chat id and display name, the organisation, contact note, "
            "about line, time zone and working hours you gave (on Slack, the time zone of your "
            "Slack profile unless you set one, and when it was last taken from it), when you joined, paused or left; the rounds you were in and who with; your "
            "group's half-way check-in answer; the rounds you chose to skip or be in; takeaways you shared or are credited on, with any "
            "rating; your private never-pair list; messages the bot is sending or sent you.",
            "*Why:* to pair you with people at random (never with someone you blocked, rarely "
            "with someone you met before), to introduce you, and to show the network how the "
            "programme is doing.",
            f"*How long:* while you take part. After you leave, everything about you is erased "
            f"automatically after {retention_days} days; `/unmentor forget-me` erases it now.",
            "*Who sees it:* your partners see your name, organisation and contact note; public "
            "takeaways are posted in the reflections channel; admins see totals, public "
            "takeaways and, on the web dashboard, members' names and whether they are active, "
            "paused or left. Your never-pair list and private takeaways are seen by nobody else.",
            "*Your rights:* `/unmentor my-data` gives you a copy of everything stored about you; "
            "`/unmentor forget-me` erases it. Past groups keep an anonymous placeholder, so "
            "other members' history and the programme's totals stay correct.",
            "*Takeaways when you are erased:* yours are deleted, or kept anonymised if you choose "
            "(after the retention period they are kept anonymised), credited to the anonymous "
            "placeholder instead of you. In every takeaway that stays, yours or another member's, "
            "your mentions, chat id, display name and the contact details you gave become "
            f"{REMOVED}; anything else written, such as your job or a shortened name, stays as "
            "written. Takeaways already posted in the reflections channel stay there as posted.",
        ]
    )


def forget_confirmation() -> Message:
    """Ask the member to confirm an erasure and choose what happens to their takeaways."""
    return Message(
        "This erases everything UnMentoring holds about you: your membership, organisation, "
        "contact note, never-pair list, check-in answers and messages; past groups keep only an "
        "anonymous placeholder. It cannot be undone.\n"
        "Takeaways you shared can be deleted, or kept with your name removed.\n"
        "Confirm with `/unmentor forget-me --confirm` (delete takeaways) or "
        "`/unmentor forget-me --confirm --keep-reflections-anonymised`.",
        (
            Action(FORGET_ACTION, "Erase me, delete my takeaways", FORGET_DELETE),
            Action(FORGET_ACTION, "Erase me, keep takeaways anonymised", FORGET_ANONYMISE),
        ),
    )


def pseudonymise_round(round_: Round, member_id: str, pseudonym: str) -> bool:
    """Put ``pseudonym`` in the member's place in the round; return True when anything changed."""
    changed = False
    groups: list[Group] = []
    for group in round_.groups:
        if group.has(member_id) or group.checkin_by == member_id:
            changed = True
            group = replace(
                group,
                members=tuple(pseudonym if m == member_id else m for m in group.members),
                checkin_by=pseudonym if group.checkin_by == member_id else group.checkin_by,
                departed=frozenset(pseudonym if m == member_id else m for m in group.departed),
            )
        groups.append(group)
    sat_out: list[SatOut] = []
    for sat in round_.sat_out:
        if sat.member_id == member_id:
            changed, sat = True, SatOut(pseudonym, sat.reason)
        sat_out.append(sat)
    round_.groups, round_.sat_out = groups, sat_out
    return changed


def _scrubber(member_id: str, secrets: Sequence[str]) -> list[tuple[re.Pattern[str], str]]:
    rules = [
        # an intro's line describing the member (organisation, contact note) goes entirely
        (re.compile(rf"^\s*•\s*<@!?{re.escape(member_id)}(?:\|[^>]*)?>.*\n?", re.MULTILINE), ""),
        (re.compile(rf"<@!?{re.escape(member_id)}(?:\|[^>]*)?>"), ERASED_MENTION),
        (re.compile(re.escape(member_id)), _ERASED),
    ]
    # message text holds typed text escaped ("a &amp; b"), other fields hold it as typed
    written = {form for secret in secrets for form in (secret, escape_markup(secret))}
    rules += [
        (re.compile(rf"(?<!\w){re.escape(secret)}(?!\w)", re.IGNORECASE), _ERASED)
        for secret in sorted(written, key=len, reverse=True)
        if secret.strip()
    ]
    return rules


def _clean(value: Any, rules: list[tuple[re.Pattern[str], str]]) -> Any:
    if isinstance(value, str):
        for pattern, replacement in rules:
            value = pattern.sub(replacement, value)
        return value
    if isinstance(value, dict):
        return {_clean(k, rules): _clean(v, rules) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_clean(v, rules) for v in value)
    return value


def scrub_outbox_item(
    item: OutboxItem, member_id: str, secrets: Sequence[str], pseudonym: str
) -> OutboxItem | None:
    """Return the item with the member taken out of it, or None when it should be deleted.

    A message to the member alone is deleted; a group message loses them from its recipients
    and their line in the text; elsewhere their mention, name and contact note are replaced.
    """
    ids = tuple(i for i in item.target.ids if i != member_id)
    if not ids:
        return None
    rules = _scrubber(member_id, secrets)
    # files stay: the only ones the outbox carries are round summaries' charts, which hold counts
    message = replace(
        item.message,
        text=_clean(item.message.text, rules),
        actions=tuple(
            Action(a.action_id, _clean(a.label, rules), _clean(a.value, rules))
            for a in item.message.actions
        ),
    )
    return replace(
        item,
        key=item.key.replace(member_id, pseudonym),
        target=Target(item.target.kind, ids),
        message=message,
        last_error=_clean(item.last_error, rules),
        extra=_clean(item.extra, rules),
    )
