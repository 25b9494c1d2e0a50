"""Sources must be the page that supports the text, not a site's front page.

A front page (``https://www.helsenorge.no/``, ``https://nhi.no``, or only a language prefix
such as ``https://www.helsenorge.no/nn/``) supports nothing a reader can check, so
``helseinfo check`` rejects it, naming the file and the line of the ``url``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from helseinfo.kernel.errors import Problem

if TYPE_CHECKING:
    from content_model.loader import Library

#: A path that is only a language prefix: ``/nn/``, ``/en``, ``/nb-NO/``.
_LANGUAGE_PREFIX = re.compile(r"^/[a-z]{2}(-[a-z]{2})?/?$", re.I)


def is_front_page(url: str) -> bool:
    """True for a site's front page: an empty path, ``/``, or only a language prefix."""
    parts = urlsplit(str(url))
    path = parts.path or "/"
    return path == "/" or bool(_LANGUAGE_PREFIX.match(path))


def front_page_problems(library: Library) -> list[Problem]:
    """One error for every source whose URL is a front page."""
    problems = []
    for article in library.articles.values():
        for index, source in enumerate(article.meta.sources or ()):
            if is_front_page(source.url):
                host = urlsplit(str(source.url)).netloc
                problems.append(
                    Problem(
                        article.file,
                        f"sources[{index}].url",
                        f"«{source.url}» er forsiden til {host}, ikke siden som støtter teksten: "
                        "lenk til selve siden du har lest, eller fjern kilden",
                        article.line(("sources", index, "url")),
                    )
                )
    return problems
