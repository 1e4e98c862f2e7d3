"""Migrations build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from storage.db import Database, alembic_config
from storage.tables import import_all_tables


def test_one_head() -> None:
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


async def test_the_migrations_are_idempotent_and_build_the_models(tmp_path: Path) -> None:
    path = tmp_path / "schema.db"
    engine = create_engine(f"sqlite:///{path}")
    for _ in range(2):
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "heads")
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.upgrade()  # start-up finds it current
    await db.dispose()
    import_all_tables()
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_post_choices_migration_moves_drafts_and_jobs(tmp_path: Path) -> None:
    import json

    from sqlalchemy import text

    from bot.publishing.choices import MediaKind, PostMode, PrivacyLevel
    from bot.publishing.drafts import choices_of
    from bot.publishing.requests import PublishRequest
    from storage.repositories.drafts import DraftRow

    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0005")
        connection.execute(
            text(
                "INSERT INTO drafts (telegram_user_id, chat_id, kind, status, media_json, mode,"
                " title, description, privacy_level, allow_comment, allow_duet, allow_stitch,"
                " is_aigc, disclose, brand_organic, brand_content, cover_index, created_at,"
                " updated_at) VALUES (1, 1, 'photo', 'open', '[]', 'direct', 'T', 'D',"
                " 'SELF_ONLY', 1, 0, 0, 0, 1, 1, 0, 2, '2026-01-01', '2026-01-01')"
            )
        )
        old_request = {
            "draft_id": 7,
            "telegram_user_id": 1,
            "chat_id": 1,
            "account_id": 3,
            "kind": "video",
            "media": [{"file_id": "f", "file_unique_id": "u"}],
            "settings": {
                "mode": "direct",
                "title": "Hi",
                "description": "",
                "privacy_level": "PUBLIC_TO_EVERYONE",
                "allow_comment": True,
                "allow_duet": False,
                "allow_stitch": False,
                "is_aigc": False,
                "brand_organic": False,
                "brand_content": True,
                "photo_cover_index": 0,
                "auto_add_music": True,
            },
        }
        connection.execute(
            text(
                "INSERT INTO publish_jobs (draft_id, telegram_user_id, chat_id, account_id, kind,"
                " mode, request_json, state, not_before, attempts, inits, uploaded_bytes,"
                " created_at, updated_at) VALUES (7, 1, 1, 3, 'video', 'direct', :r, 'queued',"
                " '2026-01-01', 0, 0, 0, '2026-01-01', '2026-01-01')"
            ),
            {"r": json.dumps(old_request)},
        )
        command.upgrade(alembic_config(connection), "heads")
        draft_json = connection.execute(text("SELECT choices_json FROM drafts")).scalar_one()
        request_json = connection.execute(
            text("SELECT request_json FROM publish_jobs")
        ).scalar_one()
    engine.dispose()
    row = DraftRow(1, 1, 1, None, "photo", "open", None, choices_json=draft_json)
    draft = choices_of(row)
    assert (draft.kind, draft.title, draft.description) == (MediaKind.PHOTO, "T", "D")
    assert draft.privacy_level is PrivacyLevel.SELF_ONLY and draft.allow_comment
    assert draft.disclose and draft.brand_organic and not draft.brand_content
    assert draft.cover_index == 2
    request = PublishRequest.from_json(request_json)
    assert request.kind is MediaKind.VIDEO and request.choices.mode is PostMode.DIRECT
    assert request.choices.sends_brand_content and request.choices.title == "Hi"
    assert request.media[0].file_id == "f"
