"""The takeaway form: one multiline answer, consent to share it, an optional rating."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pairing_core.reflection import MAX_REFLECTION_LENGTH

__all__ = ["REFLECTION_CALLBACK", "ReflectionForm", "read_reflection_form", "reflection_modal"]

REFLECTION_CALLBACK = "unmentor_reflection"
TAKEAWAY_BLOCK, PUBLIC_BLOCK, RATING_BLOCK = "takeaway", "public", "rating"
_SHARE = {
    "text": {"type": "plain_text", "text": "Share it in the reflections channel"},
    "value": "public",
}


def reflection_modal(private_metadata: str) -> dict[str, Any]:
    """Return the modal for ``views.open``; ``private_metadata`` names the round and group."""
    rating_options = [
        {"text": {"type": "plain_text", "text": str(n)}, "value": str(n)} for n in range(1, 6)
    ]
    return {
        "type": "modal",
        "callback_id": REFLECTION_CALLBACK,
        "private_metadata": private_metadata,
        "title": {"type": "plain_text", "text": "Share a takeaway"},
        "submit": {"type": "plain_text", "text": "Share"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": TAKEAWAY_BLOCK,
                "label": {"type": "plain_text", "text": "What did you take away?"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "text",
                    "multiline": True,
                    "max_length": MAX_REFLECTION_LENGTH,
                },
            },
            {
                "type": "input",
                "block_id": PUBLIC_BLOCK,
                "optional": True,
                "label": {"type": "plain_text", "text": "Credited to your group"},
                "element": {
                    "type": "checkboxes",
                    "action_id": "choice",
                    "options": [_SHARE],
                    "initial_options": [_SHARE],
                },
            },
            {
                "type": "input",
                "block_id": RATING_BLOCK,
                "optional": True,
                "label": {
                    "type": "plain_text",
                    "text": "Did this conversation challenge your thinking? (1-5)",
                },
                "element": {
                    "type": "static_select",
                    "action_id": "choice",
                    "options": rating_options,
                },
            },
        ],
    }


@dataclass(frozen=True)
class ReflectionForm:
    round_number: int | None
    text: str
    public: bool
    rating: int | None


def read_reflection_form(view: dict[str, Any]) -> ReflectionForm:
    """Read a submitted takeaway form."""
    values = view["state"]["values"]
    text = str((values.get(TAKEAWAY_BLOCK, {}).get("text") or {}).get("value") or "")
    chosen = (values.get(PUBLIC_BLOCK, {}).get("choice") or {}).get("selected_options") or []
    selected = (values.get(RATING_BLOCK, {}).get("choice") or {}).get("selected_option")
    try:
        number = json.loads(view.get("private_metadata") or "{}").get("round")
    except ValueError:
        number = None
    return ReflectionForm(
        round_number=int(number) if number is not None else None,
        text=text.strip(),
        public=any(o.get("value") == "public" for o in chosen),
        rating=int(selected["value"]) if selected else None,
    )
