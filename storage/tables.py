"""Where the tables live: `storage/models.py` and one `storage/models_<feature>.py` each."""

from __future__ import annotations

import importlib
import pkgutil

import storage


def import_all_tables() -> None:
    """Import every `storage.models*` module so SQLModel.metadata knows all tables."""
    for module in pkgutil.iter_modules(storage.__path__):
        if module.name.startswith("models"):
            importlib.import_module(f"storage.{module.name}")
