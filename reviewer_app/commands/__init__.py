"""Sub-commands of ``reviewer-app`` beyond the core ones in ``reviewer_app.cli``.

Each module defines click commands and a ``COMMANDS`` list; ``register_commands`` adds them all.
``MODULE_OF`` says which module holds each command, so running one imports only its module
(``tests/test_cli_lazy_imports.py`` checks the map against the modules).
"""

from __future__ import annotations

import importlib
import pkgutil

import click

MODULE_OF: dict[str, str] = {
    "sheets": "blind_review",
    **dict.fromkeys(("export", "verify", "import-bundle", "correct", "corrections"), "bundles"),
    **dict.fromkeys(("grounding", "grounding-rules", "artifact", "attest", "gate"), "grounding"),
    **dict.fromkeys(("attach", "annotate", "verdict", "annotations"), "review"),
    "reviewers": "reviewers",
    **dict.fromkeys(
        ("score", "agreement", "tier", "conflicts", "adjudicate", "policy", "setting"), "scoring"
    ),
    "suggest": "suggest",
    "team": "team",
}
"""The module of each command: ``agreement`` loaded every module (PyMuPDF, numpy, the bundle
code: 0.8 s of its 3 s over 10,000 records) before running."""


def command_modules() -> list[str]:
    return sorted(info.name for info in pkgutil.iter_modules(__path__))


def register_module(group: click.Group, name: str) -> None:
    module = importlib.import_module(f"{__name__}.{name}")
    for command in getattr(module, "COMMANDS", ()):
        group.add_command(command)


def register_commands(group: click.Group) -> None:
    for name in command_modules():
        register_module(group, name)


class CommandsOnDemand(click.Group):
    """A group that imports the command modules only when a command it does not already hold
    is asked for, or the list of them (``--help``): ``reviewer-app list`` should not pay for
    PyMuPDF, numpy and the bundle code that other commands need."""

    _modules_loaded = False

    def _load_modules(self) -> None:
        if not self._modules_loaded:
            self._modules_loaded = True
            register_commands(self)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in MODULE_OF:
            register_module(self, MODULE_OF[cmd_name])
            command = super().get_command(ctx, cmd_name)
        if command is None:  # a name not in the map: every module (click suggests names)
            self._load_modules()
            command = super().get_command(ctx, cmd_name)
        return command

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_modules()
        return super().list_commands(ctx)
