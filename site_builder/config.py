"""Settings of the ``helseinfo`` mkdocs plugin (only the schema; behaviour is in sibling modules)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class HelseinfoConfig(base.Config):
    production = c.Type(bool, default=False)
    """Production build: fail on any draft article or overdue review (``helseinfo build --strict``).
    A preview build (the default) publishes them, visibly marked."""

    icpc2_list = c.Optional(c.Type(str))
    """Path to the official ICPC-2 code list (``icpc2.csv``); default ``$HELSEINFO_ICPC2``
    or ``../shared/data/icpc2/icpc2.csv``. Every article's codes are checked against it."""

    directory = c.Type(bool, default=True)
    """Generate the directory of services and groups from the catalogue (off in tiny test sites)."""

    catalog = c.Optional(c.Type(str))
    """Folder of the services catalogue YAML; default ``services_catalog/data``."""

    today = c.Optional(c.Type(str))
    """Date (``YYYY-MM-DD``) to judge reviews by, for tests and previews; default today."""

    progress_every = c.Type(int, default=500)
    """Log a progress line every so many rendered pages (large builds)."""

    search_api = c.Type(str, default="/api/search")
    """The site's search service (``helseinfo search-api``; ``helseinfo serve --built`` answers it
    too) that the search box asks, falling back to Material's own search when it cannot be
    reached. An address on another origin is added to the CSP's connect-src. Empty: Material's
    search only."""

    assistant_url = c.Type(str, default="http://127.0.0.1:5005")
    """The assistant's address (Rasa's REST channel) for the chat widget on every page, and the
    one address the site's Content-Security-Policy lets pages connect to. Empty: no widget."""
