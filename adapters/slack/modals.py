"""The takeaway form: one multiline answer, consent to share it, an optional rating."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from adapters.slack.payloads import part
from pairing_core.button_values import GroupRef
from pairing_core.typed_input import (
    RATING,
    RATINGS,
    TAKEAWAY,
    FieldRefused,
    checked_reflection_fields,
)

__all__ = [
    "REFLECTION_CALLBACK",
    "FormError",
    "ReflectionForm",
    "UNKNOWN_PROGRAMME",
    "form_metadata",
    "read_reflection_form",
    "reflection_modal",
]

REFLECTION_CALLBACK = "unmentor_reflection"
TAKEAWAY_BLOCK, PUBLIC_BLOCK, RATING_BLOCK = "takeaway", "public", "rating"
_PROGRAMME_ID_LIMIT = 40
UNKNOWN_PROGRAMME = (
    "That takeaway is for a programme I don't know: please open the form again from the "
    "round's reminder."
)
_SHARE = {
    "text": {"type": "plain_text", "text": "Share it in the reflections channel"},
    "value": "public",
}


def form_metadata(group: GroupRef) -> str:
    """Return what a takeaway form carries to its submission: the round, group and programme."""
    return json.dumps(
        {"round": group.round_number, "group": group.group_index, "programme": group.programme_id}
    )


def reflection_modal(private_metadata: str) -> dict[str, Any]:
    """Return the modal for ``views.open``; ``private_metadata`` names the round, group and
    programme (``form_metadata``)."""
    rating_options = [
        {"text": {"type": "plain_text", "text": str(n)}, "value": str(n)} for n in RATINGS
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
                    "max_length": TAKEAWAY.limit,
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
                    "text": "Did this conversation challenge your thinking? "
                    f"({RATINGS[0]}-{RATINGS[-1]})",
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
    # None: a form opened before forms carried it; the core finds the member's programme
    programme_id: str | None
    text: str
    public: bool
    rating: int | None


class FormError(ValueError):
    """A submitted form that cannot be saved: the message shows beside ``block``."""

    def __init__(self, block: str, message: str) -> None:
        super().__init__(message)
        self.block, self.message = block, message


def read_reflection_form(view: dict[str, Any]) -> ReflectionForm:
    """Read a submitted takeaway form; raise ``FormError`` beside the field the core refuses.

    The checks are the core's own (``checked_reflection_fields``, which saving makes again):
    pure and quick, so a refusal is answered at once, in the core's words.
    """
    values = part(part(view, "state"), "values")
    text = part(part(values, TAKEAWAY_BLOCK), "text").get("value")
    chosen = part(part(values, PUBLIC_BLOCK), "choice").get("selected_options")
    selected = part(part(values, RATING_BLOCK), "choice").get("selected_option")
    metadata_text = view.get("private_metadata") or "{}"
    try:
        metadata = json.loads(metadata_text)
    except ValueError:
        metadata = {"round": metadata_text}  # unreadable: a round the core doesn't know
    try:
        checked = checked_reflection_fields(
            str(text or ""),
            selected.get("value") if isinstance(selected, dict) else selected,
            metadata.get("round") if isinstance(metadata, dict) else None,
        )
    except FieldRefused as refused:
        block = RATING_BLOCK if refused.field == RATING else TAKEAWAY_BLOCK
        raise FormError(block, str(refused)) from None
    return ReflectionForm(
        round_number=checked.round_number,
        programme_id=_programme_id(metadata),
        text=checked.text,
        public=isinstance(chosen, list)
        and any(isinstance(o, dict) and o.get("value") == "public" for o in chosen),
        rating=checked.rating,
    )


def _programme_id(metadata: object) -> str | None:
    """Return the programme a form's metadata names; refuse one that cannot be an id."""
    if not isinstance(metadata, dict) or metadata.get("programme") is None:
        return None
    programme = metadata["programme"]
    if not isinstance(programme, str) or not 0 < len(programme) <= _PROGRAMME_ID_LIMIT:
        raise FormError(TAKEAWAY_BLOCK, UNKNOWN_PROGRAMME)
    return programme
