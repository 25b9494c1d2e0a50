"""``helseinfo bench load``: the production profile under locust, with one and with two Rasa servers.

For each number of Rasa servers (1, then 2) the profile is started in its own folder
(``--out``/prod) with ``--pin``: Rasa server *i* and its action server are bound to core *i*
with ``taskset``; nginx, PostgreSQL, Redis and locust itself are not pinned and share both
cores. Then, each bounded to ``seconds``:

1. a closed-loop saturation run (``saturate`` conversations, no think time): messages/s is the
   capacity, and the ratio of the two is the scaling ratio;
2. a think-time run (``users`` conversations, 5–10 s between messages, 20 % of them sending
   their next message without waiting): the latency a person sees.

For each run: messages/s, p50/p95/p99, errors (anything but a usable 200: refused, failed,
timed out, or the "cannot answer right now" reply), emergencies answered without 113, turns
that got a usable 200 but are not in PostgreSQL, messages out of order within a conversation
(PostgreSQL's order against the order they were sent), and memory per process after the run.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from helseinfo.kernel.paths import PROJECT

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def stored_turns(url: str, senders: set[str]) -> dict[str, list[str]]:
    """The user texts PostgreSQL holds per conversation (by the SHA-256 Rasa knows it by), in order."""
    import sqlalchemy as sa

    ids = {hashlib.sha256(sender.encode("ascii")).hexdigest(): sender for sender in senders}
    turns: dict[str, list[str]] = {sender: [] for sender in senders}
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT sender_id, data FROM events WHERE type_name = 'user' ORDER BY id"))
            for sender_id, data in rows:
                if sender_id in ids:
                    turns[ids[sender_id]].append((json.loads(data).get("text") or "").strip())
    finally:
        engine.dispose()
    return turns


def compare(records: list[dict], turns: dict[str, list[str]]) -> dict:
    """Usable 200s missing from PostgreSQL, and messages stored in another order than sent."""
    missing = reordered = conversations_reordered = 0
    examples: list[dict] = []
    by_sender: dict[str, list[dict]] = {}
    for record in records:
        by_sender.setdefault(record["sender"], []).append(record)
    for sender, sent in by_sender.items():
        stored = list(turns.get(sender, []))
        expected = [r["text"] for r in sorted(sent, key=lambda r: r["seq"]) if r.get("ok")]
        remaining = list(stored)
        for text in expected:
            if text in remaining:
                remaining.remove(text)
            else:
                missing += 1
        # Order: the stored texts of usable turns, against the order they were sent in.
        kept = [text for text in stored if text in expected]
        wrong = sum(1 for a, b in zip(kept, [t for t in expected if t in kept]) if a != b)
        reordered += wrong
        conversations_reordered += bool(wrong)
        if wrong and len(examples) < 5:  # our own dialogue texts, never a person's
            examples.append(
                {
                    "sent": [
                        (r["seq"], r["text"], r.get("ok"), round(r.get("sent", 0) % 1000, 3)) for r in sorted(sent, key=lambda r: r["seq"])
                    ],
                    "stored": stored,
                }
            )
    return {
        "missing_in_db": missing,
        "reordered": reordered,
        "conversations_reordered": conversations_reordered,
        "reordered_examples": examples,
    }


def summarise(records: list[dict], seconds: float) -> dict:
    times = [r["ms"] for r in records if r.get("ok")]
    return {
        "messages": len(records),
        "per_s": round(len(records) / seconds, 1),
        "p50_ms": round(percentile(times, 0.50)),
        "p95_ms": round(percentile(times, 0.95)),
        "p99_ms": round(percentile(times, 0.99)),
        "errors": sum(1 for r in records if not r.get("ok")),
        "emergency_without_113": sum(1 for r in records if r.get("emergency_without_113")),
        "conversations": len({r["sender"] for r in records}),
    }


def run_locust(url: str, users: int, seconds: int, think: str, out: Path, label: str, echo: Callable) -> list[dict]:
    records = out / f"{label}.jsonl"
    records.unlink(missing_ok=True)
    env = {**os.environ, "HELSEINFO_LOAD_THINK": think, "HELSEINFO_LOAD_RECORDS": str(records), "HELSEINFO_LOAD_EAGER": "0.2"}
    command = [
        str(Path(sys.executable).with_name("locust")),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        url,
        "-u",
        str(users),
        "-r",
        str(max(1, users // 10)),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "30",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    echo(f"  locust: {users} samtaler, tenketid {think or '0'} s, {seconds} s ({label}) …")
    with open(out / f"{label}.locust.log", "wb") as log:
        subprocess.run(command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=seconds + 120)
    return [json.loads(line) for line in records.read_text(encoding="utf-8").splitlines() if line.strip()]


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def run_all(seconds: int, users: int, saturate: int, site: Path, out: Path, echo: Callable = print) -> dict:
    from helseinfo.prod import Profile, check, db_url, down, load_secrets, up

    out.mkdir(parents=True, exist_ok=True)
    results: dict = {"cores": os.cpu_count(), "uptime_before": uptime(), "runs": {}}
    echo(f"uptime: {results['uptime_before']}")
    for servers in (1, 2):
        var = out / f"prod-{servers}"
        down(var)
        profile = Profile(
            var=var,
            rasa=servers,
            port=8180,
            rasa_ports=[5305 + i for i in range(servers)],
            action_ports=[5355 + i for i in range(servers)],
            redis_port=6480,
            pg_port=5533,
            search_port=5399,
            pin=True,
            site=site,
            exempt=["127.0.0.1"],
        )
        echo(f"==> {servers} Rasa-server(e), hver bundet til én kjerne (taskset)")
        up(profile)
        try:
            url = db_url(profile, load_secrets(var))
            for kind, count, think in (("saturation", saturate, "0"), ("think", users, "5-10")):
                label = f"{servers}-{kind}"
                started = time.time()
                records = run_locust(profile.url, count, seconds, think, out, label, echo)
                elapsed = max(1.0, min(seconds, time.time() - started))
                row = summarise(records, elapsed)
                time.sleep(1)
                row.update(compare(records, stored_turns(url, {r["sender"] for r in records})))
                row["uptime"] = uptime()
                row["memory_mb"] = {r["name"]: r["rss_mb"] for r in check(profile)}
                results["runs"][label] = row
                echo(f"  {label}: {json.dumps(row, ensure_ascii=False)}")
        finally:
            down(var)
    one, two = results["runs"]["1-saturation"]["per_s"], results["runs"]["2-saturation"]["per_s"]
    results["scaling"] = round(two / one, 2) if one else None
    echo(f"skalering 2/1 Rasa-servere (lukket sløyfe): {results['scaling']}")
    (out / "result.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    echo(f"resultat: {out / 'result.json'}")
    return results
