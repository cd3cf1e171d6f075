"""Commands: what a person (or the scheduler) asks the core to do, in imperative names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from pairing_core.round import CheckInAnswer

__all__ = [
    "ADMIN_COMMANDS",
    "AdminBlock",
    "ArchiveProgramme",
    "BindProgramme",
    "COMMUNITY_ADMIN_COMMANDS",
    "CreateProgramme",
    "PROGRAMME_COMMANDS",
    "ProgrammeCommand",
    "RenameProgramme",
    "ShowProgrammes",
    "chosen",
    "AdminOptIn",
    "AdminOptOut",
    "ChangeSettings",
    "Command",
    "ExportMyData",
    "ForgetMe",
    "JoinPool",
    "LeavePool",
    "NeverPair",
    "PauseMembership",
    "RecordCheckIn",
    "ResumeMembership",
    "RunRoundNow",
    "SetAbout",
    "SetContact",
    "SetTimezone",
    "SetWorkingHours",
    "ShowHelp",
    "ShowPrivacy",
    "ShowSettings",
    "ShowStats",
    "ShowStatus",
    "SkipRound",
    "SkipComingRound",
    "JoinComingRound",
    "SubmitReflection",
    "BookSlot",
]


@dataclass(frozen=True)
class ShowHelp:
    topic: str | None = None


@dataclass(frozen=True)
class JoinPool:
    organisation: str | None = None
    # The programme as typed (a name), or None for the only one; the dispatcher resolves it to
    # ``programme_id`` before the use case runs (a button may carry the id itself).
    programme: str | None = None
    programme_id: str | None = None


@dataclass(frozen=True)
class LeavePool:
    # The programme as typed (a name), or None for the only one; the dispatcher resolves it to
    # ``programme_id`` before the use case runs (a button may carry the id itself).
    programme: str | None = None
    programme_id: str | None = None


@dataclass(frozen=True)
class PauseMembership:
    until: date | None = None  # None with ``days`` set: relative to today in the community's zone
    days: int | None = None
    # The programme as typed (a name), or None for the only one; the dispatcher resolves it to
    # ``programme_id`` before the use case runs (a button may carry the id itself).
    programme: str | None = None
    programme_id: str | None = None


@dataclass(frozen=True)
class ResumeMembership:
    # The programme as typed (a name), or None for the only one; the dispatcher resolves it to
    # ``programme_id`` before the use case runs (a button may carry the id itself).
    programme: str | None = None
    programme_id: str | None = None


@dataclass(frozen=True)
class SkipComingRound:
    """Leave me out of the programme's coming round only (``round_number``: the one a button
    was about; None: whichever is coming)."""

    programme: str | None = None
    programme_id: str | None = None
    round_number: int | None = None


@dataclass(frozen=True)
class JoinComingRound:
    """Count me in the coming round: undoes a skip, or opts in where the programme is opt-in."""

    programme: str | None = None
    programme_id: str | None = None
    round_number: int | None = None


@dataclass(frozen=True)
class ShowStatus:
    pass


@dataclass(frozen=True)
class NeverPair:
    other: str
    undo: bool = False


@dataclass(frozen=True)
class SetContact:
    contact: str | None  # None clears it


@dataclass(frozen=True)
class SetAbout:
    about: str | None  # None clears it


@dataclass(frozen=True)
class SetTimezone:
    timezone: str | None  # an IANA name as typed; None: back to the programme's


@dataclass(frozen=True)
class SetWorkingHours:
    start: time
    end: time


@dataclass(frozen=True)
class SubmitReflection:
    text: str
    public: bool = True
    rating: int | None = None
    round_number: int | None = None  # None: the member's latest round with a group
    # The programme as typed (a name), or None for the only one; the dispatcher resolves it to
    # ``programme_id`` before the use case runs (a button may carry the id itself).
    programme: str | None = None
    programme_id: str | None = None


@dataclass(frozen=True)
class BookSlot:
    """Book suggested slot ``slot`` (from 1) of the member's current group.

    ``at`` is the slot's start as the intro's button carried it; typed, it is worked out again.
    """

    slot: int
    at: datetime | None = None


@dataclass(frozen=True)
class RecordCheckIn:
    round_number: int
    group_index: int
    answer: CheckInAnswer
    # The programme as typed (a name), or None for the only one; the dispatcher resolves it to
    # ``programme_id`` before the use case runs (a button may carry the id itself).
    programme: str | None = None
    programme_id: str | None = None


@dataclass(frozen=True)
class AdminOptOut:
    member: str
    # The programme as typed (a name), or None for the only one; the dispatcher resolves it to
    # ``programme_id`` before the use case runs (a button may carry the id itself).
    programme: str | None = None
    programme_id: str | None = None


@dataclass(frozen=True)
class AdminOptIn:
    member: str
    # The programme as typed (a name), or None for the only one; the dispatcher resolves it to
    # ``programme_id`` before the use case runs (a button may carry the id itself).
    programme: str | None = None
    programme_id: str | None = None


@dataclass(frozen=True)
class AdminBlock:
    first: str
    second: str
    undo: bool = False


@dataclass(frozen=True)
class ShowSettings:
    # The programme as typed (a name), or None for the only one; the dispatcher resolves it to
    # ``programme_id`` before the use case runs (a button may carry the id itself).
    programme: str | None = None
    programme_id: str | None = None


@dataclass(frozen=True)
class ChangeSettings:
    changes: dict[str, str] = field(default_factory=dict)
    # The programme as typed (a name), or None for the only one; the dispatcher resolves it to
    # ``programme_id`` before the use case runs (a button may carry the id itself).
    programme: str | None = None
    programme_id: str | None = None


@dataclass(frozen=True)
class RunRoundNow:
    # The programme as typed (a name), or None for the only one; the dispatcher resolves it to
    # ``programme_id`` before the use case runs (a button may carry the id itself).
    programme: str | None = None
    programme_id: str | None = None


@dataclass(frozen=True)
class SkipRound:
    # The programme as typed (a name), or None for the only one; the dispatcher resolves it to
    # ``programme_id`` before the use case runs (a button may carry the id itself).
    programme: str | None = None
    programme_id: str | None = None


@dataclass(frozen=True)
class ShowStats:
    # The programme as typed (a name), or None for the only one; the dispatcher resolves it to
    # ``programme_id`` before the use case runs (a button may carry the id itself).
    programme: str | None = None
    programme_id: str | None = None


@dataclass(frozen=True)
class ShowProgrammes:
    pass


@dataclass(frozen=True)
class CreateProgramme:
    name: str
    changes: dict[str, str] = field(default_factory=dict)  # settings, as ``ChangeSettings``


@dataclass(frozen=True)
class RenameProgramme:
    old: str
    new: str


@dataclass(frozen=True)
class ArchiveProgramme:
    name: str


@dataclass(frozen=True)
class BindProgramme:
    """Bind membership to a Slack channel or a Discord role (``target`` None: unbind)."""

    name: str
    target: str | None


@dataclass(frozen=True)
class ShowPrivacy:
    pass


@dataclass(frozen=True)
class ExportMyData:
    pass


@dataclass(frozen=True)
class ForgetMe:
    confirm: bool = False
    keep_reflections_anonymised: bool = False


Command = (
    ShowHelp
    | ShowPrivacy
    | ExportMyData
    | ForgetMe
    | JoinPool
    | LeavePool
    | PauseMembership
    | ResumeMembership
    | SkipComingRound
    | JoinComingRound
    | ShowStatus
    | NeverPair
    | SetContact
    | SetAbout
    | SetTimezone
    | SetWorkingHours
    | SubmitReflection
    | RecordCheckIn
    | BookSlot
    | AdminOptOut
    | AdminOptIn
    | AdminBlock
    | ShowSettings
    | ChangeSettings
    | RunRoundNow
    | SkipRound
    | ShowStats
    | ShowProgrammes
    | CreateProgramme
    | RenameProgramme
    | ArchiveProgramme
    | BindProgramme
)

# Commands that act on one programme: the dispatcher fills in ``programme_id``.
PROGRAMME_COMMANDS = (
    JoinPool,
    LeavePool,
    PauseMembership,
    ResumeMembership,
    SkipComingRound,
    JoinComingRound,
    SubmitReflection,
    RecordCheckIn,
    AdminOptOut,
    AdminOptIn,
    ShowSettings,
    ChangeSettings,
    RunRoundNow,
    SkipRound,
    ShowStats,
)
ProgrammeCommand = (
    JoinPool
    | LeavePool
    | PauseMembership
    | ResumeMembership
    | SkipComingRound
    | JoinComingRound
    | SubmitReflection
    | RecordCheckIn
    | AdminOptOut
    | AdminOptIn
    | ShowSettings
    | ChangeSettings
    | RunRoundNow
    | SkipRound
    | ShowStats
)


def chosen(cmd: ProgrammeCommand) -> str:
    """Return the programme the dispatcher resolved for ``cmd``."""
    if cmd.programme_id is None:
        raise AssertionError(f"{type(cmd).__name__} reached its use case without a programme")
    return cmd.programme_id


ADMIN_COMMANDS = (
    AdminOptOut,
    AdminOptIn,
    AdminBlock,
    ShowSettings,
    ChangeSettings,
    RunRoundNow,
    SkipRound,
    ShowStats,
    CreateProgramme,
    RenameProgramme,
    ArchiveProgramme,
    BindProgramme,
)
# Admin commands about the community as a whole: only its own admins (not a programme's) may.
COMMUNITY_ADMIN_COMMANDS = (
    AdminBlock,
    CreateProgramme,
    RenameProgramme,
    ArchiveProgramme,
    BindProgramme,
)
