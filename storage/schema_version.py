"""The migration heads this code ships, read without importing alembic.

Start-up compares them with the database's `alembic_version` rows: equal means
nothing to do (the common case, kept cheap: a regex over a few small files and
one SELECT); a revision the code does not know means the database was
migrated by a newer release, and this process must not run against it.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

VERSIONS_DIR = Path(__file__).parent / "migrations" / "versions"

_ASSIGN = re.compile(r"^(revision|down_revision)\s*(?::[^=]+)?=\s*(.+)$", re.MULTILINE)


def _revisions_of(source: str) -> tuple[str | None, tuple[str, ...]]:
    values: dict[str, object] = {}
    for name, literal in _ASSIGN.findall(source):
        values.setdefault(name, ast.literal_eval(literal.strip()))
    revision = values.get("revision")
    down = values.get("down_revision")
    parents: tuple[str, ...]
    if isinstance(down, str):
        parents = (down,)
    elif isinstance(down, tuple | list):
        parents = tuple(str(d) for d in down)
    else:
        parents = ()
    return (str(revision) if revision is not None else None), parents


@cache
def code_revisions() -> frozenset[str]:
    """Every revision id the code's migrations define."""
    return frozenset(_graph())


@cache
def code_heads() -> frozenset[str]:
    """The revisions no other revision builds on: where `upgrade heads` ends."""
    graph = _graph()
    parents = {p for ps in graph.values() for p in ps}
    return frozenset(r for r in graph if r not in parents)


def _graph() -> dict[str, tuple[str, ...]]:
    graph: dict[str, tuple[str, ...]] = {}
    for path in sorted(VERSIONS_DIR.glob("*.py")):
        revision, parents = _revisions_of(path.read_text(encoding="utf-8"))
        if revision is not None:
            graph[revision] = parents
    return graph
