"""Fingerprint of what the lock files are compiled from (stdlib only: runs before any install).

Usage: python3 scripts/lock_inputs.py   -> prints the sha256 hex digest
The lock files carry it on their first line; scripts/test.sh and scripts/run.sh
refuse a lock whose fingerprint no longer matches pyproject.toml.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fingerprint() -> str:
    """sha256 over the dependency declarations only (other pyproject edits don't count)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = config.get("project", {})
    inputs = {
        "build": config.get("build-system", {}).get("requires", []),
        "python": project.get("requires-python", ""),
        "dependencies": project.get("dependencies", []),
        "extras": project.get("optional-dependencies", {}),
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


if __name__ == "__main__":
    print(fingerprint())
