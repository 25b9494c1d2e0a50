"""The production profile (``helseinfo prod``) and its faults, against the real thing.

One profile is started for the module with ``helseinfo prod up`` in a temporary folder on free
ports: PostgreSQL, Redis, two action servers, two Rasa servers, the search API and nginx,
under the supervisor. The faults run one after the other against it; each test has its own
timeout, and the module stays within about 10 minutes on 2 cores (start-up about 1–2 minutes).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

from benchmarks.load import compare, stored_turns
from helseinfo.kernel.paths import PROJECT
from helseinfo.prod import Profile, db_url, load_secrets, read_state

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

HELSEINFO = [sys.executable, "-m", "helseinfo.cli"]
CHEST_PAIN = "Jeg har sterke brystsmerter og er kaldsvett"
SUICIDE = "Jeg vil ikke leve lenger"
UNAVAILABLE = ("Jeg får ikke svart deg", "Eg får ikkje svart deg", "I cannot answer you")


def ports_free(base: int, count: int) -> bool:
    for port in range(base, base + count):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def free_base(count: int = 43) -> int:
    while True:
        base = random.randrange(20000, 50000)
        if ports_free(base, count + 1):
            return base


@pytest.fixture(scope="module")
def stack():
    from assistant.cli import MODEL
    from site_builder.security import site_headers, write_headers

    if not MODEL.is_file():
        pytest.fail(f"{MODEL} mangler: kjør 'helseinfo assistant train' (scripts/test.sh gjør det før pytest)")
    root = Path(tempfile.mkdtemp(prefix="helseinfo-prod-"))  # not pytest's 0700 folder: postgres must reach it
    os.chmod(root, 0o755)
    site = root / "site"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_text(
        "<!doctype html><html lang=nb><title>Helse</title><script>var x=1;</script>"
        + "<p>Helseinformasjon for Midt-Norge. " * 40
        + "</html>",
        encoding="utf-8",
    )
    (site / "404.html").write_text("<!doctype html><title>Fant ikke siden</title>", encoding="utf-8")
    (site / "assets" / "bundle.0123abcd.min.js").write_text("console.log('hei');" * 50, encoding="utf-8")
    base = free_base()
    port = base + 43
    write_headers(site, site_headers(site, f"http://127.0.0.1:{port}"))
    var = root / "var"
    command = [
        *HELSEINFO,
        "prod",
        "up",
        "--var",
        str(var),
        "--rasa",
        "2",
        "--port",
        str(port),
        "--base-port",
        str(base),
        "--site",
        str(site),
        "--exempt",
        "127.0.0.1",
        "--timeout",
        "420",
    ]
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=480)
    try:
        assert result.returncode == 0, result.stdout + result.stderr + logs_tail(var)
        yield Profile.load(var)
    finally:
        subprocess.run([*HELSEINFO, "prod", "down", "--var", str(var)], cwd=PROJECT, capture_output=True, timeout=120)
        shutil.rmtree(root, ignore_errors=True)


def logs_tail(var: Path) -> str:
    return "".join(f"\n--- {log.name}\n" + log.read_text(errors="replace")[-1500:] for log in sorted((var / "logs").glob("*.log")))


def post(profile: Profile, text: str, sender: str | None = None, language: str = "nb", timeout: float = 40) -> tuple[int, list]:
    body = {"sender": sender or str(uuid.uuid4()), "message": text, "metadata": {"language": language, "logged_in": False}}
    response = requests.post(profile.url + "/webhooks/rest/webhook", json=body, timeout=timeout)
    try:
        return response.status_code, response.json()
    except ValueError:
        return response.status_code, []


def text_of(replies) -> str:
    if isinstance(replies, dict):
        return str(replies.get("message", ""))
    return " ".join(str(reply.get("text", "")) for reply in replies if isinstance(reply, dict))


def usable(status: int, replies) -> bool:
    return status == 200 and bool(replies) and not text_of(replies).startswith(UNAVAILABLE)


def service(profile: Profile, name: str) -> dict:
    return next(item for item in read_state(profile.var)["services"] if item["name"] == name)


def prod(profile: Profile, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*HELSEINFO, "prod", *args, "--var", str(profile.var)], cwd=PROJECT, capture_output=True, text=True, timeout=120)


def wait_until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: ikke innen {seconds} s")
        time.sleep(0.5)


def pause(profile: Profile, name: str) -> None:
    prod(profile, "pause", name)
    wait_until(lambda: service(profile, name)["paused"] and not service(profile, name)["alive"], 40, f"{name} stoppet")


def resume(profile: Profile, name: str) -> None:
    prod(profile, "resume", name)
    wait_until(lambda: service(profile, name)["alive"], 20, f"{name} startet igjen")


@pytest.mark.timeout(600)
def test_status_reports_every_process_of_the_profile_as_answering(stack):
    result = prod(stack, "status")
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("postgresql", "redis", "actions-1", "actions-2", "rasa-1", "rasa-2", "nginx"):
        assert name in result.stdout and "svarer" in result.stdout.split(name, 1)[1].splitlines()[0]


@pytest.mark.timeout(60)
def test_nginx_serves_the_site_with_the_builds_csp_gzip_and_cache_headers(stack):
    page = requests.get(stack.url + "/", headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert page.status_code == 200 and page.headers["Content-Encoding"] == "gzip"
    assert page.headers["Cache-Control"] == "no-cache"
    assert "script-src 'self' 'sha256-" in page.headers["Content-Security-Policy"]  # from the site's _headers
    assert page.headers["X-Content-Type-Options"] == "nosniff" and page.headers["Server"] == "nginx"
    asset = requests.get(stack.url + "/assets/bundle.0123abcd.min.js", timeout=10)
    assert "immutable" in asset.headers["Cache-Control"] and "Content-Security-Policy" in asset.headers
    assert requests.get(stack.url + "/_headers", timeout=10).status_code == 404
    assert requests.get(stack.url + "/finnes-ikke", timeout=10).status_code == 404
    hit = requests.get(stack.url + "/api/search", params={"q": "feber"}, timeout=10)
    assert hit.status_code in (200, 503)  # 503 JSON only where the tool has no search-api yet
    hit.json()


@pytest.mark.timeout(60)
def test_rate_limit_per_address_answers_429_with_the_numbers(stack):
    """127.0.0.1 is exempt in this profile (the load tests); 127.0.0.2 is an ordinary address."""
    statuses, bodies = [], []
    for _ in range(60):
        connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=10, source_address=("127.0.0.2", 0))
        connection.request("POST", "/webhooks/rest/webhook", body=b"{}", headers={"Content-Type": "application/json"})
        answer = connection.getresponse()
        statuses.append(answer.status)
        bodies.append(answer.read())
        connection.close()
    assert 400 in statuses and 429 in statuses
    limited = json.loads(bodies[statuses.index(429)])
    assert limited["error"] == "rate_limited" and "113" in limited["message"]


@pytest.mark.timeout(120)
def test_stopped_action_servers_still_give_the_emergency_and_crisis_numbers(stack):
    pause(stack, "actions-1")
    pause(stack, "actions-2")
    try:
        for _ in range(3):  # different senders land on both Rasa servers
            status, replies = post(stack, CHEST_PAIN)
            assert status == 200 and "113" in text_of(replies)
            status, replies = post(stack, SUICIDE)
            assert status == 200 and "113" in text_of(replies) and "116 123" in text_of(replies)
    finally:
        resume(stack, "actions-1")
        resume(stack, "actions-2")


@pytest.mark.timeout(150)
def test_without_redis_every_message_gets_the_numbers_and_rasa_does_not_crash_loop(stack):
    """Documented behaviour (docs/deployment.md): no message can take its conversation's lock, so
    each is answered 200 with "cannot answer right now" and 113 / 116 117 / 116 123; Rasa keeps
    running, and answers normally again once Redis is back."""
    before = {name: service(stack, name)["restarts"] for name in ("rasa-1", "rasa-2")}
    pause(stack, "redis")
    try:
        for text in (CHEST_PAIN, "hei", "hva er migrene"):
            status, replies = post(stack, text)
            assert status == 200 and "113" in text_of(replies), (status, replies)
        time.sleep(5)
        for name in ("rasa-1", "rasa-2"):
            assert service(stack, name)["alive"] and service(stack, name)["restarts"] == before[name]
    finally:
        resume(stack, "redis")
    wait_until(lambda: usable(*post(stack, "hei")), 30, "vanlig svar etter Redis")


@pytest.mark.timeout(240)
def test_restarting_postgresql_loses_no_conversation_and_rasa_recovers(stack):
    senders = [str(uuid.uuid4()) for _ in range(8)]
    sent = []
    for sender in senders:
        for seq, text in enumerate(("hei", "hva er migrene")):
            status, replies = post(stack, text, sender)
            sent.append({"sender": sender, "seq": seq, "text": text, "ok": usable(status, replies)})
    assert all(record["ok"] for record in sent)
    pause(stack, "postgresql")
    status, replies = post(stack, CHEST_PAIN)
    assert status == 200 and "113" in text_of(replies)  # even without the database
    resume(stack, "postgresql")
    time.sleep(2)
    for sender in senders:  # every conversation goes on; the first answer after the restart may still fail
        deadline = time.monotonic() + 60
        while True:
            status, replies = post(stack, "takk for hjelpen", sender)
            record = {
                "sender": sender,
                "seq": len([r for r in sent if r["sender"] == sender]),
                "text": "takk for hjelpen",
                "ok": usable(status, replies),
            }
            sent.append(record)
            if record["ok"]:
                break
            assert time.monotonic() < deadline, "Rasa kom seg ikke etter omstarten av PostgreSQL"
            time.sleep(1)
    result = compare(sent, stored_turns(db_url(stack, load_secrets(stack.var)), set(senders)))
    assert (result["missing_in_db"], result["reordered"]) == (0, 0), result
    for sender in senders:  # the turns before the restart are still there, ahead of the new one
        turns = stored_turns(db_url(stack, load_secrets(stack.var)), {sender})[sender]
        assert turns[:2] == ["hei", "hva er migrene"] and turns[-1] == "takk for hjelpen"


@pytest.mark.timeout(240)
def test_killing_one_rasa_server_under_load_only_fails_requests_in_flight_and_every_200_is_stored(stack):
    records, lock, stop = [], threading.Lock(), threading.Event()
    killed_at = []
    dialogue = ["hei", "hva er migrene", "kurs for kols i Ålesund", "hva er helvetesild", "takk"]

    def person():
        session = requests.Session()
        while not stop.is_set():
            sender = str(uuid.uuid4())
            for seq, text in enumerate(dialogue):
                if stop.is_set():
                    break
                began = time.time()
                try:
                    answer = session.post(
                        stack.url + "/webhooks/rest/webhook",
                        timeout=40,
                        json={"sender": sender, "message": text, "metadata": {"language": "nb"}},
                    )
                    ok = usable(answer.status_code, answer.json())
                except (requests.RequestException, ValueError):
                    ok = False
                with lock:
                    records.append({"sender": sender, "seq": seq, "text": text, "ok": ok, "sent": began, "done": time.time()})
                time.sleep(random.uniform(0.2, 0.8))

    threads = [threading.Thread(target=person, daemon=True) for _ in range(12)]
    for thread in threads:
        thread.start()
    time.sleep(15)
    victim = service(stack, "rasa-1")
    killed_at.append(time.time())
    os.kill(victim["pid"], signal.SIGKILL)
    time.sleep(30)
    stop.set()
    for thread in threads:
        thread.join(60)
    kill = killed_at[0]
    failed = [r for r in records if not r["ok"]]
    after = [r for r in records if r["sent"] > kill + 0.5]
    # Only requests in flight at the kill may fail (sent before it, answered after it). The next
    # message of such a conversation finds the killed server's ticket and lets it go once the
    # server's alive mark has expired (assistant/lock_store.py), within seconds.
    in_flight = [r for r in failed if r["sent"] <= kill + 0.5 <= r["done"] + 0.5]
    assert failed == in_flight, [r for r in failed if r not in in_flight]
    assert len(failed) <= 12
    interrupted = {r["sender"] for r in in_flight}
    resumed = [r for r in records if r["sender"] in interrupted and r["ok"] and r["sent"] > kill]
    assert all(r["done"] - r["sent"] < 15 for r in resumed), resumed
    print(f"in flight at the kill: {len(in_flight)}; later messages of those conversations answered: {len(resumed)}")
    # Whether the other server had to let a dead ticket go ("lever ikke; billett" in rasa-2.log)
    # depends on where the killed server was in its message (it may not have held the lock yet);
    # the mechanism itself is proven against a real Redis in tests/test_lock_store.py. Here it is
    # enough that the next messages came through in seconds (above).
    assert len([r for r in after if r["ok"]]) >= 20  # conversations went on through the other server
    result = compare(records, stored_turns(db_url(stack, load_secrets(stack.var)), {r["sender"] for r in records}))
    assert result["missing_in_db"] == 0 and result["reordered"] == 0, result
    wait_until(
        lambda: service(stack, "rasa-1")["alive"] and service(stack, "rasa-1")["restarts"] >= 1, 30, "rasa-1 startet igjen av veilederen"
    )


@pytest.mark.timeout(120)
def test_down_stops_every_process_and_the_supervisor(stack):
    pids = [item["pid"] for item in read_state(stack.var)["services"] if item["pid"]]
    result = prod(stack, "down")
    assert result.returncode == 0 and "Stoppet" in result.stdout
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split(")")[1][:3]
    assert not (stack.var / "supervisor.pid").exists()
    assert prod(stack, "status").returncode == 1
