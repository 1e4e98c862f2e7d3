"""post choices: one versioned JSON document on drafts and publish jobs

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 09:40:00

The composer's choices lived in twelve draft columns and, differently
shaped, in each job's request. Both now hold the same PostChoices document
(version 1); existing rows are moved, so drafts being composed and jobs
under way continue after the upgrade. Self-contained on purpose: a
migration must not change when the domain code does.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

VERSION = 1
CHOICE_COLUMNS = (
    ("mode", sa.String(), "direct"),
    ("title", sa.Text(), ""),
    ("description", sa.Text(), ""),
    ("privacy_level", sa.String(), None),
    ("allow_comment", sa.Boolean(), False),
    ("allow_duet", sa.Boolean(), False),
    ("allow_stitch", sa.Boolean(), False),
    ("is_aigc", sa.Boolean(), False),
    ("disclose", sa.Boolean(), False),
    ("brand_organic", sa.Boolean(), False),
    ("brand_content", sa.Boolean(), False),
    ("cover_index", sa.Integer(), 0),
)


def _document(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "v": VERSION,
        "kind": kind,
        "mode": values.get("mode") or "direct",
        "title": values.get("title") or "",
        "description": values.get("description") or "",
        "privacy_level": values.get("privacy_level"),
        "allow_comment": bool(values.get("allow_comment")),
        "allow_duet": bool(values.get("allow_duet")),
        "allow_stitch": bool(values.get("allow_stitch")),
        "is_aigc": bool(values.get("is_aigc")),
        "disclose": bool(values.get("disclose")),
        "brand_organic": bool(values.get("brand_organic")),
        "brand_content": bool(values.get("brand_content")),
        "cover_index": int(values.get("cover_index") or 0),
        "auto_add_music": bool(values.get("auto_add_music", True)),
        "cover_timestamp_ms": None,
    }


def _drafts(*extra: str) -> Any:
    names = ("id", "kind", *extra)
    return sa.table("drafts", *(sa.column(name) for name in names))


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def upgrade() -> None:
    """Fold the draft columns into choices_json; rewrite job requests as version 1."""
    bind = op.get_bind()
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("choices_json", sa.Text(), nullable=False, server_default="{}"))
    drafts = _drafts("choices_json", *(name for name, _, _ in CHOICE_COLUMNS))
    for row in list(bind.execute(sa.select(drafts)).mappings()):
        document = _document(row["kind"], dict(row))
        bind.execute(
            drafts.update().where(drafts.c.id == row["id"]).values(choices_json=_dumps(document))
        )
    with op.batch_alter_table("drafts") as batch:
        for name, _, _ in CHOICE_COLUMNS:
            batch.drop_column(name)

    jobs = bind.execute(sa.text("SELECT id, request_json FROM publish_jobs")).mappings()
    for job in list(jobs):
        old = json.loads(job["request_json"])
        if old.get("v") == VERSION:
            continue
        settings = dict(old.get("settings") or {})
        # Old requests held what was sent: a brand toggle on means disclosed.
        settings["disclose"] = bool(settings.get("brand_organic") or settings.get("brand_content"))
        settings["cover_index"] = settings.pop("photo_cover_index", 0)
        new = {
            "v": VERSION,
            "draft_id": old["draft_id"],
            "telegram_user_id": old["telegram_user_id"],
            "chat_id": old["chat_id"],
            "account_id": old["account_id"],
            "media": old["media"],
            "choices": _document(old["kind"], settings),
        }
        bind.execute(
            sa.text("UPDATE publish_jobs SET request_json = :doc WHERE id = :id"),
            {"doc": _dumps(new), "id": job["id"]},
        )


def downgrade() -> None:
    """Back to columns on drafts and the old request shape on jobs."""
    bind = op.get_bind()
    with op.batch_alter_table("drafts") as batch:
        for name, kind, default in CHOICE_COLUMNS:
            server_default = None
            if default is not None:
                server_default = sa.text(
                    str(int(default)) if not isinstance(default, str) else f"'{default}'"
                )
            batch.add_column(
                sa.Column(name, kind, nullable=default is None, server_default=server_default)
            )
    drafts = _drafts("choices_json", *(name for name, _, _ in CHOICE_COLUMNS))
    for row in list(bind.execute(sa.select(drafts)).mappings()):
        doc = json.loads(row["choices_json"] or "{}")
        values = {name: doc.get(name, default) for name, _, default in CHOICE_COLUMNS}
        bind.execute(drafts.update().where(drafts.c.id == row["id"]).values(**values))
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("choices_json")
    for job in list(bind.execute(sa.text("SELECT id, request_json FROM publish_jobs")).mappings()):
        new = json.loads(job["request_json"])
        if new.get("v") != VERSION:
            continue
        choices = dict(new["choices"])
        direct = choices["mode"] == "direct"
        disclose = choices.pop("disclose") and direct
        settings = {
            "mode": choices["mode"],
            "title": choices["title"],
            "description": choices["description"],
            "privacy_level": choices["privacy_level"] if direct else None,
            "allow_comment": choices["allow_comment"] and direct,
            "allow_duet": choices["allow_duet"] and direct,
            "allow_stitch": choices["allow_stitch"] and direct,
            "is_aigc": choices["is_aigc"] and direct,
            "brand_organic": disclose and choices["brand_organic"],
            "brand_content": disclose and choices["brand_content"],
            "photo_cover_index": choices["cover_index"],
            "auto_add_music": choices["auto_add_music"],
        }
        old = {
            "draft_id": new["draft_id"],
            "telegram_user_id": new["telegram_user_id"],
            "chat_id": new["chat_id"],
            "account_id": new["account_id"],
            "kind": choices["kind"],
            "media": new["media"],
            "settings": settings,
        }
        bind.execute(
            sa.text("UPDATE publish_jobs SET request_json = :doc WHERE id = :id"),
            {"doc": _dumps(old), "id": job["id"]},
        )
