"""The programme's settings as a form: the values in the words ``admin settings`` takes.

The form sends back every field; only those that differ from the stored value become changes,
which the core then checks exactly as it checks ``admin settings key value``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pairing_core.programme import WEEKDAYS, Cadence, ProgrammeSettings, RoundMode

__all__ = ["SettingField", "changed_settings", "setting_fields"]


@dataclass(frozen=True)
class SettingField:
    key: str
    label: str
    value: str
    hint: str
    choices: tuple[str, ...] = ()  # a select when given, else a text box


def _days(value: int | None) -> str:
    return "off" if value is None else f"{value}d"


def setting_fields(s: ProgrammeSettings) -> list[SettingField]:
    """Return the fields, filled with the programme's settings."""
    return [
        SettingField("cadence", "Cadence", s.cadence.value, "How often a round runs.",
                     tuple(c.value for c in Cadence)),
        SettingField("weekday", "Weekday", WEEKDAYS[s.weekday], "The day groups are introduced.",
                     WEEKDAYS),
        SettingField("time", "Time", f"{s.local_time:%H:%M}", "24-hour time, such as 09:30."),
        SettingField("timezone", "Time zone", s.timezone, "An IANA name, such as Europe/London."),
        SettingField("size", "People per group", str(s.group_size), "2, 3 or 4."),
        SettingField("cross-org", "Prefer mixing organisations",
                     "yes" if s.prefer_cross_org else "no", "", ("yes", "no")),
        SettingField("nudge", "Check-in reminder", _days(s.nudge_days),
                     "Days after the check-in, such as 2d, or off."),
        SettingField("quiet-after", "Pause quiet members after",
                     "off" if s.quiet_after is None else str(s.quiet_after),
                     "A number of rounds, such as 3, or off."),
        SettingField("heads-up", "Heads-up before a round", _days(s.heads_up_days),
                     "Days before, such as 1d, or off."),
        SettingField("mode", "Who is matched", s.mode.value,
                     "always: every active member; opt-in: only those who say they're in.",
                     tuple(m.value for m in RoundMode)),
    ]  # fmt: skip


def changed_settings(submitted: Mapping[str, str], s: ProgrammeSettings) -> dict[str, str]:
    """Return the submitted values that differ from the stored ones, by setting key."""
    return {
        f.key: submitted[f.key]
        for f in setting_fields(s)
        if f.key in submitted and submitted[f.key].strip() != f.value
    }
