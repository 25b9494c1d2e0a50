"""The supervisor ``helseinfo assistant run`` uses: keeps the action server and Rasa up.

- A process that exits is started again after a back-off that doubles with every quick death
  (1 s, 2 s, 4 s … at most 60 s) and starts over once it has run for a while; the log says
  why (exit status or signal).
- A process that stops answering its health address (hung, e.g. stopped with SIGSTOP) for
  ``health_failures`` checks in a row is killed, and so started again.
- One process dying does not stop the other: while the action server is down, Rasa still
  answers red flags from the domain (``assistant/policies.py``).
- ``purge`` (the retention) runs at start-up and then every ``purge_every`` seconds (daily).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from helseinfo.kernel.paths import PROJECT

logger = logging.getLogger("helseinfo.supervisor")


@dataclass
class Service:
    name: str
    command: list[str]
    env: dict[str, str]
    log: Path | None = None
    health_url: str | None = None
    health_timeout: float = 3.0
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    quick_deaths: int = 0
    restart_at: float | None = None
    unhealthy: int = 0
    answered: bool = False
    restarts: int = 0
    history: list[str] = field(default_factory=list)

    def start(self) -> None:
        out = open(self.log, "ab") if self.log else None  # noqa: SIM115 (closed once the child has it)
        try:
            self.process = subprocess.Popen(
                self.command, cwd=PROJECT, env=self.env, stdout=out, stderr=subprocess.STDOUT if out else None, start_new_session=True
            )
        finally:
            if out:
                out.close()
        self.started_at, self.restart_at, self.unhealthy, self.answered = time.monotonic(), None, 0, False

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.alive():
            assert self.process is not None  # alive
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                pass


def exit_reason(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"drept av signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"drept av signal {-returncode}"
    return f"avsluttet med status {returncode}"


class Supervisor:
    def __init__(
        self,
        services: list[Service],
        purge: Callable[[], int] | None = None,
        purge_every: float = 86400,
        backoff_base: float = 1.0,
        backoff_max: float = 60.0,
        stable_after: float = 120.0,
        check_every: float = 2.0,
        health_failures: int = 3,
    ):
        self.services = services
        self.purge, self.purge_every, self.next_purge = purge, purge_every, 0.0
        self.backoff_base, self.backoff_max, self.stable_after = backoff_base, backoff_max, stable_after
        self.check_every, self.health_failures = check_every, health_failures
        self._lock = threading.Lock()

    def backoff(self, quick_deaths: int) -> float:
        return min(self.backoff_max, self.backoff_base * 2 ** max(0, quick_deaths - 1))

    def start(self) -> None:
        for service in self.services:
            service.start()
            assert service.process is not None  # just started
            logger.info("%s startet (pid %d)", service.name, service.process.pid)

    def _run_purge(self, now: float) -> None:
        if self.purge is None or now < self.next_purge:
            return
        self.next_purge = now + self.purge_every
        try:
            removed = self.purge()
            logger.info("Oppbevaring: slettet %s gamle samtaler", removed)
        except Exception as exc:  # noqa: BLE001 (a failing purge must not stop the servers)
            logger.error("Oppbevaring feilet: %s", exc)

    def _healthy(self, service: Service) -> bool:
        import requests

        assert service.health_url is not None  # only services with a health URL are checked
        try:
            return requests.get(service.health_url, timeout=service.health_timeout).status_code < 500
        except requests.RequestException:
            return False

    def step(self, now: float | None = None) -> None:
        """One round: restart the dead, check the living, purge when due."""
        now = time.monotonic() if now is None else now
        with self._lock:
            for service in self.services:
                if service.restart_at is not None:
                    if now >= service.restart_at:
                        service.restarts += 1
                        service.start()
                        assert service.process is not None  # just started
                        logger.warning("%s startet på nytt (pid %d, omstart nr. %d)", service.name, service.process.pid, service.restarts)
                    continue
                assert service.process is not None  # every service was started by start()
                if not service.alive():
                    lived = now - service.started_at
                    service.quick_deaths = service.quick_deaths + 1 if lived < self.stable_after else 1
                    delay = self.backoff(service.quick_deaths)
                    reason = exit_reason(service.process.returncode)
                    service.history.append(reason)
                    logger.error("%s stoppet (%s etter %.0f s); ny start om %.0f s", service.name, reason, lived, delay)
                    service.restart_at = now + delay
                    continue
                if service.health_url:
                    if self._healthy(service):
                        service.answered, service.unhealthy = True, 0
                    elif service.answered:
                        service.unhealthy += 1
                        if service.unhealthy >= self.health_failures:
                            logger.error(
                                "%s svarer ikke på %s (%d ganger på rad); stoppes og startes på nytt",
                                service.name,
                                service.health_url,
                                service.unhealthy,
                            )
                            service.kill()
                            service.process.wait(10)
        self._run_purge(now)

    def run(self, stop: threading.Event) -> None:
        self.start()
        while not stop.is_set():
            self.step()
            stop.wait(self.check_every)

    def stop(self) -> None:
        with self._lock:
            for service in self.services:
                service.kill(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for service in self.services:
                if service.process is None:
                    continue
                try:
                    service.process.wait(max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    service.kill(signal.SIGKILL)
