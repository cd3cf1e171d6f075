"""An outbox item's key says which programme it belongs to, so a platform can act per programme."""

from __future__ import annotations

import pytest

from pairing_core.programme import GENERAL, programme_key, programme_of_key


class TestProgrammeOfKey:
    @pytest.mark.parametrize("programme_id", ["general", "data", "new-starters", "x_2"])
    def test_reads_back_the_programme_a_key_was_made_for(self, programme_id: str) -> None:
        key = programme_key(programme_id, "round:3:group:1:intro")
        assert programme_of_key(key) == programme_id

    @pytest.mark.parametrize("key", ["round:1:group:0:intro", "programme:", "programme"])
    def test_a_key_made_without_a_programme_is_generals(self, key: str) -> None:
        assert programme_of_key(key) == GENERAL

    def test_a_failure_notice_belongs_to_the_programme_of_what_failed(self) -> None:
        assert programme_of_key("failed:programme:data:round:1:group:0:intro:U1") == "data"
