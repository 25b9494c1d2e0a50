"""Real servers shared by the end-to-end test modules, started once per test session.

- ``assistant_server``: the Rasa server and the action server on 127.0.0.1 (the model is
  trained first if its data changed), with a tracker store and search index of its own.
- ``built_site`` / ``site``: the whole site built into a temporary folder, its widget pointing
  at that Rasa server, served by ``helseinfo serve --built``'s handler on a free port.
- ``browser``: Debian's Chromium driven by Playwright (one per test module).
"""

from __future__ import annotations

import time

import pytest

from tests.services import ACTION_PORT, ASSISTANT_PORT, ASSISTANT_URL, ORIGINS, SITE_PORT, SITE_URL, say, wait_for


@pytest.fixture(scope="session")
def assistant_server(tmp_path_factory):
    """The servers under the supervisor ``helseinfo assistant run`` uses (a test may kill one).

    The model is trained by ``scripts/test.sh`` before pytest starts (training inside a fixture
    could outlive pytest-timeout on a busy machine); this only loads it."""
    import threading

    from assistant import cli as assistant_cli
    from assistant.supervisor import Supervisor
    from content_model import load_library
    from helseinfo.kernel.paths import CONTENT
    from search_index import build_index
    from services_catalog import load_catalog

    if not assistant_cli.MODEL.is_file():
        pytest.fail(f"{assistant_cli.MODEL} mangler: kjør 'helseinfo assistant train' (scripts/test.sh gjør det før pytest)")
    tmp = tmp_path_factory.mktemp("rasa")
    build_index(load_library(CONTENT), load_catalog(), tmp / "search-index")
    db = tmp / "conversations.db"
    endpoints = assistant_cli.runtime_endpoints(assistant_cli.ASSISTANT / "endpoints.yml", ACTION_PORT, tmp / "endpoints.yml", db=db)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HELSEINFO_SEARCH_INDEX", str(tmp / "search-index"))
        patch.setenv("HELSEINFO_SITE_URL", SITE_URL)  # links in answers point at the test site
        services = assistant_cli.services(ASSISTANT_PORT, ACTION_PORT, ORIGINS, log_dir=tmp, endpoints=endpoints)
    supervisor = Supervisor(services, check_every=1.0)
    stop = threading.Event()
    thread = threading.Thread(target=supervisor.run, args=(stop,), daemon=True)
    thread.start()
    try:
        wait_for(f"http://127.0.0.1:{ACTION_PORT}/health")
        wait_for(ASSISTANT_URL + "/")
        deadline = time.time() + 120  # the model is loaded when the channel answers
        while not say("hei") and time.time() < deadline:
            time.sleep(1)
        yield {
            "url": ASSISTANT_URL,
            "port": ASSISTANT_PORT,
            "action_port": ACTION_PORT,
            "db": db,
            "logs": tmp,
            "site_url": SITE_URL,
            "supervisor": supervisor,
            "services": {s.name: s for s in services},
            "token": services[0].env["HELSEINFO_ACTION_TOKEN"],
        }
    finally:
        stop.set()
        thread.join(10)
        supervisor.stop()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    from helseinfo.build import build_site

    out = tmp_path_factory.mktemp("nettsted") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HELSEINFO_ASSISTANT_URL", ASSISTANT_URL)
        patch.setenv("HELSEINFO_SITE_URL", SITE_URL)
        build_site(out, verbose=False)
    return out


@pytest.fixture(scope="session")
def site(built_site):
    from tests.browser import serve

    with serve(built_site, SITE_PORT) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    # Per module, not per session: Playwright's sync API keeps an event loop running in this
    # thread while it is open, and asyncio.run() in later modules (the tracker store's
    # tests) refuses to start under a running loop.
    from tests.browser import chromium, chromium_missing

    problem = chromium_missing()
    if problem:
        pytest.fail(problem)
    with chromium() as instance:
        yield instance


@pytest.fixture
def page(browser):
    """A fresh browser context (own sessionStorage) and page at 1280×800, Norwegian locale."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
