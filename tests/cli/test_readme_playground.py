"""The README's playground transcript, run through the real playground and compared line by line.

How the comparison works, so the README can be kept true:
- The ```text block under "## Trying it: the playground" is the transcript. Lines starting with
  ``> `` are typed into ``unmentor playground --seed 1`` on a fresh database; everything else is
  what the README says the playground prints. The playground's banner and help, printed before
  the first line is typed, are not part of it.
- Dates and times depend on the day the test runs, so on both sides "Monday 7 December" (with or
  without a year) becomes ``<day>`` and "2026-12-08 14:51 UTC" becomes ``<time>``. Nothing else
  is normalised.
- A README line ending in `` …`` stands for a printed line that starts with the text before the
  ``…``, and for the rest of that message: the indented lines printed under it.
On a mismatch the failure shows a diff of the README's lines against what was printed (with the
same elisions applied), so the README can be updated from it.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from tests.cli.test_command_line import unmentor

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## Trying it: the playground"
ELLIPSIS = " …"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAY = re.compile(
    rf"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{{1,2}} (?:{_MONTHS})"
    r"(?: \d{4})?"
)
_TIME = re.compile(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\b")


def normalise(line: str) -> str:
    """Replace what depends on the day the transcript is run."""
    return _TIME.sub("<time>", _DAY.sub("<day>", line))


def readme_transcript() -> list[str]:
    """The lines of the first ```text block after the playground heading."""
    text = README.read_text(encoding="utf-8")
    after = text[text.index(SECTION) :]
    start = after.index("```text\n") + len("```text\n")
    return after[start : after.index("\n```", start)].splitlines()


def as_the_readme_shows_it(printed: list[str], expected: list[str]) -> list[str]:
    """Apply the README's elisions to what was printed, so the two can be diffed line by line."""
    shown, at = [], 0
    for line in printed:
        want = expected[at] if at < len(expected) else None
        if shown and shown[-1].endswith(ELLIPSIS) and line.startswith("    "):
            continue  # the rest of a message the README elides
        if want is not None and want.endswith(ELLIPSIS) and line.startswith(want[: -len(ELLIPSIS)]):
            line = want
        shown.append(line)
        at += 1
    return shown


class TestReadmePlayground:
    def test_the_transcript_in_the_readme_is_what_the_playground_prints(
        self, tmp_path: Path
    ) -> None:
        expected = [normalise(line) for line in readme_transcript()]
        typed = [line.removeprefix("> ") for line in expected if line.startswith("> ")]
        assert typed, "the README's playground transcript has no typed lines"
        database = f"sqlite+aiosqlite:///{tmp_path / 'readme.db'}"
        result = unmentor(
            "playground",
            "--seed",
            "1",
            "--database-url",
            database,
            stdin="".join(f"{line}\n" for line in typed),
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        first_typed = next(i for i, line in enumerate(lines) if line.startswith("> "))
        printed = [normalise(line) for line in lines[first_typed:]]
        shown = as_the_readme_shows_it(printed, expected)
        diff = "\n".join(
            difflib.unified_diff(expected, shown, "README.md", "playground", lineterm="")
        )
        assert shown == expected, f"the README's playground transcript is out of date:\n{diff}"
