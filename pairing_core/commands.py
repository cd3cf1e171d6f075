"""Commands: what a person (or the scheduler) asks the core to do, in imperative names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pairing_core.round import CheckInAnswer

__all__ = [
    "AdminBlock",
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
    "SetContact",
    "ShowHelp",
    "ShowPrivacy",
    "ShowSettings",
    "ShowStats",
    "ShowStatus",
    "SkipRound",
    "SubmitReflection",
]


@dataclass(frozen=True)
class ShowHelp:
    topic: str | None = None


@dataclass(frozen=True)
class JoinPool:
    organisation: str | None = None


@dataclass(frozen=True)
class LeavePool:
    pass


@dataclass(frozen=True)
class PauseMembership:
    until: date | None = None  # None with ``days`` set: relative to today in the community's zone
    days: int | None = None


@dataclass(frozen=True)
class ResumeMembership:
    pass


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
class SubmitReflection:
    text: str
    public: bool = True
    rating: int | None = None
    round_number: int | None = None  # None: the member's latest round with a group


@dataclass(frozen=True)
class RecordCheckIn:
    round_number: int
    group_index: int
    answer: CheckInAnswer


@dataclass(frozen=True)
class AdminOptOut:
    member: str


@dataclass(frozen=True)
class AdminOptIn:
    member: str


@dataclass(frozen=True)
class AdminBlock:
    first: str
    second: str
    undo: bool = False


@dataclass(frozen=True)
class ShowSettings:
    pass


@dataclass(frozen=True)
class ChangeSettings:
    changes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RunRoundNow:
    pass


@dataclass(frozen=True)
class SkipRound:
    pass


@dataclass(frozen=True)
class ShowStats:
    pass


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
    | ShowStatus
    | NeverPair
    | SetContact
    | SubmitReflection
    | RecordCheckIn
    | AdminOptOut
    | AdminOptIn
    | AdminBlock
    | ShowSettings
    | ChangeSettings
    | RunRoundNow
    | SkipRound
    | ShowStats
)

ADMIN_COMMANDS = (
    AdminOptOut,
    AdminOptIn,
    AdminBlock,
    ShowSettings,
    ChangeSettings,
    RunRoundNow,
    SkipRound,
    ShowStats,
)
