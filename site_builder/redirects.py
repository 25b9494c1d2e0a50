"""The small page left at an old address (a merged service, a renamed group or article).

One function writes every such page: a meta refresh (0 s) and a canonical link to the page's
new address, ``noindex``, the page's language and the two numbers in text. There is no
script, so the CSP needs nothing and the chat widget is left out (tests/test_widget.py).
"""

from __future__ import annotations

import posixpath

from markupsafe import escape

from content_model.contacts import NUMBERS
from content_model.loader import Library

#: The page's words in each language: title prefix, "moved to", and the numbers' sentence.
TEXTS = {
    "nb": (
        "Flyttet",
        "Siden har flyttet til",
        "Trenger du legehjelp som ikke kan vente, ring {legevakt}. Ved fare for liv, ring {emergency}.",
    ),
    "nn": ("Flytta", "Sida har flytta til", "Treng du legehjelp som ikkje kan vente, ring {legevakt}. Ved fare for liv, ring {emergency}."),
}


def redirect_html(old: str, new: str, name: str, site_url: str | None = None, language: str = "nb") -> str:
    """The page at the site-relative address ``old`` (``nb/gammel/``) sending the reader to ``new``
    (``nb/ny/``), the page called ``name``. The canonical link is absolute when ``site_url`` is set."""
    target = posixpath.relpath(new, old) + "/"
    canonical = site_url.rstrip("/") + "/" + new if site_url else target
    title, moved, numbers = TEXTS[language]
    name = escape(name)
    numbers = numbers.format(legevakt=NUMBERS["legevakt"].display, emergency=NUMBERS["emergency"].display)
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}: {name}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        f'<link rel="canonical" href="{escape(canonical)}">\n<meta name="robots" content="noindex">\n</head>\n<body>\n'
        f'<p>{moved} <a href="{target}">{name}</a>.</p>\n'
        f"<p>{numbers}</p>\n</body>\n</html>\n"
    )


def article_redirects(library: Library, site_url: str | None = None) -> dict[str, str]:
    """Every article's redirect pages, path in the site → HTML: one per ``former_slugs`` entry."""
    out = {}
    for article in library.articles.values():
        for old in article.former_urls:
            out[old + "index.html"] = redirect_html(old, article.url, article.meta.title, site_url, article.meta.language)
    return out
