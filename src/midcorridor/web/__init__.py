"""The web app's built assets (``static/``, made by ``make web`` from the ``web/`` folder)."""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"


def is_built() -> bool:
    """Whether the built page is present in this installation."""
    return (STATIC_DIR / "index.html").is_file()
