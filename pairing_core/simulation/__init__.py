"""A synthetic community run through the real matcher, round after round."""

from pairing_core.simulation._people import FIRST_INTRO, ZONES, Profile, draw_profile, intro_date
from pairing_core.simulation._run import simulate

__all__ = ["FIRST_INTRO", "ZONES", "Profile", "draw_profile", "intro_date", "simulate"]
