"""The supervisor (assistant/supervisor.py) with small stand-in processes: restart, back-off, why, purge."""

from __future__ import annotations

import logging
import os
import signal
import sys
import time

from assistant.supervisor import Service, Supervisor, exit_reason


def sleeper(name: str) -> Service:
    return Service(name, [sys.executable, "-c", "import time; time.sleep(60)"], dict(os.environ))


def test_gitt_en_prosess_som_doer_saa_startes_den_igjen_og_loggen_sier_hvorfor(caplog):
    service = sleeper("actions")
    supervisor = Supervisor([service, sleeper("rasa")], check_every=0.05)
    try:
        with caplog.at_level(logging.INFO, logger="helseinfo.supervisor"):
            supervisor.start()
            first = service.process.pid
            os.killpg(first, signal.SIGKILL)
            service.process.wait(5)
            supervisor.step()
            assert service.restart_at is not None
            deadline = time.monotonic() + 5
            while (not service.alive() or service.process.pid == first) and time.monotonic() < deadline:
                supervisor.step()
                time.sleep(0.05)
        assert service.alive() and service.process.pid != first
        assert supervisor.services[1].restarts == 0  # the other process was left alone
        assert "actions stoppet (drept av signal SIGKILL" in caplog.text
        assert "actions startet på nytt" in caplog.text
    finally:
        supervisor.stop()


def test_back_off_doubles_with_quick_deaths_up_to_the_maximum():
    supervisor = Supervisor([], backoff_base=1, backoff_max=60)
    assert [supervisor.backoff(n) for n in (1, 2, 3, 4, 7, 8, 20)] == [1, 2, 4, 8, 60, 60, 60]


def test_gitt_en_prosess_som_doer_med_en_gang_saa_venter_supervisoren_lenger_for_hver_gang():
    service = Service("rasa", [sys.executable, "-c", "raise SystemExit(3)"], dict(os.environ))
    supervisor = Supervisor([service], backoff_base=0.01, backoff_max=1)
    supervisor.start()
    delays = []
    for _ in range(4):
        service.process.wait(5)
        now = time.monotonic()
        supervisor.step(now)
        delays.append(round(service.restart_at - now, 2))
        supervisor.step(service.restart_at)  # start again
    supervisor.stop()
    assert delays == [0.01, 0.02, 0.04, 0.08]
    assert service.history[0] == "avsluttet med status 3"


def test_gitt_hengende_prosess_saa_drepes_og_startes_den_paa_nytt(monkeypatch):
    service = sleeper("actions")
    service.health_url = "http://127.0.0.1:9/health"
    supervisor = Supervisor([service], health_failures=2)
    answers = iter([True, False, False])
    monkeypatch.setattr(supervisor, "_healthy", lambda s: next(answers))
    supervisor.start()
    try:
        supervisor.step()  # answered once
        supervisor.step()  # 1 failure
        assert service.alive()
        supervisor.step()  # 2 failures: killed
        assert not service.alive()
    finally:
        supervisor.stop()


def test_purge_runs_at_start_up_and_then_daily():
    runs = []
    supervisor = Supervisor([], purge=lambda: runs.append(1) or 0, purge_every=86400)
    supervisor.step(1000.0)
    supervisor.step(1000.0 + 3600)
    assert len(runs) == 1
    supervisor.step(1000.0 + 86400)
    assert len(runs) == 2


def test_exit_reasons_are_readable():
    assert exit_reason(-9) == "drept av signal SIGKILL"
    assert exit_reason(1) == "avsluttet med status 1"
