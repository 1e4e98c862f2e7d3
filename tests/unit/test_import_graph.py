"""The import graph points down: domain code never reaches up to Telegram or texts.

Walks every module's imports (top level and nested, TYPE_CHECKING included)
and fails on an arrow that runs back up (docs/architecture.md, "Layers").
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = (
    "bot/publishing",
    "bot/insights",
    "bot/comments",
    "bot/accounts",
    "bot/tiktok",
    "bot/creators",
)


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def imported(path: Path) -> Iterator[str]:
    """Every module name `path` imports (absolute; relative imports resolved)."""
    inside = path.is_relative_to(ROOT)
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1]) if inside else ""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base]) if base else ".".join(parent)
            yield base


def offending(folders: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for folder in folders:
        for path in modules(folder):
            for name in imported(path):
                if any(name == f or name.startswith(f + ".") for f in forbidden):
                    found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


def test_the_domain_imports_neither_telegram_nor_texts() -> None:
    assert offending(DOMAIN, ("telegram", "bot.texts", "handlers")) == []


def test_texts_import_no_domain() -> None:
    # bot/texts receives plain values; it may import only itself.
    domain = (
        "bot.accounts",
        "bot.comments",
        "bot.creators",
        "bot.insights",
        "bot.publishing",
        "bot.tiktok",
    )
    others = ("bot.errors", "bot.services", "bot.app", "storage", "handlers", "telegram")
    assert offending(("bot/texts",), (*domain, *others)) == []


def test_emulators_import_nothing_of_the_bot() -> None:
    assert offending(("emulators",), ("bot", "handlers", "storage")) == []


def test_storage_imports_no_domain() -> None:
    assert offending(("storage",), ("bot", "handlers", "telegram")) == []


def test_the_composition_root_builds_no_keyboards() -> None:
    source = (ROOT / "bot/app.py").read_text(encoding="utf-8")
    assert "InlineKeyboard" not in source


@pytest.mark.parametrize("folder", DOMAIN)
def test_the_walk_sees_each_domain_package(folder: str) -> None:
    # Guards the test itself: an empty walk would pass everything.
    assert any(list(imported(path)) for path in modules(folder))


def test_the_walk_catches_nested_imports(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("if True:\n    from telegram import Bot\nimport bot.texts.common\n")
    assert {"telegram", "bot.texts.common"} <= set(imported(bad))
