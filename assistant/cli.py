"""``helseinfo assistant``: train, run and look after the Rasa assistant."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import click

from helseinfo.cliutils import clean_errors
from helseinfo.errors import HelseinfoError
from helseinfo.paths import PROJECT

ASSISTANT = PROJECT / "assistant"
MODELS = ASSISTANT / "models"
MODEL = MODELS / "helseinfo.tar.gz"
VAR = PROJECT / "var" / "assistant"
RASA = Path(sys.executable).with_name("rasa")
#: Origins allowed to call the REST channel from a browser (space-separated).
DEFAULT_ORIGINS = "http://127.0.0.1:8000 http://localhost:8000"


def rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SANIC_HOST", "127.0.0.1")  # the action server listens on loopback only
    env.setdefault("SANIC_REQUEST_MAX_SIZE", "65536")  # bytes; longer chat messages are refused
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env["RASA_TELEMETRY_ENABLED"] = "false"  # no telemetry and no error reports leave the machine
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env["PYTHONPATH"] = str(PROJECT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def endpoints_file() -> Path:
    dialect = os.environ.get("HELSEINFO_DB_DIALECT", "sqlite")
    if dialect == "sqlite":
        return ASSISTANT / "endpoints.yml"
    if dialect in ("postgresql", "postgres"):
        return ASSISTANT / "endpoints.postgres.yml"
    raise HelseinfoError(f"HELSEINFO_DB_DIALECT={dialect}: forventet sqlite eller postgresql")


def train_model(force: bool = False) -> Path:
    """Train unless Rasa's fingerprint says nothing changed since the last model."""
    MODELS.mkdir(parents=True, exist_ok=True)
    command = [
        str(RASA), "train", "--config", str(ASSISTANT / "config.yml"), "--domain", str(ASSISTANT / "domain"),
        "--data", str(ASSISTANT / "data"), "--out", str(MODELS), "--fixed-model-name", "helseinfo",
    ] + (["--force"] if force else [])
    result = subprocess.run(command, cwd=PROJECT, env=rasa_env())
    if result.returncode != 0 or not MODEL.is_file():
        raise HelseinfoError("rasa train feilet; se meldingene over")
    return MODEL


def server_commands(port: int = 5005, action_port: int = 5055, origins: str | None = None,
                    endpoints: Path | None = None) -> list[list[str]]:
    origins = (origins or os.environ.get("HELSEINFO_CORS_ORIGINS", DEFAULT_ORIGINS)).split()
    actions = [sys.executable, "-m", "rasa_sdk", "--actions", "assistant.actions", "--port", str(action_port)]
    rasa = [
        str(RASA), "run", "--model", str(MODEL), "--endpoints", str(endpoints or endpoints_file()),
        "--credentials", str(ASSISTANT / "credentials.yml"), "--interface", "127.0.0.1", "--port", str(port),
        "--cors", *origins,
    ]
    return [actions, rasa]


def start_servers(port: int = 5005, action_port: int = 5055, origins: str | None = None,
                  log_dir: Path | None = None, endpoints: Path | None = None) -> list[subprocess.Popen]:
    """Start the action server and the Rasa server (no --enable-api) on 127.0.0.1."""
    if not MODEL.is_file():
        raise HelseinfoError(f"{MODEL}: fant ingen modell; kjør 'helseinfo assistant train' først")
    VAR.mkdir(parents=True, exist_ok=True)
    processes = []
    for name, command in zip(("actions", "rasa"), server_commands(port, action_port, origins, endpoints)):
        out = open(log_dir / f"{name}.log", "ab") if log_dir else None
        processes.append(subprocess.Popen(command, cwd=PROJECT, env=rasa_env(), stdout=out, stderr=subprocess.STDOUT if out else None,
                                          start_new_session=True))
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
@clean_errors
def run(port: int, action_port: int, origins: str | None):
    """Kjør handlingsserveren og Rasa-serveren på 127.0.0.1 til Ctrl-C."""
    processes = start_servers(port, action_port, origins)
    # A SIGTERM (from make run's trap, systemd, …) stops the servers too, not only Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    click.echo(f"Assistenten: http://127.0.0.1:{port}/webhooks/rest/webhook (Ctrl-C for å stoppe)")
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(1)
        raise HelseinfoError("en av assistentens prosesser stoppet uventet")
    finally:
        stop_servers(processes)


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
        str(RASA), "test", "nlu", "--nlu", str(ASSISTANT / "data" / "nlu"), "--config", str(config or ASSISTANT / "config.yml"),
        "--cross-validation", "--folds", str(folds), "--out", str(out), "--no-plot",
    ]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT, env=rasa_env())
    if result.returncode != 0:
        raise HelseinfoError("rasa test nlu feilet; se meldingene over")
    report = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
    worst = sorted((k, v["f1-score"]) for k, v in report.items() if isinstance(v, dict) and "support" in v and k not in ("macro avg", "weighted avg", "micro avg"))
    return {
        "folds": folds,
        "macro_f1": round(report["macro avg"]["f1-score"], 3),
        "weighted_f1": round(report["weighted avg"]["f1-score"], 3),
        "accuracy": round(report.get("accuracy", 0.0), 3),
        "worst": sorted(worst, key=lambda item: item[1])[:5],
        "seconds": round(time.perf_counter() - started),
    }


def bench_rest(requests_count: int = 200, port: int = 5205, action_port: int = 5255) -> dict:
    """REST round-trip latency (with the action server) and the Rasa server's memory."""
    import statistics
    import tempfile
    import uuid

    import requests
    import yaml

    tmp = Path(tempfile.mkdtemp(prefix="helseinfo-bench-rest-"))
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump({
        "action_endpoint": {"url": f"http://127.0.0.1:{action_port}/webhook"},
        "tracker_store": {"type": "assistant.tracker_store.RedactingSQLTrackerStore", "dialect": "sqlite", "db": str(tmp / "b.db")},
    }))
    started = time.perf_counter()
    processes = start_servers(port, action_port, log_dir=tmp, endpoints=endpoints)
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    try:
        while True:
            try:
                if requests.post(url, json={"sender": "warm", "message": "hei"}, timeout=5).json():
                    break
            except (requests.ConnectionError, ValueError):
                pass
            if time.perf_counter() - started > 300:
                raise HelseinfoError("assistenten svarte ikke innen 300 s")
            time.sleep(1)
        startup = time.perf_counter() - started
        messages = ["Jeg har hatt feber i tre dager", "hvor er legevakten i Molde", "hva er helvetesild",
                    "jeg vil fornye resepten min", "kurs for kols i Ålesund"]
        latencies = []
        for i in range(requests_count):
            began = time.perf_counter()
            response = requests.post(url, json={"sender": uuid.uuid4().hex, "message": messages[i % len(messages)]}, timeout=30)
            response.raise_for_status()
            latencies.append((time.perf_counter() - began) * 1000)
            if (i + 1) % 50 == 0:
                print(f"  {i + 1}/{requests_count} forespørsler", flush=True)
        rss = {}
        for name, process in zip(("actions", "rasa"), processes):
            status = Path(f"/proc/{process.pid}/status").read_text()
            rss[name] = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) // 1024
        latencies.sort()
        return {
            "requests": requests_count,
            "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(latencies[int(0.95 * len(latencies)) - 1], 1),
            "startup_s": round(startup, 1),
            "rasa_rss_mb": rss["rasa"],
            "actions_rss_mb": rss["actions"],
        }
    finally:
        stop_servers(processes)
