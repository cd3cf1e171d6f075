"""The limits on typed values are the core's: no adapter writes one down as a number of its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pairing_core.typed_input import CONTACT, ORGANISATION, TAKEAWAY

ADAPTERS = Path(__file__).resolve().parents[2] / "adapters"
LIMITS = {field.limit for field in (ORGANISATION, CONTACT, TAKEAWAY)}
_LENGTH_WORDS = {"max_length", "min_length", "max_value", "min_value"}


def _is_len(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len"


def _bounds(node: ast.AST) -> list[ast.AST]:
    """Return the values ``node`` uses as a length bound, if it is a length check or a limit."""
    if isinstance(node, ast.keyword) and node.arg in _LENGTH_WORDS:
        return [node.value]  # max_length=2000: Discord's TextInput, a form's field
    if isinstance(node, ast.Dict):  # {"max_length": 2000}: a Block Kit element
        return [v for k, v in zip(node.keys, node.values, strict=True) if _is_length_key(k)]
    if isinstance(node, ast.Subscript) and getattr(node.value, "attr", None) == "Range":
        found = node.slice  # Range[str, 1, 120]: a slash command option's length
        return list(found.elts) if isinstance(found, ast.Tuple) else [found]
    if isinstance(node, ast.Compare) and any(map(_is_len, [node.left, *node.comparators])):
        return [node.left, *node.comparators]  # len(text) > 2000
    if isinstance(node, ast.Slice):
        return [node.lower, node.upper]  # text[:2000]
    return []


def _is_length_key(key: ast.AST | None) -> bool:
    return isinstance(key, ast.Constant) and key.value in _LENGTH_WORDS


def hard_coded_limits(source: str) -> list[int]:
    """Return the lines where ``source`` bounds a length by one of the core's limits as a number."""
    return sorted(
        bound.lineno
        for node in ast.walk(ast.parse(source))
        for bound in _bounds(node)
        if isinstance(bound, ast.Constant) and type(bound.value) is int and bound.value in LIMITS
    )


class TestAdaptersUseTheCoresLimits:
    @pytest.mark.parametrize(
        "line",
        [
            "x: app_commands.Range[str, 1, 120]",
            "ui.TextInput(label='a', max_length=2_000)",
            "view = {'max_length': 2000}",
            "if len(text) > 300: pass",
            "short = text[:2000]",
        ],
    )
    def test_the_check_finds_a_limit_written_as_a_number(self, line: str) -> None:
        assert hard_coded_limits(line) == [1]

    @pytest.mark.parametrize(
        "line",
        [
            "MAX_LENGTH = 2000  # a platform's own limit, named",
            "x: app_commands.Range[str, 1, CONTACT.limit]",
            "ui.TextInput(max_length=TAKEAWAY.limit)",
            "timeout = 300",
        ],
    )
    def test_the_check_passes_a_named_limit_or_an_unrelated_number(self, line: str) -> None:
        assert hard_coded_limits(line) == []

    def test_no_adapter_writes_down_a_typed_limit_of_its_own(self) -> None:
        found = {
            str(path.relative_to(ADAPTERS)): lines
            for path in sorted(ADAPTERS.rglob("*.py"))
            if (lines := hard_coded_limits(path.read_text(encoding="utf-8")))
        }
        assert found == {}
