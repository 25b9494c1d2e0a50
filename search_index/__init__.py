"""Search over the health library, the services directory and the coping groups.

A Whoosh index built by ``helseinfo build`` from the same loaded content
(``content_model.load_library``) and catalogue (``services_catalog.load_catalog``), with
Norwegian analysis for bokmål and nynorsk (``search_index.analysis``). The assistant and
``helseinfo search`` (contract in ``../shared/ARCHITECTURE.md``) use the query API::

    from search_index import search
    for hit in search("legevakt Orkanger", kind="service", limit=5):
        hit.to_json()  # {"kind", "id", "title", "url", "icpc2", "service_type", "municipalities"}

``search(q, *, kind=None, municipality=None, limit=10, index_dir=None) -> list[Hit]``
    ``kind``: ``article``, ``service`` or ``group``; ``municipality``: a four-digit number or
    a municipality or place name (``Brattvåg``), keeping the services and groups that serve
    it, and every article. ``index_dir`` defaults to ``DEFAULT_INDEX`` (``var/search-index``).
``build_index(library, catalog=None, index_dir=None)``
    Write the index and publish it atomically (a symbolic link switched in one rename).
``index_dir_for(site)``
    Where ``helseinfo build --out SITE`` publishes the index: ``var/search-index`` beside
    the site, never inside it (the site is public).
``search_index.query.suggest(q, index_dir=None) -> str | None``
    "Did you mean": ``q`` with the words spelling correction changed, or ``None``.
``search_index.api``
    The site's search service, ``GET /api/search`` (``helseinfo search-api``; also answered
    by ``helseinfo serve --built``): the contract's JSON plus ``suggestion`` and ``open_now``
    (``docs/search-api.md``).

A service word in a query (``sykehus``, ``fødestue``, ``helsesøster``: ``analysis.TYPE_WORDS``)
decides the service type and a place name filters (``search_index.query``, step 6).

Why whoosh-reloaded: the original Whoosh 2.7.4 (2016) is unmaintained, and on Python 3.8
and later it prints ``SyntaxWarning: "is" with a literal`` when imported (its
``whoosh/codec/whoosh3.py``; whoosh-community/whoosh#565, never released). whoosh-reloaded
2.7.5 is the maintained fork with the same API, fixed for current Python, a pure-Python
wheel on PyPI that runs on our Python 3.10. Whoosh keeps search in-process: no search
server to run next to the site and the assistant.
"""

from search_index.build import build_index
from search_index.query import Hit, IndexMissing, search
from search_index.schema import DEFAULT_INDEX, index_dir_for

__all__ = ["DEFAULT_INDEX", "Hit", "IndexMissing", "build_index", "index_dir_for", "search"]
