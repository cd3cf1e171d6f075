"""The bot proving its identity with a certificate (a client assertion) instead of a secret."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from adapters.teams.app_credential import ClientCertificate, load_certificate
from adapters.teams.bot_token import BotToken
from bot.teams_config import TeamsSettings
from pairing_core.ports import DeliveryError
from tests.adapters.teams.conftest import serving_world
from tests.adapters.teams.fake_teams import APP_ID, GROUP, TENANT, FakeTeams
from tests.adapters.teams.test_round import in_channel


def _certificate(key: rsa.RSAPrivateKey) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "unmentor-bot")])
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )


def _pem(path: Path, key: rsa.RSAPrivateKey, certificate: x509.Certificate) -> Path:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        + certificate.public_bytes(serialization.Encoding.PEM)
    )
    return path


def _upload(fake: FakeTeams, certificate: x509.Certificate) -> None:
    """Upload the certificate to the app registration, as Azure's portal does."""
    x5t = base64.urlsafe_b64encode(certificate.fingerprint(hashes.SHA1())).rstrip(b"=").decode()
    public = certificate.public_key()
    assert isinstance(public, rsa.RSAPublicKey)
    fake.certificates[x5t] = public


def _settings(fake: FakeTeams, pem: Path) -> TeamsSettings:
    return TeamsSettings(
        app_id=APP_ID,
        certificate_path=pem,
        tenant_id=TENANT,
        openid_metadata_url=fake.metadata_url,
        authority_url=fake.base_url,
        graph_url=fake.graph_url,
    )


KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class TestCertificate:
    async def test_the_bot_answers_with_a_token_got_by_its_certificate(
        self, fake_teams: FakeTeams, tmp_path: Path
    ) -> None:
        certificate = _certificate(KEY)
        _upload(fake_teams, certificate)
        pem = _pem(tmp_path / "bot.pem", KEY, certificate)
        async with serving_world(fake_teams, tmp_path, _settings(fake_teams, pem)) as world:
            [reply] = await world.say("a", "join Devon CC")
        assert reply.startswith("You're in the pot")
        assert fake_teams.tokens_issued and fake_teams.assertions_refused == []

    async def test_the_graph_token_for_team_owners_is_got_by_the_certificate_too(
        self, fake_teams: FakeTeams, tmp_path: Path
    ) -> None:
        certificate = _certificate(KEY)
        _upload(fake_teams, certificate)
        pem = _pem(tmp_path / "bot.pem", KEY, certificate)
        async with serving_world(fake_teams, tmp_path, _settings(fake_teams, pem)) as world:
            await world.install("z")
            fake_teams.team_members[GROUP] = {fake_teams.person("o").aad: ["owner"]}
            [reply] = await in_channel(world, "o", "admin stats")
        assert reply.startswith("**UnMentoring in Digital**"), reply
        assert fake_teams.graph_tokens == ["graph-token-1"]
        assert fake_teams.assertions_refused == []

    async def test_a_certificate_the_app_does_not_have_gets_no_token_and_nothing_is_sent(
        self, fake_teams: FakeTeams, tmp_path: Path
    ) -> None:
        _upload(fake_teams, _certificate(KEY))
        pem = _pem(tmp_path / "other.pem", OTHER, _certificate(OTHER))
        async with serving_world(fake_teams, tmp_path, _settings(fake_teams, pem)) as world:
            await world.post(world.activity("a", "join Devon CC"))
        assert fake_teams.assertions_refused and fake_teams.tokens_issued == []
        assert fake_teams.sent() == []

    async def test_an_assertion_naming_the_apps_certificate_but_signed_by_another_key_is_refused(
        self, fake_teams: FakeTeams, tmp_path: Path
    ) -> None:
        certificate = _certificate(KEY)
        _upload(fake_teams, certificate)
        genuine = load_certificate(_pem(tmp_path / "bot.pem", KEY, certificate), APP_ID)
        forged = ClientCertificate(APP_ID, OTHER, genuine.thumbprint)
        async with aiohttp.ClientSession() as http:
            token = BotToken(fake_teams.base_url, TENANT, forged, lambda: http)
            with pytest.raises(DeliveryError, match="token_refused:invalid_client"):
                await token.get()
            assert fake_teams.assertions_refused == ["InvalidSignatureError"]
            assert await BotToken(fake_teams.base_url, TENANT, genuine, lambda: http).get()
        assert len(fake_teams.tokens_issued) == 1


class TestCertificateSettings:
    def test_a_pem_without_a_private_key_is_named(self, tmp_path: Path) -> None:
        pem = tmp_path / "cert-only.pem"
        pem.write_bytes(_certificate(KEY).public_bytes(serialization.Encoding.PEM))
        settings = TeamsSettings(app_id=APP_ID, certificate_path=pem)
        assert settings.problem == "TEAMS_CERTIFICATE_PATH holds no unencrypted private key (PEM)"

    def test_a_certificate_for_another_key_is_named(self, tmp_path: Path) -> None:
        pem = _pem(tmp_path / "mixed.pem", KEY, _certificate(OTHER))
        settings = TeamsSettings(app_id=APP_ID, certificate_path=pem)
        assert settings.problem == (
            "TEAMS_CERTIFICATE_PATH's certificate is not for its private key"
        )

    def test_the_thumbprint_is_the_certificates_sha1_in_base64url(self, tmp_path: Path) -> None:
        certificate = _certificate(KEY)
        loaded = load_certificate(_pem(tmp_path / "bot.pem", KEY, certificate), APP_ID)
        digest = certificate.fingerprint(hashes.SHA1())
        assert base64.urlsafe_b64decode(loaded.thumbprint + "=") == digest
