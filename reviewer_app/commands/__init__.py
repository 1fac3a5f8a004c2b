"""Sub-commands of ``reviewer-app`` beyond the core ones in ``reviewer_app.cli``.

Each module defines click commands and a ``COMMANDS`` list; ``register_commands`` adds them all.
"""

from __future__ import annotations

import importlib
import pkgutil

import click


def register_commands(group: click.Group) -> None:
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for command in getattr(module, "COMMANDS", ()):
            group.add_command(command)
