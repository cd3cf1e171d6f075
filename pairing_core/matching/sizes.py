"""How many groups a round has, and of what sizes."""

from __future__ import annotations

__all__ = ["group_sizes"]


def group_sizes(count: int, group_size: int) -> list[int]:
    """Split ``count`` members into groups of ``group_size``, absorbing the remainder.

    The remainder is spread one member at a time over the groups (so pairs with an odd count give
    exactly one trio). Where there are too few groups to absorb it, one more group is made and
    sizes are balanced instead (e.g. 7 members in fours make 4 + 3). A lone member makes no group.
    """
    if count < 2:
        return []
    if count <= group_size:
        return [count]
    groups, remainder = divmod(count, group_size)
    if remainder <= groups:
        return [group_size + 1] * remainder + [group_size] * (groups - remainder)
    groups += 1
    base, extra = divmod(count, groups)
    return [base + 1] * extra + [base] * (groups - extra)
