"""The cipher that seals stored tokens: keys from UNMENTOR_SECRET_KEY, a marker on sealed values."""

from __future__ import annotations

import pytest

from adapters.persistence.token_cipher import SecretKeyError, TokenCipher


class TestTokenCipher:
    def test_a_sealed_value_is_marked_and_opens_to_the_token(self) -> None:
        cipher = TokenCipher.from_setting(TokenCipher.new_key())
        sealed = cipher.seal("xoxb-123")
        assert sealed.startswith("fernet:") and "xoxb-123" not in sealed
        assert cipher.open(sealed) == "xoxb-123"

    def test_the_setting_lists_keys_newest_first_with_spaces_allowed(self) -> None:
        old, new = TokenCipher.new_key(), TokenCipher.new_key()
        sealed_with_old = TokenCipher([old]).seal("xoxb-1")
        both = TokenCipher.from_setting(f" {new} , {old} ")
        assert both.open(sealed_with_old) == "xoxb-1"
        assert TokenCipher([new]).open(both.seal("xoxb-2")) == "xoxb-2"

    def test_without_keys_values_are_stored_as_given(self) -> None:
        cipher = TokenCipher.from_setting("")
        assert not cipher.encrypts
        assert cipher.seal("xoxb-1") == "xoxb-1" and cipher.open("xoxb-1") == "xoxb-1"

    @pytest.mark.parametrize("setting", ["not-a-key", "c2hvcnQ=", f"{TokenCipher.new_key()},oops"])
    def test_a_malformed_key_is_a_one_line_error_naming_the_setting(self, setting: str) -> None:
        with pytest.raises(SecretKeyError, match=r"^UNMENTOR_SECRET_KEY: key \d is not a Fernet"):
            TokenCipher.from_setting(setting)
