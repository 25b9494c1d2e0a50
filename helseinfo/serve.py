"""Serving the built site on 127.0.0.1, with the security headers production should send
(written by the build to the site's ``_headers``; see ``site_builder.security``).

``helseinfo serve`` (editors' preview) uses mkdocs' live-reloading server instead; this
module serves what ``helseinfo build`` published, following the ``site`` link on every
request so a new build is live the moment it is published. It also answers the site's
search service at ``/api/search`` from the index published beside the site
(``search_index.api.respond``, as ``helseinfo search-api`` does in production).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

from search_index.api import PATH as SEARCH_PATH
from search_index.api import RateLimiter, dumps, respond
from search_index.schema import index_dir_for
from site_builder import content_api
from site_builder.security import read_headers

#: One limiter for every handler of the process (a handler is made per request).
SEARCH_LIMITER = RateLimiter()


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files with security headers and the site's own 404 page."""

    # A class attribute in http.server too; typeshed declares it an instance variable.
    extensions_map: ClassVar[dict[str, str]] = {  # type: ignore[misc]
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".json": "application/json",
    }

    def end_headers(self):
        # The build's _headers file (CSP with the hashes of this release's inline scripts).
        for name, value in read_headers(Path(self.directory)).items():
            self.send_header(name, value)
        if self.path.startswith(content_api.API_PATH):  # the content API: CORS for the portal, ETag, cache
            self._content_api_headers()
        super().end_headers()

    def _content_api_headers(self):
        origin = content_api.cors_origin(self.headers.get("Origin"))
        if origin:
            self.send_header("Access-Control-Allow-Origin", origin)
        self.send_header("Vary", "Origin")
        file = Path(self.translate_path(self.path))
        if file.is_file():
            self.send_header("ETag", content_api.etag(file))
            self.send_header("Cache-Control", content_api.CACHE_CONTROL)

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path.startswith(content_api.API_PATH):
            file = Path(self.translate_path(path))
            if file.is_file() and self.headers.get("If-None-Match") == content_api.etag(file):
                self.send_response(304)
                self.end_headers()
                return None
        if path != SEARCH_PATH:
            return super().do_GET()
        status, body = respond(query, self.client_address[0], SEARCH_LIMITER, index_dir_for(Path(self.directory)))
        data = dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format, *args):  # quieter than the default: one short line
        pass


def serve_site(site: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    handler = functools.partial(SiteHandler, directory=str(site))
    with ThreadingHTTPServer((host, port), handler) as server:
        print(f"Serverer {site} på http://{host}:{port}/ (Ctrl-C for å stoppe)", flush=True)
        server.serve_forever()


@contextmanager
def served(site: Path, port: int = 0, handler: type[SiteHandler] = SiteHandler) -> Iterator[str]:
    """``site`` served by ``handler`` on 127.0.0.1 in a background thread, for tests and
    benchmarks; yields its address (``http://127.0.0.1:PORT/``; port 0 takes a free one)."""
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
