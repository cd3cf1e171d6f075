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
from pairing_core.programme import GENERAL
from pairing_core.typed_input import (
    RATING,
    RATINGS,
    TAKEAWAY,
    FieldRefused,
    checked_reflection_fields,
)
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import TEAM
from tests.adapters.slack.test_round import _submission, posted, start_round


def _with(submission: dict[str, Any], **view: Any) -> dict[str, Any]:
    return {**submission, "view": {**submission["view"], **view}}


def _rated(submission: dict[str, Any], rating: str) -> dict[str, Any]:
    values = submission["view"]["state"]["values"]
    values["rating"]["choice"]["selected_option"] = {"value": rating}
    return submission


# What a form may send that the core refuses: (takeaway, rating, round), each with one fault.
REFUSED = [
    pytest.param("x" * (TAKEAWAY.limit + 1), "4", 1, id="2,001 characters"),
    pytest.param("x" * 100_000, "4", 1, id="100,000 characters"),
    pytest.param("a\x00b", "4", 1, id="a NUL byte"),
    pytest.param("   ", "4", 1, id="only spaces"),
    pytest.param("Worth it", "0", 1, id="rating 0"),
    pytest.param("Worth it", "6", 1, id="rating 6"),
    pytest.param("Worth it", "999", 1, id="rating 999"),
    pytest.param("Worth it", "-7", 1, id="rating -7"),
    pytest.param("Worth it", "abc", 1, id="rating abc"),
    pytest.param("Worth it", "4", "abc", id="round abc"),
    pytest.param("Worth it", "4", 0, id="round 0"),
]


def core_refusal(text: str, rating: object, round_number: object) -> FieldRefused:
    """What the core says of these fields (it must refuse them)."""
    with pytest.raises(FieldRefused) as refused:
        checked_reflection_fields(text, rating, round_number)
    return refused.value


def _form(text: str, rating: str, round_number: object) -> dict[str, Any]:
    return _rated(_submission("U1", json.dumps({"round": round_number}), text), rating)


class TestHandWrittenSubmissions:
    @pytest.mark.parametrize(("text", "rating", "round_number"), REFUSED)
    async def test_are_refused_as_the_core_refuses_them_beside_the_field(
        self, world: SlackWorld, text: str, rating: str, round_number: object
    ) -> None:
        refused = core_refusal(text, rating, round_number)
        await start_round(world, "U1", "U2")
        answer = await world.interact(_form(text, rating, round_number))
        assert answer.status == 200
        field = "rating" if refused.field == RATING else "takeaway"
        assert answer.json() == {"response_action": "errors", "errors": {field: str(refused)}}
        async with world.services().uow as uow:
            assert await uow.reflections.list(TEAM, GENERAL) == []

    async def test_metadata_that_is_not_json_is_refused_as_an_unknown_round(
        self, world: SlackWorld
    ) -> None:
        await start_round(world, "U1", "U2")
        answer = await world.interact(_with(_form("Worth it", "4", 1), private_metadata="{no"))
        refused = core_refusal("Worth it", "4", "{no")
        assert answer.json() == {"response_action": "errors", "errors": {"takeaway": str(refused)}}

    async def test_what_the_core_accepts_at_its_limits_is_saved(self, world: SlackWorld) -> None:
        await start_round(world, "U1", "U2")
        answer = await world.interact(_form("x" * TAKEAWAY.limit, str(RATINGS[-1]), 1))
        assert answer.json()["response_action"] == "update"
        async with world.services().uow as uow:
            [saved] = await uow.reflections.list(TEAM, GENERAL)
        assert (len(saved.text), saved.rating) == (TAKEAWAY.limit, RATINGS[-1])

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
