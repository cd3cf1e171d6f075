"""The Teams app package: ``manifest.json`` and its two icons, zipped, as Teams uploads it.

Only what the bot uses is asked for: a bot in personal and team scope, proactive 1:1 messages to
team members (``messageTeamMembers``), and one Graph permission granted per team by resource-specific
consent, ``TeamMember.Read.Group`` (to read who owns the team: they are admins); no files, calls
or tabs. The command
lists (ten at most per scope, Teams' limit) are the suggestions Teams shows as people type.
"""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

__all__ = ["MANIFEST_VERSION", "manifest", "write_package"]

MANIFEST_VERSION = "1.17"
_SCHEMA = (
    "https://developer.microsoft.com/en-us/json-schemas/teams/"
    f"v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
)
_ACCENT = (0x2B, 0x57, 0x9A)  # the colour icon's background; accentColor too

PERSONAL = (
    ("join", "Join: join [organisation]"),
    ("leave", "Leave UnMentoring"),
    ("pause", "Pause for a while: pause 2w"),
    ("resume", "Come back after a pause"),
    ("status", "Your membership and the next round"),
    ("never", "Never be paired with someone: never @someone"),
    ("contact", "How partners can reach you: contact <link>"),
    ("reflect", "Share a takeaway: reflect <text>"),
    ("my-data", "A copy of everything stored about you"),
    ("forget-me", "Erase everything stored about you"),
)
TEAM = (
    ("join", "Join: join [organisation]"),
    ("status", "Your membership and the next round"),
    ("privacy", "What is stored about you, and why"),
    ("help", "Every command"),
    ("admin settings", "Admins: show or change the settings"),
    ("admin round", "Admins: admin round now|skip"),
    ("admin stats", "Admins: how the programme is doing"),
    ("admin optout", "Admins: admin optout @someone"),
    ("admin optin", "Admins: admin optin @someone"),
    ("admin block", "Admins: admin block @a @b"),
)


def _commands(pairs: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"title": title, "description": text} for title, text in pairs]


def manifest(app_id: str, domain: str, version: str = "1.0.0") -> dict[str, Any]:
    """Return the manifest of the Teams app for the Azure Bot ``app_id`` served at ``domain``."""
    return {
        "$schema": _SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id,
        "developer": {
            "name": "UnMentoring",
            "websiteUrl": f"https://{domain}/",
            "privacyUrl": f"https://{domain}/privacy",
            "termsOfUseUrl": f"https://{domain}/terms",
        },
        "name": {"short": "UnMentoring", "full": "UnMentoring: random conversations"},
        "description": {
            "short": "Random conversations across your organisation, every few weeks.",
            "full": "UnMentoring introduces people at random for a short conversation every "
            "round, remembers who has met, checks in half-way and shares takeaways in a "
            "channel. Type help to see the commands.",
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*_ACCENT),
        "bots": [
            {
                "botId": app_id,
                "scopes": ["personal", "team"],
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [
                    {"scopes": ["personal"], "commands": _commands(PERSONAL)},
                    {"scopes": ["team"], "commands": _commands(TEAM)},
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        # resource-specific consent needs the app's Entra id here; "resource" is not used by it
        # but must hold a value (Microsoft Learn, "Test resource-specific consent")
        "webApplicationInfo": {"id": app_id, "resource": f"api://{domain}/{app_id}"},
        "authorization": {
            "permissions": {
                "resourceSpecific": [{"name": "TeamMember.Read.Group", "type": "Application"}]
            }
        },
        "validDomains": [domain],
    }


def _png(size: int, pixel: Any) -> bytes:
    """Encode a ``size``-square RGBA image whose pixels ``pixel(x, y)`` gives."""
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(size)) for y in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _two_circles(size: int, x: int, y: int) -> bool:
    """The mark: two people (circles) side by side."""
    r = size * 0.2
    return any((x - cx) ** 2 + (y - size / 2) ** 2 <= r * r for cx in (size * 0.32, size * 0.68))


def icons() -> dict[str, bytes]:
    """Return the colour icon (192 px, white mark on the accent) and the outline (32 px, white
    on transparent), as the manifest names them."""
    white, accent, clear = (255, 255, 255, 255), (*_ACCENT, 255), (0, 0, 0, 0)
    color = _png(192, lambda x, y: white if _two_circles(192, x, y) else accent)
    outline = _png(32, lambda x, y: white if _two_circles(32, x, y) else clear)
    return {"color.png": color, "outline.png": outline}


def write_package(directory: Path, app_id: str, domain: str) -> Path:
    """Write manifest.json, the icons and ``unmentor-teams.zip`` of all three; return the zip."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {"manifest.json": json.dumps(manifest(app_id, domain), indent=2).encode(), **icons()}
    for name, content in files.items():
        (directory / name).write_bytes(content)
    package = directory / "unmentor-teams.zip"
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return package
