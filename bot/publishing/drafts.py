"""DraftService: from the media a user sends to the request handed to publishing.

Composed of its steps, split by reason to change: intake
(draft_intake.py), composer actions (draft_composer.py) and submit
(draft_submit.py), on a shared base (draft_base.py). Rules come from
composer.py (docs/composer-rules.md).
"""

from __future__ import annotations

from bot.publishing.draft_base import (
    ComposerState,
    DraftNotFound,
    IntakeResult,
    NeedsApproval,
    NotYourDraft,
    Submitter,
    TextField,
    choices_of,
    initial_text,
    media_refs,
    text_limit,
)
from bot.publishing.draft_composer import ComposerActions
from bot.publishing.draft_intake import DraftIntake
from bot.publishing.draft_submit import DraftSubmit

__all__ = [
    "ComposerState",
    "DraftNotFound",
    "DraftService",
    "IntakeResult",
    "NeedsApproval",
    "NotYourDraft",
    "Submitter",
    "TextField",
    "choices_of",
    "initial_text",
    "media_refs",
    "text_limit",
]


class DraftService(DraftIntake, ComposerActions, DraftSubmit):
    """Keeps drafts and applies the composer's rules to them."""
