"""Migration teams02 moves each request's review draft into team_reviews, and back."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from storage.db import alembic_config

NOW = "2026-12-01 10:00:00"


def test_review_drafts_move_to_team_reviews_and_back(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'teams.db'}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "teams01")
        for draft_id, user in ((1, 1002), (2, 1001)):  # the editor's, the owner's review
            connection.execute(
                text(
                    "INSERT INTO drafts (id, telegram_user_id, chat_id, kind, status, media_json,"
                    " choices_json, created_at, updated_at)"
                    " VALUES (:id, :user, :user, 'video', 'open', '[]', '{}', :now, :now)"
                ),
                {"id": draft_id, "user": user, "now": NOW},
            )
        connection.execute(
            text(
                "INSERT INTO teams (id, chat_id, title, owner_user_id, status, created_at)"
                " VALUES (1, -100, 'Acme', 1001, 'active', :now)"
            ),
            {"now": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO team_approvals (team_id, draft_id, account_id, submitter_id,"
                " submitter_name, status, review_draft_id, approver_name, awaiting_reason,"
                " expires_at, created_at, updated_at) VALUES (1, 1, 5, 1002, '@eddie',"
                " 'pending', 2, '@ana', 0, :now, :now, :now)"
            ),
            {"now": NOW},
        )
        command.upgrade(alembic_config(connection), "teams02")
        reviews = connection.execute(
            text("SELECT approval_id, reviewer_id, reviewer_name, draft_id FROM team_reviews")
        ).all()
        assert [tuple(r) for r in reviews] == [(1, 1001, "@ana", 2)]
        columns = connection.execute(text("PRAGMA table_info(team_approvals)")).all()
        assert "review_draft_id" not in {c[1] for c in columns}

        command.downgrade(alembic_config(connection), "teams01")
        back = connection.execute(text("SELECT review_draft_id FROM team_approvals")).scalar_one()
        assert back == 2
    engine.dispose()
