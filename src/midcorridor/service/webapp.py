"""The web app at ``/``, Swagger UI and ReDoc from local assets, security headers, CORS.

Every answer carries a Content-Security-Policy without inline scripts, ``nosniff`` and
``frame-ancestors 'none'``. Cross-origin calls are refused unless ``cors_origins`` names the
origins to allow.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from midcorridor.service.settings import Settings
from midcorridor.web import STATIC_DIR, is_built

_BASE_POLICY = (
    "default-src 'self'; script-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The page and Swagger UI keep styles in files; ReDoc writes its styles at run time.
PAGE_POLICY = _BASE_POLICY + "; style-src 'self'"
DOCS_POLICY = _BASE_POLICY + "; style-src 'self' 'unsafe-inline'"

_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


class SecurityHeaders:
    """ASGI middleware adding the security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on and add the security headers to the response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_POLICY if scope["path"] == "/redoc" else PAGE_POLICY

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"content-security-policy"]
                headers += [*_HEADERS, (b"content-security-policy", policy.encode())]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


_DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
{head}</head><body>{body}</body></html>
"""


def _docs_html(kind: str, title: str) -> str:
    vendor = "/assets/vendor"
    if kind == "swagger":
        head = f'<link rel="stylesheet" href="{vendor}/swagger-ui/swagger-ui.css">'
        body = (f'<div id="swagger-ui"></div>'
                f'<script src="{vendor}/swagger-ui/swagger-ui-bundle.js"></script>'
                f'<script src="{vendor}/swagger-init.js"></script>')
    else:
        head = ""
        body = (f'<div id="redoc"></div><script src="{vendor}/redoc/redoc.standalone.js"></script>'
                f'<script src="{vendor}/redoc-init.js"></script>')
    return _DOCS_PAGE.format(title=title, head=head, body=body)


def mount_web(app: FastAPI, settings: Settings) -> None:
    """Serve the page at ``/``, the API docs from local files, and add headers and CORS."""
    title = app.title

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(_docs_html("swagger", f"{title} - API"))

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return HTMLResponse(_docs_html("redoc", f"{title} - API reference"))

    @app.get("/", include_in_schema=False, response_model=None)
    def index() -> FileResponse | HTMLResponse:
        if not is_built():
            return HTMLResponse(
                "<!doctype html><title>midcorridor</title><p>The web app is not built in this "
                "installation: run <code>make web</code>. The API is at <a href=/docs>/docs</a>.",
                status_code=503)
        return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    app.mount("/assets", StaticFiles(directory=STATIC_DIR / "assets", check_dir=False),
              name="assets")
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_credentials=False,
                           allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(SecurityHeaders)
