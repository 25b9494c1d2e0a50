"""``helseinfo assistant``: train, run and look after the Rasa assistant."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

from helseinfo.cliutils import clean_errors
from helseinfo.kernel.errors import HelseinfoError
from helseinfo.kernel.paths import PROJECT

ASSISTANT = PROJECT / "assistant"
MODELS = ASSISTANT / "models"
MODEL = MODELS / "helseinfo.tar.gz"
VAR = PROJECT / "var" / "assistant"
RASA = Path(sys.executable).with_name("rasa")
#: Origins allowed to call the REST channel from a browser (space-separated).
DEFAULT_ORIGINS = "http://127.0.0.1:8000 http://localhost:8000"


#: Rasa's own request size limit (bytes). The channel refuses bodies over 16 KB itself with a
#: JSON 413 (``assistant/channel.py``); larger ones Sanic refuses before reading them.
RASA_MAX_BYTES = 65536


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env["RASA_TELEMETRY_ENABLED"] = "false"  # no telemetry and no error reports leave the machine
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env["PYTHONPATH"] = str(PROJECT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("SANIC_REQUEST_MAX_SIZE", None)  # each process gets its own limit below
    return env


def rasa_env() -> dict[str, str]:
    """The Rasa process's environment (also ``rasa train``, ``rasa test`` and ``data validate``)."""
    env = base_env()
    env["SANIC_REQUEST_MAX_SIZE"] = os.environ.get("HELSEINFO_RASA_MAX_BYTES", str(RASA_MAX_BYTES))
    return env


def action_env() -> dict[str, str]:
    """The action server's: its own size limit (``HELSEINFO_ACTION_MAX_BYTES``), set apart from Rasa's."""
    from assistant.action_server import DEFAULT_MAX_BYTES

    env = base_env()
    env.setdefault("HELSEINFO_ACTION_MAX_BYTES", str(DEFAULT_MAX_BYTES))
    return env


def endpoints_file() -> Path:
    dialect = os.environ.get("HELSEINFO_DB_DIALECT", "sqlite")
    if dialect == "sqlite":
        return ASSISTANT / "endpoints.yml"
    if dialect in ("postgresql", "postgres"):
        return ASSISTANT / "endpoints.postgres.yml"
    raise HelseinfoError(f"HELSEINFO_DB_DIALECT={dialect}: forventet sqlite eller postgresql")


def runtime_endpoints(template: Path, action_port: int, out: Path, db: Path | None = None) -> Path:
    """The endpoints file Rasa runs with: the template with the action server's port (and an
    SQLite database path, for tests). The token stays a ``${HELSEINFO_ACTION_TOKEN}`` reference."""
    import yaml

    config = yaml.safe_load(template.read_text(encoding="utf-8"))
    config["action_endpoint"]["url"] = f"http://127.0.0.1:{action_port}/webhook"
    if db is not None:
        config["tracker_store"]["db"] = str(db)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return out


def train_model(force: bool = False) -> Path:
    """Train unless Rasa's fingerprint says nothing changed since the last model.

    The guard's responses are generated from ``content_model/contacts.py`` first."""
    from assistant.guard_responses import write

    for path in write():
        click.echo(f"Skrev {path.relative_to(PROJECT)} fra content_model/contacts.py", err=True)
    MODELS.mkdir(parents=True, exist_ok=True)
    command = [
        str(RASA),
        "train",
        "--config",
        str(ASSISTANT / "config.yml"),
        "--domain",
        str(ASSISTANT / "domain"),
        "--data",
        str(ASSISTANT / "data"),
        "--out",
        str(MODELS),
        "--fixed-model-name",
        "helseinfo",
    ] + (["--force"] if force else [])
    result = subprocess.run(command, cwd=PROJECT, env=rasa_env())
    if result.returncode != 0 or not MODEL.is_file():
        raise HelseinfoError("rasa train feilet; se meldingene over")
    return MODEL


def server_commands(
    port: int = 5005, action_port: int = 5055, origins: str | None = None, endpoints: Path | None = None
) -> list[list[str]]:
    allowed = (origins or os.environ.get("HELSEINFO_CORS_ORIGINS", DEFAULT_ORIGINS)).split()
    actions = [sys.executable, "-m", "assistant.action_server", "--port", str(action_port)]
    rasa = [
        sys.executable,
        "-m",
        "assistant.rasa_main",
        "run",
        "--model",
        str(MODEL),
        "--endpoints",
        str(endpoints or endpoints_file()),
        "--credentials",
        str(ASSISTANT / "credentials.yml"),
        "--interface",
        "127.0.0.1",
        "--port",
        str(port),
        "--cors",
        *allowed,
    ]
    return [actions, rasa]


def services(
    port: int = 5005, action_port: int = 5055, origins: str | None = None, log_dir: Path | None = None, endpoints: Path | None = None
):
    """The two processes as the supervisor starts them, sharing a new random token."""
    import secrets

    from assistant.supervisor import Service

    if not MODEL.is_file():
        raise HelseinfoError(f"{MODEL}: fant ingen modell; kjør 'helseinfo assistant train' først")
    VAR.mkdir(parents=True, exist_ok=True)
    os.chmod(VAR, 0o700)
    endpoints = endpoints or runtime_endpoints(endpoints_file(), action_port, VAR / "endpoints.run.yml")
    token = os.environ.get("HELSEINFO_ACTION_TOKEN") or secrets.token_urlsafe(32)
    actions, rasa = server_commands(port, action_port, origins, endpoints)
    return [
        Service(
            "actions",
            actions,
            {**action_env(), "HELSEINFO_ACTION_TOKEN": token},
            log=log_dir / "actions.log" if log_dir else None,
            health_url=f"http://127.0.0.1:{action_port}/health",
        ),
        Service(
            "rasa",
            rasa,
            {**rasa_env(), "HELSEINFO_ACTION_TOKEN": token},
            log=log_dir / "rasa.log" if log_dir else None,
            health_url=f"http://127.0.0.1:{port}/",
            health_timeout=10,
        ),
    ]


def start_servers(
    port: int = 5005, action_port: int = 5055, origins: str | None = None, log_dir: Path | None = None, endpoints: Path | None = None
) -> list[subprocess.Popen]:
    """Start the action server and the Rasa server (no --enable-api) on 127.0.0.1, unsupervised."""
    processes = []
    for service in services(port, action_port, origins, log_dir, endpoints):
        service.start()
        processes.append(service.process)
    return processes


def stop_servers(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.time() + 15
    for process in processes:
        try:
            process.wait(max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@click.group()
def assistant():
    """Rasa-assistenten: tren, kjør og rydd samtaler."""


@assistant.command()
@click.option("--force", is_flag=True, help="Tren selv om ingenting er endret.")
@clean_errors
def train(force: bool):
    """Tren modellen hvis treningsdata, domene eller konfigurasjon er endret."""
    click.echo(f"Modell: {train_model(force)}")


@assistant.command()
@click.option("--port", default=5005, show_default=True)
@click.option("--action-port", default=5055, show_default=True)
@click.option("--cors", "origins", default=None, help=f"Tillatte opphav, mellomromsdelt (standard: {DEFAULT_ORIGINS}).")
@click.option("--days", default=90, show_default=True, help="Oppbevaringstiden: samtaler eldre enn dette slettes ved start og daglig.")
@clean_errors
def run(port: int, action_port: int, origins: str | None, days: int):
    """Kjør handlingsserveren og Rasa-serveren på 127.0.0.1 til Ctrl-C, og hold dem oppe.

    En prosess som dør eller slutter å svare, startes på nytt med økende ventetid (1 s, 2 s,
    4 s … høyst 60 s), og loggen sier hvorfor. Gamle samtaler slettes ved start og hver dag."""
    import logging
    import threading

    from assistant.redact import install_log_redaction
    from assistant.retention import purge_conversations, tracker_store_url
    from assistant.supervisor import Supervisor

    install_log_redaction()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    url = tracker_store_url(endpoints_file())
    supervisor = Supervisor(services(port, action_port, origins), purge=lambda: purge_conversations(url, days))
    stop = threading.Event()
    # A SIGTERM (from make run's trap, systemd, …) stops the servers too, not only Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    click.echo(f"Assistenten: http://127.0.0.1:{port}/webhooks/rest/webhook (Ctrl-C for å stoppe)")
    try:
        supervisor.run(stop)
    except KeyboardInterrupt:
        pass
    finally:
        supervisor.stop()


@assistant.command()
@click.option("--days", default=90, show_default=True, help="Slett samtaler uten aktivitet på så mange dager.")
@click.option("--db", "db_url", default=None, help="SQLAlchemy-adresse; standard er trackerlageret i endpoints-filen.")
@clean_errors
def purge(days: int, db_url: str | None):
    """Slett samtaler eldre enn oppbevaringstiden (standard 90 dager)."""
    from assistant.retention import purge_conversations, tracker_store_url

    removed = purge_conversations(db_url or tracker_store_url(endpoints_file()), days)
    click.echo(f"Slettet {removed} samtaler eldre enn {days} dager.")


def cross_validate(folds: int = 5, config: Path | None = None, out: Path | None = None) -> dict:
    """Rasa's NLU cross-validation; returns the intent report's macro and weighted averages."""
    import json
    import tempfile

    out = Path(out or tempfile.mkdtemp(prefix="helseinfo-nlu-cv-"))
    command = [
        str(RASA),
        "test",
        "nlu",
        "--nlu",
        str(ASSISTANT / "data" / "nlu"),
        "--config",
        str(config or ASSISTANT / "config.yml"),
        "--cross-validation",
        "--folds",
        str(folds),
        "--out",
        str(out),
        "--no-plot",
    ]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT, env=rasa_env())
    if result.returncode != 0:
        raise HelseinfoError("rasa test nlu feilet; se meldingene over")
    report = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
    worst = sorted(
        (k, v["f1-score"])
        for k, v in report.items()
        if isinstance(v, dict) and "support" in v and k not in ("macro avg", "weighted avg", "micro avg")
    )
    return {
        "folds": folds,
        "macro_f1": round(report["macro avg"]["f1-score"], 3),
        "weighted_f1": round(report["weighted avg"]["f1-score"], 3),
        "accuracy": round(report.get("accuracy", 0.0), 3),
        "worst": sorted(worst, key=lambda item: item[1])[:5],
        "seconds": round(time.perf_counter() - started),
    }


#: One conversation of the load benchmark: triage with a follow-up answer, services, library,
#: portal, groups and an emergency, sent one after the other (a new conversation after the last).
DIALOGUE = (
    "hei",
    "Jeg har hatt feber i tre dager",
    "/deny",
    "hvor er legevakten i Molde",
    "hva er helvetesild",
    "jeg vil fornye resepten min",
    "kurs for kols i Ålesund",
    "Jeg har sterke brystsmerter og er kaldsvett",
)
#: The chat widget gives up after this many seconds.
WIDGET_TIMEOUT_S = 20.0


def _percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))]


def _memory_mb(pid: int) -> dict[str, int]:
    """Resident memory now and at its peak (``VmRSS``, ``VmHWM``), in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) // 1024
    return {"rss_mb": fields.get("VmRSS", 0), "peak_mb": fields.get("VmHWM", 0)}


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process, all its threads (``/proc/PID/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _closed_loop(url: str, conversations: int, seconds: float) -> dict:
    """``conversations`` senders, each sending its next message as soon as the answer comes,
    for ``seconds``; the requests in flight at the end are waited for and counted."""
    import asyncio
    import uuid

    import aiohttp

    latencies: list[float] = []
    errors = unavailable = 0
    emergencies_without_113 = 0
    timeout = aiohttp.ClientTimeout(total=120)

    async def one_sender(session) -> None:
        nonlocal errors, unavailable, emergencies_without_113
        sender, turn = str(uuid.uuid4()), 0
        while time.perf_counter() < deadline:
            message = DIALOGUE[turn % len(DIALOGUE)]
            began = time.perf_counter()
            try:
                async with session.post(url, json={"sender": sender, "message": message}) as response:
                    body = await response.json()
                    ok = response.status == 200 and isinstance(body, list) and body
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                ok, body = False, None
            latencies.append(time.perf_counter() - began)
            errors += not ok
            # "Cannot answer right now" with the numbers: an action failed or timed out.
            unavailable += bool(ok) and any((m.get("custom") or {}).get("reason") == "unavailable" for m in body)
            if ok and message == DIALOGUE[-1] and "113" not in " ".join(m.get("text") or "" for m in body):
                emergencies_without_113 += 1
            turn += 1
            if turn % len(DIALOGUE) == 0:
                sender = str(uuid.uuid4())

    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(one_sender(session) for _ in range(conversations)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "conversations": conversations,
        "messages": len(latencies),
        "per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(_percentile(latencies, 0.50) * 1000),
        "p95_ms": round(_percentile(latencies, 0.95) * 1000),
        "p99_ms": round(_percentile(latencies, 0.99) * 1000),
        "errors": errors,
        "unavailable": unavailable,
        "over_widget_timeout": sum(1 for v in latencies if v > WIDGET_TIMEOUT_S),
        "emergency_without_113": emergencies_without_113,
    }


def bench_rest(
    requests_count: int = 200,
    port: int = 5205,
    action_port: int = 5255,
    concurrency: tuple[int, ...] = (),
    seconds: float = 30.0,
    progress=print,
) -> dict:
    """REST latency one message at a time, then closed-loop throughput at each ``concurrency``,
    and the memory of the Rasa server and the action server; one pair of servers for all.

    The servers run as ``helseinfo assistant run`` starts them (127.0.0.1, SQLite tracker store
    with redaction), with a search index built for the run, so library questions find articles."""
    import tempfile

    started = time.perf_counter()
    processes = _start_bench_servers(Path(tempfile.mkdtemp(prefix="helseinfo-bench-rest-")), port, action_port)
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    try:
        wait_until_answering(url, started)
        result: dict[str, Any] = {"requests": requests_count, "startup_s": round(time.perf_counter() - started, 1)}
        warm_up(url)
        result.update(_one_at_a_time(url, requests_count, progress))
        result["levels"] = [closed_loop_level(url, level, seconds, processes, progress) for level in concurrency]
        memory = {name: _memory_mb(process.pid) for name, process in zip(("actions", "rasa"), processes)}
        result.update(
            rasa_rss_mb=memory["rasa"]["rss_mb"],
            rasa_peak_mb=memory["rasa"]["peak_mb"],
            actions_rss_mb=memory["actions"]["rss_mb"],
            actions_peak_mb=memory["actions"]["peak_mb"],
        )
        return result
    finally:
        stop_servers(processes)


def _start_bench_servers(tmp: Path, port: int, action_port: int) -> list[subprocess.Popen]:
    """The action server and the Rasa server, with a search index built for the run in ``tmp``."""
    from content_model import load_library
    from helseinfo.kernel.paths import CONTENT
    from search_index import build_index
    from services_catalog import load_catalog

    build_index(load_library(CONTENT, codes=False), load_catalog(codes=False), tmp / "search-index")
    endpoints = runtime_endpoints(ASSISTANT / "endpoints.yml", action_port, tmp / "endpoints.yml", db=tmp / "b.db")
    saved = os.environ.get("HELSEINFO_SEARCH_INDEX")
    os.environ["HELSEINFO_SEARCH_INDEX"] = str(tmp / "search-index")
    try:
        return start_servers(port, action_port, log_dir=tmp, endpoints=endpoints)
    finally:
        if saved is None:
            os.environ.pop("HELSEINFO_SEARCH_INDEX", None)
        else:
            os.environ["HELSEINFO_SEARCH_INDEX"] = saved


def wait_until_answering(url: str, started: float, limit_s: float = 300) -> None:
    import uuid

    import requests

    while True:
        try:
            if requests.post(url, json={"sender": str(uuid.uuid4()), "message": "hei"}, timeout=5).json():
                return
        except (requests.ConnectionError, requests.Timeout, ValueError):
            pass
        if time.perf_counter() - started > limit_s:
            raise HelseinfoError(f"assistenten svarte ikke innen {limit_s:g} s")
        time.sleep(1)


def warm_up(url: str) -> None:
    """Every action once, so nothing is loaded while measuring."""
    import uuid

    import requests

    warm = str(uuid.uuid4())
    for message in DIALOGUE:
        requests.post(url, json={"sender": warm, "message": message}, timeout=60)


#: The messages of the one-at-a-time run, each in a new conversation (every answer runs an action).
SEQUENTIAL_MESSAGES = (
    "Jeg har hatt feber i tre dager",
    "hvor er legevakten i Molde",
    "hva er helvetesild",
    "jeg vil fornye resepten min",
    "kurs for kols i Ålesund",
)


def _one_at_a_time(url: str, count: int, progress) -> dict[str, float]:
    import statistics
    import uuid

    import requests

    latencies = []
    for i in range(count):
        began = time.perf_counter()
        message = SEQUENTIAL_MESSAGES[i % len(SEQUENTIAL_MESSAGES)]
        response = requests.post(url, json={"sender": str(uuid.uuid4()), "message": message}, timeout=30)
        response.raise_for_status()
        latencies.append((time.perf_counter() - began) * 1000)
        if (i + 1) % 50 == 0:
            progress(f"  {i + 1}/{count} forespørsler etter hverandre")
    latencies.sort()
    return {
        "p50_ms": round(statistics.median(latencies), 1) if latencies else 0.0,
        "p95_ms": round(_percentile(latencies, 0.95), 1),
    }


def closed_loop_level(url: str, level: int, seconds: float, processes: list[subprocess.Popen], progress) -> dict:
    """``level`` conversations at once for ``seconds``, with the CPU time each process spent per
    message (what a message costs, whatever else the machine runs)."""
    import asyncio

    progress(f"  {level} samtaler samtidig i {seconds:g} s …")
    cpu_before = [_cpu_seconds(process.pid) for process in processes]
    row = asyncio.run(_closed_loop(url, level, seconds))
    for name, process, before in zip(("actions", "rasa"), processes, cpu_before):
        row[f"{name}_cpu_ms"] = round((_cpu_seconds(process.pid) - before) * 1000 / max(1, row["messages"]), 1)
    progress(
        f"  {level}: {row['per_s']} meldinger/s, p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, "
        f"p99 {row['p99_ms']} ms, feil {row['errors']}, «kan ikke svare nå» {row['unavailable']}, "
        f"CPU per melding Rasa {row['rasa_cpu_ms']} ms, handlingsserver {row['actions_cpu_ms']} ms"
    )
    return row
