"""Write the service's OpenAPI document (the web app's typed client is generated from it).

``python -m midcorridor.service.openapi FILE``
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document of the app, built against a throw-away SQLite database."""
    from midcorridor.service.main import create_app
    from midcorridor.service.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{tmp}/openapi.sqlite", background=False,
                            migrate_on_start=False)
        app = create_app(settings)
        doc = app.openapi()
        app.state.db.dispose()
        return doc


def main(argv: list[str] | None = None) -> int:
    """Write the service's OpenAPI document to the file named in ``argv``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m midcorridor.service.openapi FILE", file=sys.stderr)
        return 2
    path = Path(args[0])
    text = json.dumps(openapi_document(), indent=1, sort_keys=True)
    try:
        path.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        print(f"cannot write {path}: {exc.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
