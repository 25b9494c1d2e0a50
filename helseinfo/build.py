"""``helseinfo build``: checks, site and search index, published atomically.

The site is built into a new release folder next to the output; only when everything has
succeeded does the output path (a symbolic link) switch to it, in one ``rename``. A failed
build deletes its half-written release and leaves the previously published site untouched.

The search index is built from the library and catalogue the plugin loaded, after the site
and before the site is published. The site is public and the index is not, so the index
goes beside the site, never inside it: ``var/search-index`` next to ``out``
(``search_index.schema.index_dir_for``; for the default ``site/`` that is the
``DEFAULT_INDEX`` ``helseinfo search`` reads), switched by its own atomic ``rename``.

Last, the **data release** for the assistant's actions: a copy of the content and catalogue
the build read, checked by loading it, with a ``release.json`` that names its
``content_hash`` and the search index release built from it, published at ``var/release``
beside the index (``helseinfo.kernel.releases.data_release_beside``). The actions read the library,
the triage engine's cards, the catalogue and the index from what that release says, and key
their caches on its hash (``assistant/actions/common.py``): a new release takes effect at the
next message, without a restart, and editing ``content/`` changes nothing until a build.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, cast
from urllib.parse import urlsplit

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from helseinfo.kernel.errors import BuildError
from helseinfo.kernel.paths import PROJECT
from helseinfo.kernel.releases import data_release_beside, prune, publish, releases_dir, write_data_release

if TYPE_CHECKING:
    from site_builder.plugin import HelseinfoPlugin


class _Collect(logging.Handler):
    """Keeps mkdocs' error and warning lines, to report them as one clear message."""

    def __init__(self) -> None:
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
        raise BuildError(
            "HELSEINFO_ASSISTANT_URL er ikke satt: produksjonsbygget (--strict) trenger assistentens "
            "adresse, f.eks. HELSEINFO_ASSISTANT_URL=https://assistent.example.no"
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BuildError(f"HELSEINFO_ASSISTANT_URL={url!r}: forventet en http(s)-adresse, f.eks. https://assistent.example.no")
    if parts.hostname in ("localhost", "127.0.0.1", "::1", "0.0.0.0"):
        raise BuildError(
            f"HELSEINFO_ASSISTANT_URL={url}: produksjonsbygget (--strict) kan ikke peke på denne maskinen; "
            "hos en besøkende er det besøkerens egen datamaskin"
        )
    return url


def build_site(
    out: Path | None = None, *, strict: bool = False, config_file: Path | None = None, today: str | None = None, verbose: bool = True
) -> Path:
    """Build the site into a new release and publish it at ``out``. Returns the release folder.

    ``strict`` is the production build: besides the plugin's checks it requires
    ``HELSEINFO_ASSISTANT_URL`` (``production_assistant_url``) and writes it into every page's
    widget and the CSP, whatever the mkdocs configuration says.
    """
    assistant_url = production_assistant_url() if strict else None  # before anything is written
    out = Path(out or PROJECT / "site").absolute()
    release = releases_dir(out) / f"{dt.datetime.now():%Y%m%dT%H%M%S%f}-{os.getpid()}"
    release.parent.mkdir(parents=True, exist_ok=True)
    data_link = data_release = index_release = None  # the assistant's data release (see above), the index
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

        plugin = cast("HelseinfoPlugin", config.plugins["helseinfo"])  # the project's plugin (mkdocs.yml)
        index_release = build_index(plugin.library, plugin.catalog, index_dir_for(out), publish_now=False)
        data_link = data_release_beside(index_dir_for(out))
        data_release = write_checked_data_release(releases_dir(data_link) / release.name, plugin, index_release, release)
    except (Abort, ConfigurationError, OSError) as exc:
        _discard(release, index_release, data_release)
        lines = [r.getMessage() for r in collect.records if r.levelno >= (logging.WARNING if strict else logging.ERROR)]
        detail = "\n".join(lines) or str(exc)
        raise BuildError(f"bygget feilet; den forrige publiserte versjonen er urørt.\n{detail}") from None
    except BaseException:
        _discard(release, index_release, data_release)
        raise
    finally:
        logger.removeHandler(collect)
        logger.removeHandler(console)
        logger.setLevel(previous_level)
    # Everything is built and checked: the site, its search index and the assistant's data go
    # live together (each an atomic switch of a link, one right after the other), or not at all.
    publish(release, out)
    publish(index_release, index_dir_for(out))
    publish(data_release, data_link)
    logger.info("Søkeindeksen er publisert i %s", index_dir_for(out))
    for link in (out, index_dir_for(out), data_link):
        prune(link)
    return release


def _discard(*releases: Path | None) -> None:
    """Remove releases that were written but not published."""
    for release in releases:
        if release is not None:
            shutil.rmtree(release, ignore_errors=True)


def write_checked_data_release(target: Path, plugin, index_release: Path, site_release: Path) -> Path:
    """The data release of this build (see the module's docstring), loaded once to check it."""
    from content_model.loader import load_library

    folders = {"content": Path(plugin.library.root)}
    if plugin.catalog is not None:
        folders["catalog"] = Path(plugin.catalog.root)
    try:
        write_data_release(target, folders, index=str(Path(index_release).absolute()), site=str(site_release))
        load_library(target / "content", codes=False)
        if plugin.catalog is not None:
            from services_catalog import load_catalog

            load_catalog(target / "catalog", codes=False)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target
