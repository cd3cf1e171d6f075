"""A takeaway a group shares after their conversation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pairing_core.programme import GENERAL

__all__ = ["Reflection", "MAX_REFLECTION_LENGTH"]

MAX_REFLECTION_LENGTH = 2000


@dataclass(frozen=True)
class Reflection:
    community_id: str
    round_number: int
    group_index: int
    author: str
    authors: tuple[str, ...]  # the whole group is credited
    text: str
    public: bool
    created_at: datetime
    rating: int | None = None  # "did this challenge your thinking?" 1-5
    programme_id: str = GENERAL
