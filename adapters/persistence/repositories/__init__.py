"""SQLAlchemy implementations of the core's repository ports, one module per aggregate."""

from adapters.persistence.repositories.blocks import SqlBlockRepository
from adapters.persistence.repositories.communities import SqlCommunityRepository
from adapters.persistence.repositories.members import SqlMemberRepository
from adapters.persistence.repositories.outbox import SqlOutboxRepository
from adapters.persistence.repositories.programmes import SqlProgrammeRepository
from adapters.persistence.repositories.reflections import SqlReflectionRepository
from adapters.persistence.repositories.rounds import SqlRoundRepository

__all__ = [
    "SqlBlockRepository",
    "SqlCommunityRepository",
    "SqlMemberRepository",
    "SqlOutboxRepository",
    "SqlProgrammeRepository",
    "SqlReflectionRepository",
    "SqlRoundRepository",
]
