"""The HTML pages this API serves (the merchant page, /docs) and their static files.

A page loads script and style only from this deployment (files under static/, never inline), may
not be framed (clickjacking a cashier into redeeming), and talks only to this API. The headers
are set here for every HTML response, so a page added later gets them too; a page that needs a
looser policy (Swagger UI draws with inline styles) sets its own CSP and this one is not applied."""

from __future__ import annotations

# Each directive names the least the pages need: their own files, JSON from this API, the
# camera stream the merchant page scans from, and data: images (icons inside the stylesheets).
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; media-src 'self' mediastream: blob:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


def csp(**looser: str) -> str:
    """PAGE_CSP with some directives replaced, e.g. csp(style_src="'self' 'unsafe-inline'")."""
    directives = dict(d.split(" ", 1) for d in PAGE_CSP.split("; "))
    for name, value in looser.items():
        directives[name.replace("_", "-")] = value
    return "; ".join(f"{k} {v}" for k, v in directives.items())


def register(app) -> None:
    @app.after_request
    def page_headers(response):
        # No response is ever to be sniffed into a script or page it was not sent as.
        response.headers["X-Content-Type-Options"] = "nosniff"
        if response.mimetype == "text/html":
            response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
            response.headers["X-Frame-Options"] = "DENY"  # browsers that predate frame-ancestors
            response.headers["Referrer-Policy"] = "no-referrer"
        return response
