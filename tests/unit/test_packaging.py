"""Packaging and the install scripts: lock files current, no deprecated metadata,
run.sh installs only when something changed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from setuptools.config.pyprojecttoml import apply_configuration  # type: ignore[import-untyped]
from setuptools.dist import Distribution  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from lock_inputs import fingerprint  # noqa: E402


def test_lock_files_were_made_from_this_pyproject() -> None:
    for lock in ("requirements.lock", "requirements-dev.lock"):
        first = (ROOT / lock).read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# inputs-sha256: {fingerprint()}", f"{lock}: run bash scripts/lock.sh"
        assert "--hash=sha256:" in (ROOT / lock).read_text(encoding="utf-8")


def test_package_metadata_uses_no_deprecated_form() -> None:
    # pytest turns warnings into errors: the license table form would fail here.
    apply_configuration(Distribution(), ROOT / "pyproject.toml")


def test_run_sh_installs_only_when_the_lock_changed(tmp_path: Path) -> None:
    for name in ("scripts/run.sh", "scripts/_lockfile.sh", "scripts/lock_inputs.py"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    # A stand-in interpreter that only records how it was called.
    fake_python = tmp_path / ".venv" / "bin" / "python"
    fake_python.parent.mkdir(parents=True)
    fake_python.write_text('#!/bin/sh\necho "$*" >> "$(dirname "$0")/../../calls.log"\n')
    fake_python.chmod(0o755)

    def run() -> list[str]:
        subprocess.run(["bash", "scripts/run.sh", "--help"], cwd=tmp_path, check=True)  # noqa: S607
        log = tmp_path / "calls.log"
        calls = log.read_text().splitlines()
        log.unlink()
        return calls

    first = run()
    assert any("pip install" in call and "--require-hashes" in call for call in first)
    assert first[-1] == "-m bot --help"
    assert run() == ["-m bot --help"]  # nothing changed: no pip at all
    with (tmp_path / "requirements.lock").open("a") as lock:
        lock.write("\n")
    assert any("pip install" in call for call in run())
