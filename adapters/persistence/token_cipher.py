"""Encrypt the platform tokens the bot stores, with the Fernet keys of ``UNMENTOR_SECRET_KEY``.

An encrypted value is stored as ``fernet:`` followed by the Fernet token, so a value stored in
plain text before a key was set (a Slack token starts ``xox``) is told apart and still read.
Several keys, newest first, let old values be read while new ones use the newest key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

__all__ = ["ENCRYPTED_MARKER", "SECRET_KEY_SETTING", "SecretKeyError", "TokenCipher"]

ENCRYPTED_MARKER = "fernet:"
SECRET_KEY_SETTING = "UNMENTOR_SECRET_KEY"


class SecretKeyError(ValueError):
    """The configured keys cannot be used, or cannot read what is stored."""


class TokenCipher:
    """Seal values before they are stored and open them when read; without keys, store as given."""

    def __init__(self, keys: Sequence[str] = ()) -> None:
        fernets = []
        for position, key in enumerate(keys, 1):
            try:
                fernets.append(Fernet(key))
            except (ValueError, TypeError):
                raise SecretKeyError(
                    f"{SECRET_KEY_SETTING}: key {position} is not a Fernet key (32 url-safe "
                    "base64-encoded bytes); make one with `unmentor secrets new-key`."
                ) from None
        self._fernet = MultiFernet(fernets) if fernets else None

    @classmethod
    def from_setting(cls, value: str | None) -> TokenCipher:
        """Build from the setting's comma-separated keys, newest first (none: no encryption)."""
        return cls([key.strip() for key in (value or "").split(",") if key.strip()])

    @staticmethod
    def new_key() -> str:
        """Return a fresh random key."""
        return Fernet.generate_key().decode("ascii")

    @property
    def encrypts(self) -> bool:
        """True when values are stored encrypted."""
        return self._fernet is not None

    @overload
    def seal(self, plain: str) -> str: ...
    @overload
    def seal(self, plain: None) -> None: ...
    def seal(self, plain: str | None) -> str | None:
        """Return the value as it is to be stored: encrypted with the newest key, if any."""
        if plain is None or self._fernet is None:
            return plain
        return ENCRYPTED_MARKER + self._fernet.encrypt(plain.encode()).decode("ascii")

    @overload
    def open(self, stored: str) -> str: ...
    @overload
    def open(self, stored: None) -> None: ...
    def open(self, stored: str | None) -> str | None:
        """Return the stored value in plain text, whichever listed key sealed it."""
        if stored is None or not stored.startswith(ENCRYPTED_MARKER):
            return stored
        try:
            return self._require_keys().decrypt(self._token(stored)).decode()
        except InvalidToken:
            raise self._unreadable() from None

    def reseal(self, stored: str | None) -> str | None:
        """Return the stored value sealed again with the newest key (a plain one sealed at last)."""
        fernet = self._require_keys()
        if stored is None:
            return None
        if not stored.startswith(ENCRYPTED_MARKER):
            return self.seal(stored)
        try:
            return ENCRYPTED_MARKER + fernet.rotate(self._token(stored)).decode("ascii")
        except InvalidToken:
            raise self._unreadable() from None

    def _require_keys(self) -> MultiFernet:
        if self._fernet is None:
            raise SecretKeyError(
                f"{SECRET_KEY_SETTING} is not set, but the database holds encrypted tokens: set "
                "it to the key they were encrypted with."
            )
        return self._fernet

    @staticmethod
    def _token(stored: str) -> bytes:
        return stored[len(ENCRYPTED_MARKER) :].encode("ascii")

    @staticmethod
    def _unreadable() -> SecretKeyError:
        return SecretKeyError(
            f"None of the keys in {SECRET_KEY_SETTING} decrypts the stored tokens: list the key "
            "they were encrypted with after the new one (newest first)."
        )
