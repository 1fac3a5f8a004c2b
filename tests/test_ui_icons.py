"""Every registered icon draws, from the one font set the app loads."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from reviewer_app.ui.icons import ICON_FONT, ICON_SPECS, _icon_font, icon

pytestmark = pytest.mark.usefixtures("qapp")


def test_only_the_icon_font_is_loaded() -> None:
    # qta.icon would load all twelve bundled fonts (~10 MB resident) for the one in use
    assert set(_icon_font().fontname) == {ICON_FONT}


@pytest.mark.parametrize("name", sorted(ICON_SPECS))
def test_every_registered_icon_draws_something(name: str) -> None:
    assert ICON_SPECS[name].startswith(f"{ICON_FONT}.")
    image = icon(name).pixmap(24, 24).toImage()
    assert not image.isNull()
    pixels = ((x, y) for x in range(image.width()) for y in range(image.height()))
    assert any(image.pixelColor(x, y).alpha() > 0 for x, y in pixels)
