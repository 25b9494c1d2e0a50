"""The HTTP security headers of the built site, Content-Security-Policy included.

``helseinfo build`` writes them to ``_headers`` in the site (the format Netlify and Cloudflare
Pages read: a path pattern, then indented ``Name: value`` lines); ``helseinfo serve --built``
sends what that file says, and production copies the same lines into its web server (see
README, "Security headers"). One place decides the headers; nothing else hard-codes them.

The policy allows nothing inline. Material for MkDocs puts a few small inline scripts in
every page (its ``__md_scope`` bootstrap, the anchor fix-up of the 404 page); their SHA-256
hashes are collected from the built pages, so exactly those scripts run and no other.
JSON data blocks (``application/json``, ``application/ld+json``) are not scripts and need no
hash. The chat widget is a file on the site (``script-src 'self'``) whose styles are a
constructed style sheet (no ``style-src 'unsafe-inline'``), and it talks only to the
assistant (``connect-src``). The search box talks to the search service, on the site's own
origin (``/api/search``) or the one configured (``search_api``).
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

HEADERS_FILE = "_headers"

#: Sent with every response besides the CSP. No cookies are ever set.
STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_DATA_TYPE = re.compile(r"""\btype\s*=\s*["']?application/(?:ld\+)?json""", re.I)
_SRC = re.compile(r"\bsrc\s*=", re.I)


def inline_script_hashes(html: str) -> set[str]:
    """The CSP source expressions ('sha256-…') of the executable inline scripts in a page."""
    hashes = set()
    for match in _INLINE_SCRIPT.finditer(html):
        attrs, body = match.group("attrs"), match.group("body")
        if _SRC.search(attrs) or _DATA_TYPE.search(attrs) or not body.strip():
            continue
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        hashes.add("'sha256-" + base64.b64encode(digest).decode("ascii") + "'")
    return hashes


def origin(url: str) -> str:
    """scheme://host[:port] of an address; '' when it has none."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def content_security_policy(script_hashes: set[str], assistant_url: str = "", search_api: str = "") -> str:
    """The policy: ``connect-src`` is the site itself, the assistant and, when it is on another
    origin, the search service (``search_api``; a path like ``/api/search`` is the site's own)."""
    connect = " ".join(dict.fromkeys(filter(None, ["'self'", origin(assistant_url), origin(search_api)])))
    directives = [
        "default-src 'none'",
        "script-src 'self' " + " ".join(sorted(script_hashes)) if script_hashes else "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        f"connect-src {connect}",
        "worker-src 'self'",
        "manifest-src 'self'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
        "object-src 'none'",
    ]
    return "; ".join(directives)


def site_headers(site_dir: Path, assistant_url: str = "", search_api: str = "") -> dict[str, str]:
    """All headers for a built site: the static ones and a CSP from its pages' inline scripts."""
    hashes: set[str] = set()
    for page in site_dir.rglob("*.html"):
        hashes |= inline_script_hashes(page.read_text(encoding="utf-8"))
    return {**STATIC_HEADERS, "Content-Security-Policy": content_security_policy(hashes, assistant_url, search_api)}


def write_headers(site_dir: Path, headers: dict[str, str]) -> Path:
    path = site_dir / HEADERS_FILE
    path.write_text("/*\n" + "".join(f"  {name}: {value}\n" for name, value in headers.items()), encoding="utf-8")
    return path


def read_headers(site_dir: Path) -> dict[str, str]:
    """The headers ``_headers`` gives for every path; the static ones if the file is missing."""
    path = site_dir / HEADERS_FILE
    if not path.is_file():
        return dict(STATIC_HEADERS)
    headers = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith((" ", "\t")) and ":" in line:
            name, value = line.strip().split(":", 1)
            headers[name.strip()] = value.strip()
    return headers
