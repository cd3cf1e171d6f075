"""The takeaway form: one multiline answer, consent to share it, an optional rating."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pairing_core.reflection import MAX_REFLECTION_LENGTH

__all__ = [
    "REFLECTION_CALLBACK",
    "FormError",
    "ReflectionForm",
    "read_reflection_form",
    "reflection_modal",
]

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


class FormError(ValueError):
    """A submitted form that cannot be saved: the message shows beside ``block``."""

    def __init__(self, block: str, message: str) -> None:
        super().__init__(message)
        self.block, self.message = block, message


OUT_OF_DATE = "This form is out of date: please open it again from the reminder."


def _small_number(value: object) -> int | None:
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def read_reflection_form(view: dict[str, Any]) -> ReflectionForm:
    """Read a submitted takeaway form; raise ``FormError`` for what Slack's own form never sends.

    The checks are those the form itself makes (a takeaway, its length, a rating of 1-5), made
    again because a request can be written by hand; they cost nothing, so the answer is at once.
    """
    values = (view.get("state") or {}).get("values") or {}
    text = str((values.get(TAKEAWAY_BLOCK, {}).get("text") or {}).get("value") or "").strip()
    chosen = (values.get(PUBLIC_BLOCK, {}).get("choice") or {}).get("selected_options") or []
    selected = (values.get(RATING_BLOCK, {}).get("choice") or {}).get("selected_option")
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        raise FormError(TAKEAWAY_BLOCK, OUT_OF_DATE) from None
    number = metadata.get("round") if isinstance(metadata, dict) else None
    round_number = _small_number(number) if number is not None else None
    if number is not None and round_number is None:
        raise FormError(TAKEAWAY_BLOCK, OUT_OF_DATE)
    rating = _small_number(selected.get("value")) if isinstance(selected, dict) else None
    if selected and (rating is None or not 1 <= rating <= 5):
        raise FormError(RATING_BLOCK, "Please choose a rating from 1 to 5.")
    if not text:
        raise FormError(TAKEAWAY_BLOCK, "Please write your takeaway.")
    if len(text) > MAX_REFLECTION_LENGTH:
        raise FormError(
            TAKEAWAY_BLOCK, f"Please keep your takeaway to {MAX_REFLECTION_LENGTH} characters."
        )
    return ReflectionForm(
        round_number=round_number,
        text=text,
        public=any(isinstance(o, dict) and o.get("value") == "public" for o in chosen),
        rating=rating,
    )
