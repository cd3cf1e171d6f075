"""The takeaway form: hand-written submissions get a form error, a busy bot still answers in time."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest

from adapters.slack.deps import AFTER_ACK_CONCURRENCY
from adapters.slack.listeners.views import SAVING
from adapters.slack.modals import OUT_OF_DATE
from pairing_core.reflection import MAX_REFLECTION_LENGTH
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import TEAM
from tests.adapters.slack.test_round import _submission, posted, start_round


def _with(submission: dict[str, Any], **view: Any) -> dict[str, Any]:
    return {**submission, "view": {**submission["view"], **view}}


def _rated(submission: dict[str, Any], rating: str) -> dict[str, Any]:
    values = submission["view"]["state"]["values"]
    values["rating"]["choice"]["selected_option"] = {"value": rating}
    return submission


class TestHandWrittenSubmissions:
    @pytest.mark.parametrize(
        ("change", "field", "error"),
        [
            pytest.param(
                lambda s: _with(s, private_metadata='{"round":"abc"}'),
                "takeaway",
                OUT_OF_DATE,
                id="a round that is not a number",
            ),
            pytest.param(
                lambda s: _with(s, private_metadata="{not json"),
                "takeaway",
                OUT_OF_DATE,
                id="metadata that is not JSON",
            ),
            pytest.param(
                lambda s: _rated(s, "999"),
                "rating",
                "Please choose a rating from 1 to 5.",
                id="rating 999",
            ),
            pytest.param(
                lambda s: _rated(s, "-7"),
                "rating",
                "Please choose a rating from 1 to 5.",
                id="rating -7",
            ),
            pytest.param(
                lambda s: _submission("U1", json.dumps({"round": 1}), "x" * 100_000),
                "takeaway",
                f"Please keep your takeaway to {MAX_REFLECTION_LENGTH} characters.",
                id="100,000 characters",
            ),
        ],
    )
    async def test_are_answered_beside_the_field_and_nothing_is_stored(
        self, world: SlackWorld, change: Any, field: str, error: str
    ) -> None:
        await start_round(world, "U1", "U2")
        answer = await world.interact(
            change(_submission("U1", json.dumps({"round": 1}), "Worth it"))
        )
        assert answer.status == 200
        assert answer.json() == {"response_action": "errors", "errors": {field: error}}
        async with world.services().uow as uow:
            assert await uow.reflections.list(TEAM) == []

    async def test_a_form_without_a_user_is_answered_in_the_form(self, world: SlackWorld) -> None:
        submission = _submission("U1", json.dumps({"round": 1}), "Worth it")
        del submission["user"]
        answer = await world.interact(submission)
        assert answer.status == 200
        assert answer.json()["response_action"] == "errors"


class TestBusyBot:
    async def test_a_form_waiting_behind_busy_work_is_acked_in_time_and_updated_when_saved(
        self, world: SlackWorld
    ) -> None:
        await start_round(world, "U1", "U2")
        busy = world.deps.after_ack
        for _ in range(AFTER_ACK_CONCURRENCY):  # every place for work after an ack is taken
            await busy.acquire()
        submitted = time.monotonic()
        payload = _submission("U1", json.dumps({"round": 1}), "Worth it")
        body = urlencode({"payload": json.dumps(payload)})
        answer = asyncio.create_task(world.post(body, "application/x-www-form-urlencoded"))
        acked = await answer
        assert time.monotonic() - submitted < 3
        assert acked.status == 200
        shown = acked.json()["view"]["blocks"][0]["text"]["text"]
        assert (acked.json()["response_action"], shown) == ("update", SAVING)
        assert world.slack.called("views.update") == []
        for _ in range(AFTER_ACK_CONCURRENCY):
            busy.release()
        [update] = await world.slack.wait_for("views.update")
        await world.settle()
        assert update.args["view_id"] == "V1"
        assert update.args["view"]["blocks"][0]["text"]["text"].startswith("Thank you")
        assert len(posted(world, "CREFL")) == 1
