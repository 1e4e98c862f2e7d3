"""Team roles and what each may do (pure)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A member's role, strongest first."""

    OWNER = "owner"
    ADMIN = "admin"
    EDITOR = "editor"
    VIEWER = "viewer"


_RANK = {Role.OWNER: 3, Role.ADMIN: 2, Role.EDITOR: 1, Role.VIEWER: 0}
# What the role button of a member cycles through (the owner is never changed).
_NEXT = {Role.VIEWER: Role.EDITOR, Role.EDITOR: Role.ADMIN, Role.ADMIN: Role.VIEWER}


def at_least(role: str | None, needed: Role) -> bool:
    """Whether `role` (None: not a member) includes the rights of `needed`."""
    return role is not None and _RANK[Role(role)] >= _RANK[needed]


def next_role(role: str) -> Role | None:
    """The role a tap on a member's button gives; None for the owner."""
    return _NEXT.get(Role(role))


def manages(role: str | None) -> bool:
    """Whether `role` may change members' roles."""
    return at_least(role, Role.ADMIN)
