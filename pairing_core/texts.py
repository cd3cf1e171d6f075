"""The words the bot says. Mentions are written ``<@id>``, which Slack and Discord render natively.

Whatever a person typed goes in through ``escape_markup`` (or ``escape_prose``, which keeps the
mentions of people in a takeaway or contact note): it shows as written, never as other markup.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import datetime

from pairing_core.button_values import checkin_value, group_value
from pairing_core.meeting_texts import book_actions, slots_section
from pairing_core.member import Member
from pairing_core.message import Action, Message, escape_markup, escape_prose
from pairing_core.programme import Programme
from pairing_core.reflection import Reflection
from pairing_core.round import CheckInAnswer, Group, Round
from pairing_core.working_hours import zone_abbreviation

__all__ = [
    "CHECKIN_ACTION",
    "nudge_message",
    "and_list",
    "PARTNER_LEFT",
    "PARTNERS_LEFT",
    "count",
    "REFLECT_ACTION",
    "checkin_already",
    "checkin_answered",
    "checkin_message",
    "conversation_starters",
    "for_those_remaining",
    "format_day",
    "intro_message",
    "mention",
    "partner_left_message",
    "quote_typed",
    "reflection_post",
    "reflection_prompt",
    "round_summary",
    "sat_out_message",
    "you_all",
]

CHECKIN_ACTION = "unmentor_checkin"
REFLECT_ACTION = "unmentor_reflect"

CHECKIN_LABELS = {
    CheckInAnswer.MET: "We've met",
    CheckInAnswer.BOOKED: "It's booked",
    CheckInAnswer.NOT_THIS_TIME: "Not this time",
}

_STARTERS = (
    "What's something you changed your mind about this year?",
    "What problem at work would you love a fresh pair of eyes on?",
    "What does your team do that others in the network might not know about?",
    "What's the most useful thing you learned from someone outside your organisation?",
    "If you could fix one thing about how your service works, what would it be?",
    "What are you working on that you're proud of, and what's hard about it?",
    "Who has influenced how you work, and how?",
    "What's an assumption in your field that deserves challenging?",
)


def count(number: int, singular: str, plural: str | None = None) -> str:
    """Say ``1 group`` / ``3 groups``."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def mention(member_id: str) -> str:
    return f"<@{member_id}>"


def quote_typed(text: str) -> str:
    """Show typed prose as a quote, every line of it, so no line can pass for the bot's own."""
    return "\n".join(f"> {escape_prose(line)}" for line in text.splitlines() or [""])


def _one_line(text: str) -> str:
    return " ".join(text.split())


def format_day(moment: datetime, programme: Programme) -> str:
    """Render a date the way people in the programme read it, in its timezone."""
    local = moment.astimezone(programme.settings.zone)
    return f"{local:%A} {local.day} {local:%B}"


def conversation_starters(seed: int, count: int = 3) -> list[str]:
    return random.Random(seed).sample(_STARTERS, count)


def _describe(member: Member, at: datetime) -> str:
    """One line per person: organisation and zone (as it reads at ``at``), about line, contact."""
    line = f"• {mention(member.member_id)}"
    facts = [escape_markup(_one_line(member.organisation))] if member.organisation else []
    if member.timezone:
        facts.append(f"local time {zone_abbreviation(member.timezone, at)}")
    if facts:
        line += f" ({', '.join(facts)})"
    if member.about:
        line += f": {escape_prose(_one_line(member.about))}"
    if member.contact:
        line += f" — reach me: {escape_prose(_one_line(member.contact))}"
    return line


def intro_message(
    programme: Programme, round_: Round, group: Group, members: Mapping[str, Member]
) -> Message:
    """Introduce a group to each other, with suggested times, starters and the round's end date."""
    people = "\n".join(
        _describe(members[m], round_.intro_at) for m in group.members if m in members
    )
    starters = "\n".join(
        f"• {s}" for s in conversation_starters((round_.seed or 0) * 1009 + group.index)
    )
    times, slots, invites = slots_section(programme, round_, group, members)
    return Message(
        f"*UnMentoring round {round_.number}* — say hello!\n"
        f"{_grouped(len(group.members))} at random for a ~30 minute conversation:\n{people}\n\n"
        + (f"{times}\n\n" if times else "")
        + f"Some starters, if you want them:\n{starters}\n\n"
        f"Find a time before {format_day(round_.close_at, programme)}. Afterwards, share one "
        "takeaway so the whole network learns from it.",
        book_actions(slots),
        invites,
    )


def _checkin_buttons(round_: Round, group: Group, better_than: int = -1) -> tuple[Action, ...]:
    return tuple(
        Action(CHECKIN_ACTION, label, checkin_value(round_, group, answer))
        for answer, label in CHECKIN_LABELS.items()
        if answer.rank > better_than
    )


def checkin_message(round_: Round, group: Group) -> Message:
    return Message("Half-way check-in: did you manage to meet?", _checkin_buttons(round_, group))


def nudge_message(round_: Round, group: Group) -> Message:
    """Remind a group that has not answered the check-in, with its buttons again."""
    return Message(
        "A reminder, in case the check-in got buried: did you manage to meet? "
        "If not yet, there's still time before the round ends.",
        _checkin_buttons(round_, group),
    )


def checkin_answered(round_: Round, group: Group) -> Message:
    """Show the group's answer in place of the check-in, keeping the buttons of better ones."""
    answer, by = group.checkin, group.checkin_by
    assert answer is not None, "the group has not answered"
    who = mention(by) if by else "your group"
    text = f"Half-way check-in: {who} answered “{CHECKIN_LABELS[answer]}”. Thank you!"
    better = _checkin_buttons(round_, group, answer.rank)
    if better:
        text += " If that changes, press the new answer."
    return Message(text, better)


def checkin_already(answer: CheckInAnswer) -> str:
    """Answer a press that would not improve the group's answer: the same words every time."""
    return f"Your group has already answered “{CHECKIN_LABELS[answer]}”."


def _grouped(size: int) -> str:
    """Say how the intro's people were put together: a pair, or a group of three or four."""
    if size == 2:
        return "You've been paired"
    return f"You've been put in a group of {_NUMBERS.get(size, str(size))}"


_NUMBERS = {3: "three", 4: "four"}


def you_all(people: int) -> str:
    """Address the people a message goes to: ``you both`` for two, ``you all`` for more."""
    return "you both" if people == 2 else "you all"


def reflection_prompt(programme: Programme, round_: Round, group: Group, people: int) -> Message:
    """Invite the ``people`` still in the group to share a takeaway."""
    where = (
        f"in <#{programme.settings.reflections_channel}>"
        if programme.settings.reflections_channel
        else "with the network"
    )
    return Message(
        f"Round {round_.number} ends {format_day(round_.close_at, programme)}. What did you take "
        f"away from your conversation? One of you can share a short takeaway {where}, credited "
        f"to {you_all(people)}.",
        (Action(REFLECT_ACTION, "Share a takeaway", group_value(round_, group)),),
    )


def and_list(words: Sequence[str]) -> str:
    """Join ``a``, ``a and b``, ``a, b and c``."""
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def reflection_post(reflection: Reflection) -> Message:
    names = and_list([mention(a) for a in reflection.authors])
    return Message(
        f"*Takeaway from round {reflection.round_number}* — {names}:\n"
        f"{quote_typed(reflection.text)}"
    )


def round_summary(round_: Round, takeaways: Sequence[tuple[str, str | None]]) -> Message:
    """Sum up a closed round for the reflections channel: who met, what was shared.

    Each takeaway is its text and the link to its post in the channel, when there is one.
    """
    met = sum(g.checkin is CheckInAnswer.MET for g in round_.groups)
    lines = [
        f"*Round {round_.number} is over.* {met} of {count(len(round_.groups), 'group')} "
        "said they met."
    ]
    if takeaways:
        lines.append(f"{count(len(takeaways), 'takeaway was', 'takeaways were')} shared:")
        lines += [
            f"{quote_typed(text)} (<{link}|see the post>)" if link else quote_typed(text)
            for text, link in takeaways
        ]
    else:
        lines.append("No takeaways were shared this time.")
    return Message("\n".join(lines))


# the sat-out reason of a member whose partner (PARTNERS_LEFT: whose group's others) all left
# between matching and the intro
PARTNER_LEFT = "partner-left"
PARTNERS_LEFT = "partners-left"


def sat_out_message(reason: str, round_: Round, programme: Programme) -> Message:
    if reason == "alone":
        why = "you were the only person in the pot this round"
    elif reason == PARTNER_LEFT:
        why = "the person you were matched with has left the programme"
    elif reason == PARTNERS_LEFT:
        why = "the people you were matched with have left the programme"
    else:
        why = (
            "everyone available this round is someone you or an admin asked never to be paired with"
        )
    return Message(
        f"No conversation for you in round {round_.number}: {why}. You'll be first in line next "
        f"round, which starts {format_day(round_.close_at, programme)}."
    )


def list_people(member_ids: Sequence[str]) -> str:
    return ", ".join(mention(m) for m in member_ids) or "nobody"


def for_those_remaining(message: Message) -> Message:
    """Say why a follow-up comes without someone the intro named, never saying who."""
    return Message(
        "_Not everyone from your group is still taking part in UnMentoring, so this goes only "
        f"to those of you who are._\n\n{message.text}",
        message.actions,
    )


def partner_left_message(
    round_: Round, group: Group, paused: bool, programme: Programme
) -> Message:
    """Tell the one member still in a group that the others left, and what happens next."""
    who = (
        "the person you were paired with has"
        if len(group.members) == 2
        else "everyone else in your group has"
    )
    after = (
        "You're paused, so you'll be back in the pot for the first round after your pause ends."
        if paused
        else f"You'll be in the next round, which starts {format_day(round_.close_at, programme)}."
    )
    return Message(
        f"About UnMentoring round {round_.number}: {who} left the programme, so there are no more "
        "messages for your group this round. If you did meet, you can still share a takeaway with "
        f"`/unmentor reflect`. {after}"
    )
