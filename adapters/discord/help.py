"""The help a person sees: the application commands they may use, read from the command tree."""

from __future__ import annotations

from discord import app_commands

__all__ = ["ADMIN_GROUP", "MEMBER_GROUP", "help_text"]

MEMBER_GROUP = "unmentor"
ADMIN_GROUP = "unmentor-admin"


def _lines(tree: app_commands.CommandTree, group_name: str) -> list[str]:
    group = tree.get_command(group_name)
    if not isinstance(group, app_commands.Group):
        return []
    lines = []
    for command in group.walk_commands():
        if isinstance(command, app_commands.Command):
            options = " ".join(
                f"{p.display_name}:" if p.required else f"[{p.display_name}:]"
                for p in command.parameters
            )
            usage = f"/{command.qualified_name} {options}".rstrip()
            lines.append(f"• `{usage}` — {command.description}")
    return lines


def help_text(tree: app_commands.CommandTree, is_admin: bool) -> str:
    """List the commands a person can use; admins also see the admin commands."""
    lines = ["**UnMentoring** — random conversations across the network. Commands:"]
    lines += _lines(tree, MEMBER_GROUP)
    if is_admin:
        lines.append("Admin commands:")
        lines += _lines(tree, ADMIN_GROUP)
    return "\n".join(lines)
