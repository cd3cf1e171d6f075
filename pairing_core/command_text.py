"""Turn the words after ``/unmentor`` into a command, or a ``UsageError`` that shows the right usage."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from pairing_core import commands as c
from pairing_core.errors import InvalidSetting, UsageError
from pairing_core.meeting_texts import read_slot_stamp
from pairing_core.programme import checked_programme_name
from pairing_core.typed_input import (
    ABOUT,
    CONTACT,
    MEMBER_ID,
    ORGANISATION,
    SETTING_VALUE,
    TAKEAWAY,
    Field,
    checked,
    checked_rating,
    quoted,
)
from pairing_core.working_hours import checked_timezone, parse_hours

__all__ = [
    "FREE_TEXT_COMMANDS",
    "HELP_TOPICS",
    "USAGE",
    "parse_channel",
    "parse_command",
    "parse_mention",
    "parse_role",
]

USAGE: dict[str, str] = {
    "join": 'join [programme] [organisation]  (or: join --org "Devon CC")',
    "leave": "leave [programme]",
    "pause": "pause [programme] <2w|10d|until YYYY-MM-DD>",
    "resume": "resume [programme]",
    "skip": "skip [programme]  (the coming round only; undo with: in [programme])",
    "in": "in [programme]  (count me in the coming round: undoes a skip, or opts in)",
    "status": "status",
    "programmes": "programmes",
    "never": "never @someone  (undo with: never --undo @someone)",
    "contact": "contact <how to reach me, e.g. a video link>  (clear with: contact --clear)",
    "about": "about <one line about you, up to 200 characters>  (clear with: about --clear)",
    "timezone": "timezone <IANA name, e.g. Europe/Dublin>  (clear with: timezone --clear)",
    "hours": "hours <your working hours, Monday to Friday, e.g. 08:00-16:00>",
    "reflect": (
        "reflect [--private] [--rating 1-5: did this conversation challenge your thinking?] "
        "<your takeaway>"
    ),
    "book": "book <1|2|3>  (one of the suggested times in your intro)",
    "privacy": "privacy",
    "my-data": "my-data",
    "forget-me": "forget-me [--confirm] [--keep-reflections-anonymised]",
    "help": "help [command]",
    "admin optout": "admin optout @someone",
    "admin optin": "admin optin @someone",
    "admin block": "admin block @someone @someone-else  (undo with: admin block --undo @a @b)",
    "admin settings": (
        "admin settings [cadence=weekly|fortnightly|every-4-weeks] [weekday=monday] [time=09:30] "
        "[timezone=Europe/London] [channel=#reflections] [size=2|3|4] [cross-org=yes|no] "
        "[nudge=2d|off] [quiet-after=3|off] [heads-up=1d|off] [mode=always|opt-in] "
        "[add-admin=@someone] [remove-admin=@someone] [admin-role=@role|none]"
    ),
    "admin round": "admin round now|skip",
    "admin stats": "admin stats",
    "admin programme": (
        "admin programme create NAME [setting=value ...] | rename OLD NEW | archive NAME | "
        "bind NAME #channel|@role|none"
    ),
}
# Admin commands that act on one programme take ``--programme NAME`` (needed once there are
# several); this note is shown with them.
PROGRAMME_FLAG_NOTE = "With several programmes, add --programme NAME to any admin command."

MentionParser = Callable[[str], str | None]

_MENTION = re.compile(r"^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$")
_ROLE = re.compile(r"^<@&([A-Za-z0-9]+)>$|^([A-Za-z0-9]+)$")
_CHANNEL = re.compile(r"^<#([A-Za-z0-9]+)(?:\|[^>]*)?>$")
_DURATION = re.compile(r"^(\d{1,3})\s*(d|day|days|w|wk|week|weeks)$")
# Flags inside a takeaway, as whole words anywhere: "Great chat --private" must never be published.
_PRIVATE_FLAG = re.compile(r"(?:^|\s+)--private(?=\s|$)")
_RATING_FLAG = re.compile(r"(?:^|\s+)--rating(?:\s+(\S+))?(?=\s|$)")
_QUOTE_PAIRS = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019"}
# Their arguments are prose (a takeaway, an organisation, a contact note) and are kept as written:
# shell-style splitting would choke on "it's" and squash the writer's spacing.
FREE_TEXT_COMMANDS = frozenset({"join", "contact", "about", "reflect", "takeaway"})
_ORG_FLAG = re.compile(r"(?:^|(?<=\s))--org(?=\s|$)")
# ``--programme NAME`` (or ``--programme=NAME``) anywhere in a command
_PROGRAMME_FLAG = re.compile(r"(?:^|\s+)--programme(?:=|\s+)(\S+)(?=\s|$)")

# What ``help <topic>`` can explain: each command, and "admin" for all the admin commands.
HELP_TOPICS = frozenset({*USAGE, "admin"})


def parse_mention(token: str) -> str | None:
    """Read a member reference as Slack and Discord send it (``<@U123|name>``, ``<@123>``)."""
    found = _MENTION.match(token.strip())
    return found.group(1) if found and len(found.group(1)) <= MEMBER_ID.limit else None


def parse_role(token: str) -> str | None:
    """Read a role reference as Discord sends it (``<@&123>``); a bare id passes through."""
    found = _ROLE.match(token.strip())
    return (found.group(1) or found.group(2)) if found else None


def parse_channel(token: str) -> str | None:
    """Read a channel reference (``<#C123|name>``, ``<#123>``); a bare id passes through."""
    token = token.strip()
    found = _CHANNEL.match(token)
    if found:
        return found.group(1)
    return token.lstrip("#") or None


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError as error:
        raise UsageError(f"I couldn't read that: {error}.") from error


def _checked(field: Field, value: str, usage_key: str) -> str:
    """Apply the core's limits for ``field`` early, answering with the command's usage."""
    try:
        return checked(field, value)
    except UsageError as error:
        raise UsageError(str(error), USAGE[usage_key]) from None


def _no_more(args: list[str], usage_key: str) -> None:
    """Refuse words after a command that takes none (or after the ones it took)."""
    if args:
        raise UsageError(
            f"I don't understand the extra words {quoted(' '.join(args))}.", USAGE[usage_key]
        )


def _one_member(args: list[str], usage_key: str, mention: MentionParser) -> str:
    if len(args) != 1:
        raise UsageError("Please name exactly one person.", USAGE[usage_key])
    member = mention(args[0])
    if member is None:
        raise UsageError(f"{quoted(args[0])} is not a person I recognise.", USAGE[usage_key])
    return member


def _is_length(args: list[str]) -> bool:
    return bool(args) and (
        args[0].lower() == "until"
        or any(_DURATION.match(" ".join(args[:n]).lower()) for n in (1, 2))
    )


def _pause(args: list[str]) -> c.PauseMembership:
    if args and not _is_length(args) and _is_length(args[1:]):
        return replace(_pause(args[1:]), programme=_programme_name(args[0], "pause"))
    if not args:
        raise UsageError("Tell me how long to pause for.", USAGE["pause"])
    if args[0].lower() == "until":
        if len(args) < 2:
            raise UsageError("Give the date to pause until, like 2026-12-31.", USAGE["pause"])
        _no_more(args[2:], "pause")
        try:
            return c.PauseMembership(until=date.fromisoformat(args[1]))
        except ValueError:
            raise UsageError(
                f"{quoted(args[1])} is not a date like 2026-12-31.", USAGE["pause"]
            ) from None
    # "2w" or "2 weeks": the length is one or two words, and nothing may follow it
    taken = next((n for n in (1, 2) if _DURATION.match(" ".join(args[:n]).lower())), 0)
    if not taken:
        raise UsageError(
            f"{quoted(' '.join(args))} is not a length of time like 2w or 10d.", USAGE["pause"]
        )
    _no_more(args[taken:], "pause")
    found = _DURATION.match(" ".join(args[:taken]).lower())
    assert found is not None
    count = int(found.group(1))
    days = count * 7 if found.group(2).startswith("w") else count
    if not 1 <= days <= 366:
        raise UsageError("A pause lasts from 1 day to a year.", USAGE["pause"])
    return c.PauseMembership(days=days)


def _verbatim(text: str) -> str:
    """Prose as written, trimmed, without one pair of quotes around the whole of it."""
    text = text.strip()
    inner = text[1:-1]
    # one quotation around everything, not two ("Listen more" and "talk less") that merely
    # open and close the text
    if (
        len(text) >= 2
        and _QUOTE_PAIRS.get(text[0]) == text[-1]
        and text[0] not in inner
        and text[-1] not in inner
    ):
        text = inner.strip()
    return text


def _reflect(raw: str) -> c.SubmitReflection:
    public, rating = _PRIVATE_FLAG.search(raw) is None, None
    ratings = list(_RATING_FLAG.finditer(raw))
    if ratings:
        # the core's one rating check, so the text, the forms and every platform agree;
        # a bare --rating is refused rather than read as no rating
        try:
            rating = checked_rating(ratings[-1].group(1) or "--")
        except UsageError as error:
            raise UsageError(str(error), USAGE["reflect"]) from None
    text = _checked(
        TAKEAWAY, _verbatim(_RATING_FLAG.sub("", _PRIVATE_FLAG.sub("", raw))), "reflect"
    )
    if not text:
        raise UsageError("Write your takeaway after the command.", USAGE["reflect"])
    return c.SubmitReflection(text=text, public=public, rating=rating)


def _forget(args: list[str]) -> c.ForgetMe:
    known = {"--confirm", "--keep-reflections-anonymised"}
    unknown = [a for a in args if a not in known]
    if unknown:
        raise UsageError(f"I don't know the option {quoted(unknown[0])}.", USAGE["forget-me"])
    return c.ForgetMe(
        confirm="--confirm" in args,
        keep_reflections_anonymised="--keep-reflections-anonymised" in args,
    )


def _settings(args: list[str], mention: MentionParser) -> c.ShowSettings | c.ChangeSettings:
    if not args:
        return c.ShowSettings()
    changes: dict[str, str] = {}
    tokens = iter(args)
    for token in tokens:
        key, sep, value = token.partition("=")
        if not sep:
            value = next(tokens, "")
        if not value:
            raise UsageError(f"Give a value for {quoted(key)}.", USAGE["admin settings"])
        value = _checked(SETTING_VALUE, value, "admin settings")
        if key.lower() in ("add-admin", "remove-admin"):
            # read here, where the platform's way of naming people is known; the core reads <@id>
            who = mention(value)
            if who is None:
                raise UsageError(
                    f"{quoted(value)} is not a person I recognise.", USAGE["admin settings"]
                )
            value = f"<@{who}>"
        changes[key.lower()] = value
    return c.ChangeSettings(changes)


def _admin(args: list[str], mention: MentionParser) -> c.Command:
    if not args:
        raise UsageError("Which admin command?", _admin_usage())
    sub, rest = args[0].lower(), args[1:]
    if sub == "optout":
        return c.AdminOptOut(_one_member(rest, "admin optout", mention))
    if sub == "optin":
        return c.AdminOptIn(_one_member(rest, "admin optin", mention))
    if sub == "block":
        undo = "--undo" in rest
        people = [a for a in rest if a != "--undo"]
        if len(people) != 2:
            raise UsageError("Name the two people who must never be paired.", USAGE["admin block"])
        first, second = (_one_member([p], "admin block", mention) for p in people)
        if first == second:
            raise UsageError("Name two different people.", USAGE["admin block"])
        return c.AdminBlock(first, second, undo=undo)
    if sub == "settings":
        return _settings(rest, mention)
    if sub == "round":
        what = rest[0].lower() if len(rest) == 1 else ""
        if what == "now":
            return c.RunRoundNow()
        if what == "skip":
            return c.SkipRound()
        raise UsageError("Say `round now` or `round skip`.", USAGE["admin round"])
    if sub == "stats":
        _no_more(rest, "admin stats")
        return c.ShowStats()
    if sub in ("programme", "program"):
        return _programme_admin(rest)
    raise UsageError(f"There is no admin command {quoted(sub)}.", _admin_usage())


def _admin_in_programme(args: list[str], mention: MentionParser) -> c.Command:
    """An admin command, with the programme it is about when ``--programme NAME`` names one."""
    rest: list[str] = []
    programme: str | None = None
    tokens = iter(args)
    for token in tokens:
        flag, sep, value = token.partition("=")
        if flag != "--programme":
            rest.append(token)
            continue
        if programme is not None:
            raise UsageError("Name one programme (--programme once).", _admin_usage())
        value = value if sep else next(tokens, "")
        if not value:
            raise UsageError("Give the programme's name after --programme.", _admin_usage())
        programme = _programme_name(value, "admin programme")
    command = _admin(rest, mention)
    if programme is None:
        return command
    if not isinstance(command, c.PROGRAMME_COMMANDS):
        raise UsageError(
            "That command is about the whole community: leave out --programme.", _admin_usage()
        )
    return replace(command, programme=programme)


def _organisation(raw: str) -> str | None:
    """Read ``join``'s organisation: the words after it, or after ``--org``, given once."""
    rest = raw.strip()
    if _ORG_FLAG.match(rest):
        rest = rest.removeprefix("--org").strip()
        if not rest:
            raise UsageError("Give your organisation after --org.", USAGE["join"])
    if _ORG_FLAG.search(rest):
        raise UsageError("Give one organisation (--org once).", USAGE["join"])
    org = _verbatim(rest)
    closing = _QUOTE_PAIRS.get(org[:1])
    if closing is not None and closing not in org[1:]:
        raise UsageError("The quote before your organisation is never closed.", USAGE["join"])
    return _checked(ORGANISATION, org, "join") or None


def _programme_name(token: str, usage_key: str) -> str:
    """Read a programme's name as typed; whether the community has it is checked later."""
    try:
        return checked_programme_name(token)
    except InvalidSetting:
        raise UsageError(f"{quoted(token)} is not a programme name.", USAGE[usage_key]) from None


def _programme_flag(raw: str, usage_key: str) -> tuple[str, str | None]:
    """Take ``--programme NAME`` out of ``raw``; return the rest and the name (or None)."""
    found = list(_PROGRAMME_FLAG.finditer(raw))
    if not found:
        if re.search(r"(?:^|\s)--programme(?:=)?\s*$", raw):
            raise UsageError("Give the programme's name after --programme.", USAGE[usage_key])
        return raw, None
    if len(found) > 1:
        raise UsageError("Name one programme (--programme once).", USAGE[usage_key])
    name = _programme_name(found[0].group(1), usage_key)
    return (raw[: found[0].start()] + raw[found[0].end() :]).strip(), name


def _about(raw: str) -> c.SetAbout:
    about = _checked(ABOUT, _verbatim(raw), "about")
    if about == "--clear":
        return c.SetAbout(None)
    if not about:
        raise UsageError("Write one line about yourself after the command.", USAGE["about"])
    return c.SetAbout(about)


def _timezone(args: list[str]) -> c.SetTimezone:
    if len(args) != 1:
        raise UsageError("Give one time zone, like Europe/Dublin.", USAGE["timezone"])
    if args[0] == "--clear":
        return c.SetTimezone(None)
    try:
        return c.SetTimezone(checked_timezone(args[0]))
    except InvalidSetting as error:
        raise UsageError(str(error), USAGE["timezone"]) from None


def _hours(args: list[str]) -> c.SetWorkingHours:
    if not args:
        raise UsageError("Give your working hours, like 08:00-16:00.", USAGE["hours"])
    try:
        start, end = parse_hours(" ".join(args))
    except InvalidSetting as error:
        raise UsageError(str(error), USAGE["hours"]) from None
    return c.SetWorkingHours(start, end)


def _book(args: list[str]) -> c.BookSlot:
    # a Book button adds the slot's start as the intro showed it: ``book 2 20261209T1000Z``
    at = read_slot_stamp(args[1]) if len(args) == 2 else None
    if not args or len(args) > 2 or (len(args) == 2 and at is None) or not args[0].isdigit():
        raise UsageError("Give the number of a suggested time, like `book 1`.", USAGE["book"])
    return c.BookSlot(int(args[0]), at)


def _free_text(sub: str, raw: str) -> c.Command:
    if sub == "about":
        return _about(raw)
    usage_key = "reflect" if sub == "takeaway" else sub
    raw, programme = _programme_flag(raw, usage_key)
    if sub == "join":
        return c.JoinPool(_organisation(raw), programme=programme)
    if sub == "contact":
        note = _checked(CONTACT, _verbatim(raw), "contact")
        if note == "--clear":
            return c.SetContact(None)
        if not note:
            raise UsageError("Tell me how people can reach you.", USAGE["contact"])
        return c.SetContact(note)
    return replace(_reflect(raw), programme=programme)


def _admin_usage() -> str:
    return "\n".join(v for k, v in USAGE.items() if k.startswith("admin"))


_NO_ARGUMENTS: dict[str, Callable[[], c.Command]] = {
    "status": c.ShowStatus,
    "privacy": c.ShowPrivacy,
    "programmes": c.ShowProgrammes,
}


def _in_programme(sub: str, rest: list[str]) -> c.LeavePool | c.ResumeMembership:
    """``leave`` and ``resume``, with the programme they are about when one is named."""
    _no_more(rest[1:], sub)
    name = _programme_name(rest[0], sub) if rest else None
    return c.LeavePool(programme=name) if sub == "leave" else c.ResumeMembership(programme=name)


_ROUND_FLAG = re.compile(r"^\d{1,9}$")


def _round_choice(sub: str, rest: list[str]) -> c.SkipComingRound | c.JoinComingRound:
    """``skip [programme] [--round N]`` and ``in ...``: a button names the round it was about."""
    number = None
    if "--round" in rest:
        at = rest.index("--round")
        if at + 1 >= len(rest) or not _ROUND_FLAG.match(rest[at + 1]):
            raise UsageError("--round takes a round number, like --round 4.", USAGE[sub])
        number, rest = int(rest[at + 1]), rest[:at] + rest[at + 2 :]
    _no_more(rest[1:], sub)
    name = _programme_name(rest[0], sub) if rest else None
    if sub == "skip":
        return c.SkipComingRound(programme=name, round_number=number)
    return c.JoinComingRound(programme=name, round_number=number)


def _programme_admin(args: list[str]) -> c.Command:
    usage = USAGE["admin programme"]
    what, rest = (args[0].lower(), args[1:]) if args else ("", [])
    if what == "create" and rest:
        settings = _settings(rest[1:], parse_mention)
        changes = settings.changes if isinstance(settings, c.ChangeSettings) else {}
        return c.CreateProgramme(_programme_name(rest[0], "admin programme"), changes)
    if what == "rename" and len(rest) == 2:
        old, new = (_programme_name(n, "admin programme") for n in rest)
        return c.RenameProgramme(old, new)
    if what == "archive" and len(rest) == 1:
        return c.ArchiveProgramme(_programme_name(rest[0], "admin programme"))
    if what == "bind" and len(rest) == 2:
        name, target = _programme_name(rest[0], "admin programme"), rest[1]
        if target.lower() in ("none", "off"):
            return c.BindProgramme(name, None)
        bound = parse_channel(target) if target.startswith(("<#", "#")) else parse_role(target)
        if not bound or len(bound) > MEMBER_ID.limit:
            raise UsageError(f"{quoted(target)} is not a channel or role I recognise.", usage)
        return c.BindProgramme(name, bound)
    raise UsageError("Which programme command?", usage)


def _help(args: list[str]) -> c.ShowHelp:
    if not args:
        return c.ShowHelp()
    topic = " ".join(args).lower()
    if topic not in HELP_TOPICS:
        raise UsageError(f"I have no help on {quoted(topic)}.", USAGE["help"])
    return c.ShowHelp(topic)


def parse_command(text: str, mention: MentionParser = parse_mention) -> c.Command:
    """Parse ``text`` (without the ``/unmentor`` prefix) into a command."""
    words = text.split(maxsplit=1)
    if words and words[0].lower() in FREE_TEXT_COMMANDS:
        return _free_text(words[0].lower(), words[1] if len(words) > 1 else "")
    args = _split(text)
    if not args:
        return c.ShowHelp()
    sub, rest = args[0].lower(), args[1:]
    if sub in ("help", "?"):
        return _help(rest)
    if sub == "pause":
        return _pause(rest)
    if sub in ("timezone", "tz"):
        return _timezone(rest)
    if sub == "hours":
        return _hours(rest)
    if sub == "book":
        return _book(rest)
    if sub in ("leave", "resume"):
        return _in_programme(sub, rest)
    if sub in ("skip", "in"):
        return _round_choice(sub, rest)
    if sub in _NO_ARGUMENTS:
        _no_more(rest, sub)
        return _NO_ARGUMENTS[sub]()
    if sub == "never":
        undo = "--undo" in rest
        return c.NeverPair(
            _one_member([a for a in rest if a != "--undo"], "never", mention), undo=undo
        )
    if sub == "admin":
        return _admin_in_programme(rest, mention)
    if sub in ("my-data", "mydata", "export"):
        _no_more(rest, "my-data")
        return c.ExportMyData()
    if sub in ("forget-me", "forgetme"):
        return _forget(rest)
    raise UsageError(f"I don't know the command {quoted(sub)}. Try `/unmentor help`.")
