"""The environment benchmarked processes run in: as an installed app runs, with bytecode.

This machine's environment sets PYTHONDONTWRITEBYTECODE, so each process would compile the
whole package again: the CLI's ``--help`` took 1.7 s of CPU that way, against ~0.3 s with the
bytecode an installed copy has.
"""

from __future__ import annotations

import os
from pathlib import Path


def bytecode_env(cache: Path) -> dict[str, str]:
    """``os.environ`` with bytecode written to and read from ``cache``; Qt offscreen."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return dict(env, PYTHONPYCACHEPREFIX=str(cache), QT_QPA_PLATFORM="offscreen")
