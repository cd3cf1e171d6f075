"""``unmentor teams package`` writes an app package Teams accepts: the manifest valid against
Microsoft's schema (v1.17), icons of the sizes Teams asks, exactly the permissions used."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import jsonschema

from tests.cli.test_command_line import unmentor

SCHEMA = Path(__file__).parent / "schema" / "MicrosoftTeams.v1.17.schema.json"
APP_ID = "11111111-2222-3333-4444-555555555555"


def _size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


class TestPackage:
    def test_it_writes_a_manifest_valid_against_the_schema_and_the_zip(
        self, tmp_path: Path
    ) -> None:
        result = unmentor(
            "teams", "package", "--app-id", APP_ID, "--domain", "unmentor.council.gov.uk",
            "--out", str(tmp_path / "app"),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        package = Path(result.stdout.strip())
        with zipfile.ZipFile(package) as archive:
            assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
            manifest = json.loads(archive.read("manifest.json"))
            assert _size(archive.read("color.png")) == (192, 192)
            assert _size(archive.read("outline.png")) == (32, 32)
        jsonschema.validate(manifest, json.loads(SCHEMA.read_text(encoding="utf-8")))
        [bot] = manifest["bots"]
        assert bot["botId"] == manifest["id"] == APP_ID
        assert bot["scopes"] == ["personal", "team"]
        assert manifest["permissions"] == ["identity", "messageTeamMembers"]
        # one Graph permission, for this team only: reading its owners (team_owners.py)
        assert manifest["webApplicationInfo"]["id"] == APP_ID
        assert manifest["authorization"] == {
            "permissions": {
                "resourceSpecific": [{"name": "TeamMember.Read.Group", "type": "Application"}]
            }
        }
        assert manifest["validDomains"] == ["unmentor.council.gov.uk"]
        titles = {c["title"] for cl in bot["commandLists"] for c in cl["commands"]}
        member = {"join", "leave", "pause", "resume", "status", "never", "contact", "reflect"}
        assert member | {"privacy", "my-data", "forget-me", "help", "admin settings"} <= titles

    def test_a_bad_app_id_is_refused_and_nothing_written(self, tmp_path: Path) -> None:
        result = unmentor(
            "teams", "package", "--app-id", "nope", "--domain", "x.gov.uk",
            "--out", str(tmp_path / "app"),
        )  # fmt: skip
        assert result.returncode == 2
        assert "--app-id" in result.stderr
        assert not (tmp_path / "app").exists()
