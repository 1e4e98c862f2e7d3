"""Start-up imports only what the first getUpdates needs: no emulators, no Pillow."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_bot_loads_neither_emulators_nor_pillow() -> None:
    probe = (
        "import sys, bot.__main__, bot.app\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PIL', 'emulators'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == ""
