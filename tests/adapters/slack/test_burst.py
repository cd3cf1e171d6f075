"""A burst of 500 interactive requests: each answered, each done once, every form told its outcome.

How fast the answers come (Slack waits 3 s) is measured by ``bench/slack_burst.py``, not here.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
from datetime import UTC, datetime
from urllib.parse import urlencode

from adapters.slack.http import EVENTS_PATH
from pairing_core.member import Member
from pairing_core.programme import GENERAL
from pairing_core.round import Round
from pairing_core.services.community_setup import ensure_community
from pairing_core.services.round_calendar import run_round_now
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import TEAM
from tests.adapters.slack.test_round import _submission

GROUPS = 250  # one member of each shares a takeaway while the other answers the check-in


def press_payload(user: str, number: int, index: int, url: str) -> dict[str, object]:
    return {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "localgov"},
        "user": {"id": user, "name": user.lower(), "team_id": TEAM},
        "api_app_id": "A1",
        "trigger_id": "t",
        "container": {"type": "message", "channel_id": "G", "message_ts": "1.0"},
        "response_url": url,
        "actions": [
            {
                "type": "button",
                "action_id": "unmentor_checkin:0",
                "value": f"{number}:{index}:met",
            }
        ],
    }


async def send_burst(world: SlackWorld, groups: int) -> tuple[Round, list[tuple[int, float, str]]]:
    """Start a round of ``groups`` pairs, then send one takeaway form and one check-in press per
    group, shuffled, all at once from another process; return the round and each answer's
    ``(status, seconds, body)``."""
    services = world.services()
    now = datetime.now(UTC)
    await ensure_community(services.uow, now, TEAM, "slack", "burst")
    async with services.uow as uow:
        for i in range(groups * 2):
            await uow.members.add(Member(TEAM, f"M{i:04d}", f"m{i}", now))
        await uow.commit()
    round_ = await run_round_now(world.services(), TEAM, GENERAL)
    payloads = []
    for group in round_.groups:
        writer, presser = group.members[:2]
        metadata = json.dumps({"round": round_.number, "group": group.index})
        payloads.append(_submission(writer, metadata, f"Takeaway of group {group.index}"))
        url = f"{world.slack.base_url}/respond/{group.index}"
        payloads.append(press_payload(presser, round_.number, group.index, url))
    random.Random(7).shuffle(payloads)
    bodies = [urlencode({"payload": json.dumps(p)}) for p in payloads]
    client = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.adapters.slack.burst_client",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    order = json.dumps({"url": world.url + EVENTS_PATH, "bodies": bodies}).encode()
    out, _ = await client.communicate(order)
    await world.settle()
    return round_, [(status, seconds, text) for status, seconds, text in json.loads(out)]


class TestBurst:
    async def test_500_forms_and_buttons_are_each_answered_and_done_once(
        self, world_on_each_backend: SlackWorld
    ) -> None:
        world = world_on_each_backend
        round_, answers = await send_burst(world, GROUPS)

        assert len(answers) == 500
        assert {status for status, _, _ in answers} == {200}
        async with world.services().uow as uow:
            reflections = await uow.reflections.list(TEAM, GENERAL)
            stored = await uow.rounds.get(TEAM, GENERAL, round_.number)
        assert sorted(r.group_index for r in reflections) == list(range(GROUPS))
        assert stored is not None
        assert all(g.checkin is not None and g.checkin_by == g.members[1] for g in stored.groups)
        replies = [c.args["text"] for c in world.slack.called("respond")]
        assert replies == ["Thanks, noted."] * GROUPS
        # every form was told its outcome once: in its ack, or by one update after "saving"
        saved_in_ack = sum('"update"' in text and "Thank you" in text for _, _, text in answers)
        updates = world.slack.called("views.update")
        assert saved_in_ack + len(updates) == GROUPS
