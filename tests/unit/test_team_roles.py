"""Team roles: who may do what, and what a role button gives."""

from __future__ import annotations

import pytest

from bot.teams.roles import Role, at_least, manages, next_role


@pytest.mark.parametrize(
    ("role", "needed", "allowed"),
    [
        ("owner", Role.ADMIN, True),
        ("admin", Role.EDITOR, True),
        ("editor", Role.EDITOR, True),
        ("viewer", Role.EDITOR, False),
        ("editor", Role.ADMIN, False),
        (None, Role.VIEWER, False),
    ],
)
def test_at_least(role: str | None, needed: Role, allowed: bool) -> None:
    assert at_least(role, needed) is allowed


def test_role_buttons_cycle_and_never_touch_the_owner() -> None:
    assert [next_role("viewer"), next_role("editor"), next_role("admin")] == [
        Role.EDITOR,
        Role.ADMIN,
        Role.VIEWER,
    ]
    assert next_role("owner") is None
    assert manages("owner") and manages("admin")
    assert not manages("editor") and not manages(None)
