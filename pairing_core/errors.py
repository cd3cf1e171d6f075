"""Errors the core raises, each carrying a message fit to show the person who caused it."""

from __future__ import annotations

__all__ = [
    "DomainError",
    "InvalidSetting",
    "NotAdmin",
    "NotAMember",
    "RoundNotOpen",
    "StorageConflict",
    "UnknownCommunity",
    "UnknownProgramme",
    "UsageError",
]


class DomainError(Exception):
    """A request the core refuses; ``str(error)`` is a sentence for the user."""


class UsageError(DomainError):
    """A command whose words could not be understood; carries the correct usage."""

    def __init__(self, message: str, usage: str = "") -> None:
        super().__init__(message)
        self.usage = usage


class InvalidSetting(DomainError):
    """A community setting outside what the product supports."""


class NotAdmin(DomainError):
    """An admin-only command asked for by someone who is not an admin."""


class NotAMember(DomainError):
    """A command that needs the person to have joined the pot first."""


class UnknownCommunity(DomainError):
    """A community id that is not stored."""


class UnknownProgramme(DomainError):
    """A programme name or id the community does not have; the message lists those it has."""


class RoundNotOpen(DomainError):
    """An answer (check-in, reflection) for a round that is not open for it."""


class StorageConflict(Exception):
    """Storage refused a change that clashed with one made at the same moment (a key stored twice).

    Raised by the storage adapter when a unit of work ends on such a refusal, which rolled it
    back: running the use case again sees the other change and answers from it.
    """
