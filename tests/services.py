"""Real servers for tests, started in a temporary folder and stopped afterwards, and the
addresses the end-to-end tests share (the assistant's ports, the test site's)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 180) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.ConnectionError:
            pass
        time.sleep(1)
    raise TimeoutError(f"{url} svarte ikke innen {seconds} s")


def _two_free_ports() -> tuple[int, int]:
    first = free_port()
    second = free_port()
    while second == first:
        second = free_port()
    return first, second


#: Free ports, not fixed ones: two test sessions on one machine (or a `make run`) never meet.
ASSISTANT_PORT, ACTION_PORT = _two_free_ports()
ASSISTANT_URL = f"http://127.0.0.1:{ASSISTANT_PORT}"
SITE_PORT = free_port()
SITE_URL = f"http://127.0.0.1:{SITE_PORT}/"
#: Origins the assistant answers browsers from: the default site address and the test site.
ORIGINS = f"http://127.0.0.1:8000 http://127.0.0.1:{SITE_PORT}"


def say(text: str, sender: str | None = None, **metadata) -> list[dict]:
    """One message through the assistant's REST channel (the contract in ARCHITECTURE.md).

    ``sender`` is a random UUID version 4, the only kind the channel accepts."""
    body = {"sender": sender or str(uuid.uuid4()), "message": text}
    if metadata:
        body["metadata"] = metadata
    response = requests.post(ASSISTANT_URL + "/webhooks/rest/webhook", json=body, timeout=60)
    response.raise_for_status()
    return response.json()


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres user when we are root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres():
    """A throwaway PostgreSQL server on 127.0.0.1; yields its connection settings."""
    tmp = Path(tempfile.mkdtemp(prefix="helseinfo-pg-"))  # not under pytest's 0700 folder: postgres must reach it
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not binaries:
        raise RuntimeError("PostgreSQL er ikke installert (scripts/install-test-services.sh installerer det)")
    bin_dir = Path(binaries[-1])
    data = tmp / "pgdata"
    data.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres")
        shutil.chown(data, "postgres")
    port = free_port()
    subprocess.run(
        _as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "helseinfo", "--auth=trust", "-E", "UTF8"]),
        check=True,
        capture_output=True,
    )
    subprocess.run(
        _as_postgres(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(data / "server.log"),
                "-w",
                "start",
                "-o",
                f"-c listen_addresses=127.0.0.1 -p {port} -k {data}",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        deadline = time.time() + 30
        while (
            subprocess.run(_as_postgres([str(bin_dir / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)]), capture_output=True).returncode
            != 0
        ):
            if time.time() > deadline:
                raise TimeoutError("PostgreSQL startet ikke")
            time.sleep(0.3)
        subprocess.run(
            _as_postgres([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "helseinfo", "samtaler"]),
            check=True,
            capture_output=True,
        )
        yield {"host": "127.0.0.1", "port": port, "db": "samtaler", "username": "helseinfo", "password": ""}
    finally:
        subprocess.run(_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
