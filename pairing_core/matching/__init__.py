"""The matcher: splits a round's available members into groups."""

from pairing_core.matching.matcher import match
from pairing_core.matching.request import MatchRequest, MatchResult, Unmatched

__all__ = ["MatchRequest", "MatchResult", "Unmatched", "match"]
