"""``helseinfo build``: checks, site and search index, published atomically.

The site is built into a new release folder next to the output; only when everything has
succeeded does the output path (a symbolic link) switch to it, in one ``rename``. A failed
build deletes its half-written release and leaves the previously published site untouched.

The search index is built from the library and catalogue the plugin loaded, after the site
and before the site is published. The site is public and the index is not, so the index
goes beside the site, never inside it: ``var/search-index`` next to ``out``
(``search_index.schema.index_dir_for``; for the default ``site/`` that is the
``DEFAULT_INDEX`` ``helseinfo search`` reads), switched by its own atomic ``rename``.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from helseinfo.errors import BuildError
from helseinfo.releases import prune, publish, releases_dir
from helseinfo.paths import PROJECT

class _Collect(logging.Handler):
    """Keeps mkdocs' error and warning lines, to report them as one clear message."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def production_assistant_url() -> str:
    """The assistant's address a production build must be given in ``HELSEINFO_ASSISTANT_URL``.

    The chat widget on every page posts to this address and the Content-Security-Policy lets
    pages connect to it. A preview build may fall back to ``http://127.0.0.1:5005`` (the
    assistant of ``make run``); a production build must not, because on a visitor's machine
    that address is the visitor's own computer.
    """
    url = os.environ.get("HELSEINFO_ASSISTANT_URL", "").strip()
    if not url:
        raise BuildError("HELSEINFO_ASSISTANT_URL er ikke satt: produksjonsbygget (--strict) trenger assistentens "
                         "adresse, f.eks. HELSEINFO_ASSISTANT_URL=https://assistent.example.no")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BuildError(f"HELSEINFO_ASSISTANT_URL={url!r}: forventet en http(s)-adresse, f.eks. https://assistent.example.no")
    if parts.hostname in ("localhost", "127.0.0.1", "::1", "0.0.0.0"):
        raise BuildError(f"HELSEINFO_ASSISTANT_URL={url}: produksjonsbygget (--strict) kan ikke peke på denne maskinen; "
                         "hos en besøkende er det besøkerens egen datamaskin")
    return url


def build_site(out: Path | None = None, *, strict: bool = False, config_file: Path | None = None,
               today: str | None = None, verbose: bool = True) -> Path:
    """Build the site into a new release and publish it at ``out``. Returns the release folder.

    ``strict`` is the production build: besides the plugin's checks it requires
    ``HELSEINFO_ASSISTANT_URL`` (``production_assistant_url``) and writes it into every page's
    widget and the CSP, whatever the mkdocs configuration says.
    """
    assistant_url = production_assistant_url() if strict else None  # before anything is written
    out = Path(out or PROJECT / "site").absolute()
    release = releases_dir(out) / f"{dt.datetime.now():%Y%m%dT%H%M%S%f}-{os.getpid()}"
    release.parent.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger("mkdocs")
    collect = _Collect()
    console = logging.StreamHandler()
    console.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    console.setLevel(logging.INFO if verbose else logging.ERROR + 10)
    logger.addHandler(collect)
    logger.addHandler(console)
    previous_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        config = load_config(str(config_file or PROJECT / "mkdocs.yml"), site_dir=str(release), strict=strict)
        plugin_config = config.plugins["helseinfo"].config
        plugin_config.production = strict
        if assistant_url:
            plugin_config.assistant_url = assistant_url
        if today:
            plugin_config.today = today
        mkdocs_build(config)
        from search_index import build_index, index_dir_for

        plugin = config.plugins["helseinfo"]
        build_index(plugin.library, plugin.catalog, index_dir_for(out))
        logger.info("Søkeindeksen er publisert i %s", index_dir_for(out))
    except (Abort, ConfigurationError, OSError) as exc:
        shutil.rmtree(release, ignore_errors=True)
        lines = [r.getMessage() for r in collect.records if r.levelno >= (logging.WARNING if strict else logging.ERROR)]
        detail = "\n".join(lines) or str(exc)
        raise BuildError(f"bygget feilet; den forrige publiserte versjonen er urørt.\n{detail}") from None
    except BaseException:
        shutil.rmtree(release, ignore_errors=True)
        raise
    finally:
        logger.removeHandler(collect)
        logger.removeHandler(console)
        logger.setLevel(previous_level)
    publish(release, out)
    prune(out)
    return release
