"""How the bot proves who it is when it asks for a token: its client secret, or a certificate.

With a certificate the bot sends a client assertion (RFC 7523): a short-lived JWT signed RS256
with the certificate's private key, whose ``x5t`` header (the certificate's SHA-1 thumbprint)
tells Microsoft's login service which of the app's uploaded certificates checks it.
"""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa

__all__ = [
    "ASSERTION_TYPE",
    "AppCredential",
    "CertificateError",
    "ClientCertificate",
    "ClientSecret",
    "load_certificate",
]

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
_ASSERTION_LIFETIME = 600  # seconds: used at once, so short


class CertificateError(ValueError):
    """The certificate file cannot be used (missing, unreadable, or without key or certificate)."""


class AppCredential(Protocol):
    def form(self, token_url: str) -> dict[str, str]:
        """Return the form fields that prove the app's identity to ``token_url``."""
        ...


@dataclass(frozen=True)
class ClientSecret:
    app_id: str
    secret: str

    def form(self, token_url: str) -> dict[str, str]:
        return {"client_id": self.app_id, "client_secret": self.secret}


@dataclass(frozen=True)
class ClientCertificate:
    app_id: str
    key: rsa.RSAPrivateKey
    thumbprint: str  # base64url of the certificate's SHA-1 digest, as ``x5t`` wants it
    now: Callable[[], float] = time.time

    def form(self, token_url: str) -> dict[str, str]:
        issued = int(self.now())
        claims = {
            "aud": token_url,
            "iss": self.app_id,
            "sub": self.app_id,
            "jti": str(uuid.uuid4()),
            "nbf": issued,
            "iat": issued,
            "exp": issued + _ASSERTION_LIFETIME,
        }
        assertion = jwt.encode(
            claims, self.key, algorithm="RS256", headers={"x5t": self.thumbprint}
        )
        return {
            "client_id": self.app_id,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion,
        }


def load_certificate(path: Path, app_id: str) -> ClientCertificate:
    """Read a PEM holding the RSA private key and its certificate; the thumbprint is computed."""
    try:
        pem = path.read_bytes()
    except OSError as error:
        raise CertificateError(f"TEAMS_CERTIFICATE_PATH cannot be read: {error.strerror}") from None
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        raise CertificateError(
            "TEAMS_CERTIFICATE_PATH holds no unencrypted private key (PEM)"
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise CertificateError("TEAMS_CERTIFICATE_PATH's private key is not an RSA key")
    try:
        certificate = x509.load_pem_x509_certificate(pem)
    except ValueError:
        raise CertificateError("TEAMS_CERTIFICATE_PATH holds no certificate (PEM)") from None
    public = certificate.public_key()
    if not isinstance(public, rsa.RSAPublicKey) or (
        public.public_numbers() != key.public_key().public_numbers()
    ):
        raise CertificateError("TEAMS_CERTIFICATE_PATH's certificate is not for its private key")
    # SHA-1 because the x5t header is defined as the SHA-1 thumbprint (RFC 7515), not for security
    digest = certificate.fingerprint(hashes.SHA1())
    thumbprint = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return ClientCertificate(app_id, key, thumbprint)
