// ReDoc for the service's own OpenAPI document (kept in a file: the CSP allows no inline script).
Redoc.init("/openapi.json", { hideDownloadButton: false }, document.getElementById("redoc"));
