"""``helseinfo prod up|status|down``: the production profile on one machine, on 127.0.0.1 only.

What runs, all under the project's supervisor (``assistant/supervisor.py``: restart with
back-off, health checks, the daily purge), not under systemd:

- PostgreSQL (Debian's binaries, its own data folder) with the redacting tracker store;
- Redis for Rasa's lock store (``deploy/endpoints.prod.yml``);
- N action servers and N Rasa servers (default 2), Rasa server *i* talking to action server *i*;
  with ``--pin`` each pair is bound to one core with ``taskset``;
- the search API (``helseinfo search-api``) when ``helseinfo build`` has published the search index;
- nginx in front: the built site (gzip, cache headers, the security headers and CSP that
  ``site_builder/security.py`` wrote into the site's ``_headers``), ``/api/search`` and
  ``/webhooks/rest/webhook`` with rate limits per address, the Rasa servers as one upstream
  keyed on the conversation (its ``sender``) so one conversation stays on one server while
  that server lives.

All state (configuration, secrets, data, logs, pid files) is under ``var/prod/`` (gitignored):
``profile.json`` (ports and options), ``secrets.json`` (0600), ``state.json`` (what the
supervisor last saw), ``logs/``, ``pg/``, ``redis/``, ``nginx/``, ``hold/``.
``up`` starts the supervisor in the background and waits until every process answers; ``status``
reports each process; ``down`` stops the supervisor, which stops nginx and the servers first and
PostgreSQL last. ``pause NAME`` / ``resume NAME`` stop one process and keep it stopped (the
fault tests and maintenance use them).
"""

from __future__ import annotations

import glob
import json
import logging
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import click

from helseinfo.cliutils import clean_errors
from helseinfo.kernel.errors import HelseinfoError
from helseinfo.kernel.paths import PROJECT

VAR = PROJECT / "var" / "prod"
ENDPOINTS = PROJECT / "deploy" / "endpoints.prod.yml"
#: Debian package → the program ``up`` needs from it.
DEBIAN = {"nginx": "/usr/sbin/nginx", "redis-server": "/usr/bin/redis-server", "postgresql": "/usr/lib/postgresql/*/bin/postgres"}
#: Rate limits per client address (nginx ``limit_req``): requests per second and burst.
ASSISTANT_RATE, ASSISTANT_BURST = 5, 30
SEARCH_RATE, SEARCH_BURST = 10, 50

logger = logging.getLogger("helseinfo.prod")


@dataclass
class Profile:
    var: Path = VAR
    rasa: int = 2
    port: int = 8080
    rasa_ports: list = field(default_factory=list)
    action_ports: list = field(default_factory=list)
    redis_port: int = 6380
    pg_port: int = 5433
    search_port: int = 5006
    pin: bool = False
    site: Path = PROJECT / "site"
    exempt: list = field(default_factory=list)
    days: int = 90

    def __post_init__(self):
        self.var, self.site = Path(self.var), Path(self.site)
        self.rasa_ports = self.rasa_ports or [5105 + i for i in range(self.rasa)]
        self.action_ports = self.action_ports or [5155 + i for i in range(self.rasa)]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def save(self) -> None:
        self.var.mkdir(parents=True, exist_ok=True)
        os.chmod(self.var, 0o755)
        data = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(self).items()}
        (self.var / "profile.json").write_text(json.dumps(data, indent=2), encoding="utf-8")

    @classmethod
    def load(cls, var: Path) -> Profile:
        path = Path(var) / "profile.json"
        if not path.is_file():
            raise HelseinfoError(f"{path}: fant ingen produksjonsprofil; kjør 'helseinfo prod up' først")
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def load_secrets(var: Path) -> dict[str, str]:
    """The profile's passwords and action token, made once and kept 0600 in ``secrets.json``."""
    path = Path(var) / "secrets.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    values = {name: secrets.token_urlsafe(24) for name in ("db_password", "redis_password", "action_token")}
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(values, out)
    return values


# --- installation -----------------------------------------------------------------------------


def missing_packages() -> list[str]:
    return [package for package, program in DEBIAN.items() if not glob.glob(program)]


def ensure_installed() -> None:
    """Install nginx, redis-server and PostgreSQL from Debian when missing (as root)."""
    missing = missing_packages()
    if not missing:
        return
    if os.geteuid() != 0:
        raise HelseinfoError(f"mangler {' '.join(missing)}; installer som root: apt-get install {' '.join(missing)}")
    click.echo(f"==> Installerer {' '.join(missing)} fra Debian", err=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True, env=env)
    for leftover in ("nginx", "redis-server"):  # Debian's own instances, if its scripts started them
        subprocess.run(["service", leftover, "stop"], capture_output=True)


def pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not found:
        raise HelseinfoError("PostgreSQL er ikke installert")
    return Path(found[-1])


def as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: its programs run as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


# --- configuration files ------------------------------------------------------------------------


def nginx_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def nginx_conf(profile: Profile, search: bool) -> str:
    """nginx's configuration: the site, the search API and the assistant, on 127.0.0.1."""
    from assistant import guard_responses
    from site_builder.security import read_headers

    var = profile.var
    headers = read_headers(profile.site)  # the CSP and the rest, as the build wrote them
    header_lines = "".join(f"    add_header {name} {nginx_string(value)} always;\n" for name, value in headers.items())
    unavailable = json.dumps({"error": "unavailable", "message": guard_responses.text("unavailable", "nb")}, ensure_ascii=False)
    limited = json.dumps(
        {
            "error": "rate_limited",
            "message": "For mange meldinger på kort tid; vent litt. " + guard_responses.text("unavailable", "nb").split(". ", 1)[1],
        },
        ensure_ascii=False,
    )
    exempt = "".join(f"        {address} 0;\n" for address in profile.exempt)
    upstream = "".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;\n" for port in profile.rasa_ports)
    user = "user www-data www-data;\n" if os.geteuid() == 0 else ""
    temp = "".join(f"    {kind}_temp_path {var}/nginx/tmp/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    search_location = (
        f"""        location /api/search {{
            limit_req zone=search burst={SEARCH_BURST} nodelay;
            proxy_pass http://127.0.0.1:{profile.search_port};
            proxy_connect_timeout 2s;
            proxy_read_timeout 10s;
            proxy_intercept_errors on;
            error_page 502 503 504 = @search_down;
            error_page 429 = @rate_limited;
            add_header Cache-Control "no-store" always;
{header_lines}        }}
"""
        if search
        else """        location /api/search {
            return 503 '{"error": "unavailable", "message": "Søket er ikke i gang."}';
        }
"""
    )
    return f"""# Written by helseinfo/prod.py at every 'helseinfo prod up'; do not edit.
worker_processes 1;
{user}pid {var}/nginx/nginx.pid;
error_log {var}/logs/nginx-error.log warn;
events {{ worker_connections 2048; }}
http {{
    include /etc/nginx/mime.types;
    types {{ application/manifest+json webmanifest; }}
    default_type application/octet-stream;
    charset utf-8;
    charset_types application/json application/javascript text/css text/plain application/xml;
    server_tokens off;
    sendfile on;
    keepalive_timeout 30s;
    # No request bodies and no query strings in the log: only the path.
    log_format plain '$remote_addr [$time_local] "$request_method $uri" $status $body_bytes_sent $request_time $upstream_addr';
    access_log {var}/logs/nginx-access.log plain;
{temp}
    gzip on;
    gzip_comp_level 5;
    gzip_min_length 256;
    gzip_vary on;
    gzip_proxied any;
    gzip_types text/css text/plain text/xml application/javascript application/json application/xml image/svg+xml application/manifest+json;

    # Rate limits per client address; addresses in the profile's exempt list (load tests) have none.
    geo $limited {{
        default 1;
{exempt}    }}
    map $limited $limit_key {{
        0 "";
        1 $binary_remote_addr;
    }}
    limit_req_zone $limit_key zone=assistant:10m rate={ASSISTANT_RATE}r/s;
    limit_req_zone $limit_key zone=search:10m rate={SEARCH_RATE}r/s;
    limit_req_status 429;

    # The channel refuses bodies over 16 KB itself with a JSON 413; nginx reads up to 64 KB into
    # memory, so the sender can be read from the body below.
    client_max_body_size 64k;
    client_body_buffer_size 64k;
    map $request_body $conversation {{
        "~\\"sender\\"\\s*:\\s*\\"(?<sender>[0-9A-Fa-f-]{{36}})\\"" $sender;
        default $remote_addr;
    }}
    # One conversation goes to one Rasa server while it lives (its messages stay in order);
    # Rasa's Redis lock store keeps them in order when they move to another server.
    upstream rasa {{
        hash $conversation consistent;
{upstream}        keepalive 32;
    }}

    server {{
        listen 127.0.0.1:{profile.port};
        server_name localhost;
        root {profile.site};
        error_page 404 /404.html;

        location = /webhooks/rest/webhook {{
            limit_req zone=assistant burst={ASSISTANT_BURST} nodelay;
            proxy_pass http://rasa;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
            # A request not yet sent goes to the next server; one already sent (POST) is never
            # sent twice: only requests in flight on a server that dies can fail.
            proxy_next_upstream error timeout;
            proxy_intercept_errors on;
            error_page 502 503 504 = @assistant_down;
            error_page 429 = @rate_limited;
            add_header Cache-Control "no-store" always;
{header_lines}        }}
{search_location}        location @assistant_down {{
            default_type application/json;
            add_header Cache-Control "no-store" always;
            return 503 {nginx_string(unavailable)};
        }}
        location @search_down {{
            default_type application/json;
            return 503 '{{"error": "unavailable", "message": "Søket svarer ikke akkurat nå."}}';
        }}
        location @rate_limited {{
            default_type application/json;
            add_header Retry-After 5 always;
            return 429 {nginx_string(limited)};
        }}
        location = /healthz {{
            access_log off;
            default_type text/plain;
            return 200 'ok';
        }}
        location = /_headers {{
            return 404;
        }}
        # Files whose name carries a content hash never change: a year, immutable.
        location ~* "\\.[0-9a-f]{{8,}}\\.min\\.(js|css)$" {{
            add_header Cache-Control "public, max-age=31536000, immutable" always;
{header_lines}        }}
        # Pages, the widget and data files are checked again at every visit (ETag, 304).
        location ~* "(\\.html|\\.json|\\.xml|\\.js|/)$" {{
            add_header Cache-Control "no-cache" always;
{header_lines}        }}
        location / {{
            add_header Cache-Control "public, max-age=3600" always;
{header_lines}        }}
    }}
}}
"""


def rasa_endpoints(profile: Profile, index: int) -> Path:
    from assistant.cli import runtime_endpoints

    return runtime_endpoints(ENDPOINTS, profile.action_ports[index], profile.var / f"endpoints.rasa-{index + 1}.yml")


def has_search_index() -> bool:
    """The search API needs the index ``helseinfo build`` publishes beside the site; without it
    the service would only restart over and over, so it is not started."""
    from search_index.schema import DEFAULT_INDEX, PLACES_FILE

    return (DEFAULT_INDEX / PLACES_FILE).is_file()


def db_url(profile: Profile, values: dict[str, str]) -> str:
    import sqlalchemy as sa

    return sa.engine.URL.create(
        "postgresql", username="helseinfo", password=values["db_password"], host="127.0.0.1", port=profile.pg_port, database="samtaler"
    ).render_as_string(hide_password=False)


# --- the processes --------------------------------------------------------------------------------


def services(profile: Profile, search: bool):
    """Every process of the profile in start order (the supervisor's ``Service``)."""
    from assistant.cli import action_env, rasa_env, server_commands
    from assistant.supervisor import Service

    var, values, logs = profile.var, load_secrets(profile.var), profile.var / "logs"
    cpus = os.cpu_count() or 1
    result = [
        Service(
            "postgresql",
            as_postgres(
                [
                    str(pg_bin() / "postgres"),
                    "-D",
                    str(var / "pg" / "data"),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-p",
                    str(profile.pg_port),
                    "-k",
                    str(var / "pg" / "data"),
                ]
            ),
            dict(os.environ),
            log=logs / "postgresql.log",
        ),
        Service("redis", ["/usr/bin/redis-server", str(var / "redis" / "redis.conf")], dict(os.environ), log=logs / "redis.log"),
    ]
    common = {"HELSEINFO_ACTION_TOKEN": values["action_token"]}
    database = {
        "HELSEINFO_DB_HOST": "127.0.0.1",
        "HELSEINFO_DB_PORT": str(profile.pg_port),
        "HELSEINFO_DB_NAME": "samtaler",
        "HELSEINFO_DB_USER": "helseinfo",
        "HELSEINFO_DB_PASSWORD": values["db_password"],
        "HELSEINFO_REDIS_HOST": "127.0.0.1",
        "HELSEINFO_REDIS_PORT": str(profile.redis_port),
        "HELSEINFO_REDIS_PASSWORD": values["redis_password"],
        "HELSEINFO_SITE_URL": profile.url + "/",
        # A ticket of a server that is alive but hung is let go after this many seconds (Rasa's
        # default is 60, longer than nginx waits); a dead server's within seconds (lock_store.py).
        "TICKET_LOCK_LIFETIME": "20",
    }
    for i in range(profile.rasa):
        actions, rasa = server_commands(profile.rasa_ports[i], profile.action_ports[i], profile.url, rasa_endpoints(profile, i))
        pin = ["taskset", "-c", str(i % cpus)] if profile.pin else []
        result.append(
            Service(
                f"actions-{i + 1}",
                pin + actions,
                {**action_env(), **common, "HELSEINFO_SITE_URL": profile.url + "/"},
                log=logs / f"actions-{i + 1}.log",
                health_url=f"http://127.0.0.1:{profile.action_ports[i]}/health",
                health_timeout=10,
            )
        )  # busy is not hung: 3 checks × 10 s before a restart
    for i in range(profile.rasa):
        actions, rasa = server_commands(profile.rasa_ports[i], profile.action_ports[i], profile.url, rasa_endpoints(profile, i))
        pin = ["taskset", "-c", str(i % cpus)] if profile.pin else []
        result.append(
            Service(
                f"rasa-{i + 1}",
                pin + rasa,
                {**rasa_env(), **common, **database},
                log=logs / f"rasa-{i + 1}.log",
                health_url=f"http://127.0.0.1:{profile.rasa_ports[i]}/",
                health_timeout=10,
            )
        )
    if search:
        result.append(
            Service(
                "search-api",
                [sys.executable, "-m", "helseinfo.cli", "search-api", "--host", "127.0.0.1", "--port", str(profile.search_port)],
                dict(os.environ),
                log=logs / "search-api.log",
            )
        )
    result.append(
        Service(
            "nginx",
            ["/usr/sbin/nginx", "-p", str(var / "nginx"), "-c", str(var / "nginx" / "nginx.conf"), "-g", "daemon off;"],
            dict(os.environ),
            log=logs / "nginx.log",
            health_url=f"{profile.url}/healthz",
        )
    )
    return result


def prepare(profile: Profile, search: bool) -> None:
    """Folders, secrets, and the configuration files of PostgreSQL, Redis and nginx."""
    var, values = profile.var, load_secrets(profile.var)
    for sub in ("logs", "hold", "redis", "pg", "nginx/tmp"):
        (var / sub).mkdir(parents=True, exist_ok=True)
    data = var / "pg" / "data"
    if not (data / "PG_VERSION").is_file():
        data.mkdir(parents=True, exist_ok=True)
        pwfile = var / "pg" / "pw"
        pwfile.write_text(values["db_password"] + "\n", encoding="utf-8")
        if os.geteuid() == 0:
            for path in (var / "pg", data, pwfile):
                shutil.chown(path, "postgres")
        os.chmod(data, 0o700)
        try:
            subprocess.run(
                as_postgres(
                    [
                        str(pg_bin() / "initdb"),
                        "-D",
                        str(data),
                        "-U",
                        "helseinfo",
                        "-E",
                        "UTF8",
                        "--auth-host=scram-sha-256",
                        "--auth-local=peer",
                        f"--pwfile={pwfile}",
                    ]
                ),
                check=True,
                capture_output=True,
            )
        except subprocess.CalledProcessError as exc:
            raise HelseinfoError(f"initdb feilet: {exc.stderr.decode(errors='replace').strip()[-300:]}") from None
        finally:
            pwfile.unlink(missing_ok=True)
    conf = var / "redis" / "redis.conf"
    fd = os.open(conf, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        # Locks only: nothing is written to disk, and nothing survives a restart (nor needs to).
        out.write(
            f'bind 127.0.0.1\nport {profile.redis_port}\nprotected-mode yes\ndaemonize no\nsave ""\n'
            f"appendonly no\ndir {var / 'redis'}\nrequirepass {values['redis_password']}\nmaxmemory 64mb\n"
        )
    if os.geteuid() == 0:
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (var / "nginx" / "tmp" / kind).mkdir(exist_ok=True)
            shutil.chown(var / "nginx" / "tmp" / kind, "www-data")
    (var / "nginx" / "nginx.conf").write_text(nginx_conf(profile, search), encoding="utf-8")
    result = subprocess.run(
        ["/usr/sbin/nginx", "-t", "-q", "-p", str(var / "nginx"), "-c", str(var / "nginx" / "nginx.conf")], capture_output=True, text=True
    )
    if result.returncode != 0:
        raise HelseinfoError(f"nginx-konfigurasjonen er ugyldig: {result.stderr.strip()}")


def wait_postgres(profile: Profile, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while (
        subprocess.run([str(pg_bin() / "pg_isready"), "-h", "127.0.0.1", "-p", str(profile.pg_port)], capture_output=True).returncode != 0
    ):
        if time.monotonic() > deadline:
            raise HelseinfoError("PostgreSQL startet ikke; se var/prod/logs/postgresql.log")
        time.sleep(0.3)


def ensure_database(profile: Profile) -> None:
    values = load_secrets(profile.var)
    env = {**os.environ, "PGPASSWORD": values["db_password"]}
    base = ["-h", "127.0.0.1", "-p", str(profile.pg_port), "-U", "helseinfo"]
    found = subprocess.run(
        [str(pg_bin() / "psql"), *base, "-d", "postgres", "-tAc", "SELECT 1 FROM pg_database WHERE datname = 'samtaler'"],
        env=env,
        capture_output=True,
        text=True,
    )
    if found.stdout.strip() != "1":
        subprocess.run([str(pg_bin() / "createdb"), *base, "samtaler"], env=env, check=True, capture_output=True)


def wait_redis(profile: Profile, seconds: float = 30) -> None:
    import redis

    client = redis.Redis(host="127.0.0.1", port=profile.redis_port, password=load_secrets(profile.var)["redis_password"], socket_timeout=1)
    deadline = time.monotonic() + seconds
    while True:
        try:
            client.ping()
            return
        except redis.RedisError:
            if time.monotonic() > deadline:
                raise HelseinfoError("Redis startet ikke; se var/prod/logs/redis.log") from None
            time.sleep(0.3)


def stop_signal(name: str) -> int:
    # PostgreSQL's fast shutdown (SIGINT) ends open sessions; SIGTERM would wait for them.
    return signal.SIGINT if name == "postgresql" else (signal.SIGQUIT if name == "nginx" else signal.SIGTERM)


def write_state(profile: Profile, supervised: list, started: float) -> None:
    state = {
        "supervisor": os.getpid(),
        "started": started,
        "updated": time.time(),
        "services": [
            {
                "name": s.name,
                "pid": s.process.pid if s.process else None,
                "alive": s.alive(),
                "restarts": s.restarts,
                "last_exit": s.history[-1] if s.history else None,
                "health_url": s.health_url,
                "paused": (profile.var / "hold" / s.name).exists(),
            }
            for s in supervised
        ],
    }
    tmp = profile.var / "state.json.tmp"
    tmp.write_text(json.dumps(state, indent=2), encoding="utf-8")
    tmp.replace(profile.var / "state.json")


def apply_holds(profile: Profile, supervised: list) -> None:
    """``pause NAME``: stop the process and keep it stopped; ``resume NAME``: start it again."""
    for service in supervised:
        held = (profile.var / "hold" / service.name).exists()
        if held and service.restart_at != float("inf"):
            if service.alive():
                logger.warning("%s settes på pause (stoppes og holdes stoppet)", service.name)
                service.kill(stop_signal(service.name))
                try:
                    service.process.wait(20)
                except subprocess.TimeoutExpired:
                    service.kill(signal.SIGKILL)
                    service.process.wait(5)
            service.restart_at = float("inf")
        elif not held and service.restart_at == float("inf"):
            logger.warning("%s fortsetter etter pause", service.name)
            service.restart_at, service.quick_deaths = time.monotonic(), 0


def supervise(profile: Profile) -> None:
    """The supervisor process (``helseinfo prod run``): start in order, keep up, stop in order."""
    from assistant.redact import install_log_redaction
    from assistant.retention import purge_conversations
    from assistant.supervisor import Supervisor

    install_log_redaction()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    search = has_search_index()
    if not search:
        logger.warning("Søkeindeksen er ikke utgitt ennå (helseinfo build); /api/search svarer 503 til profilen startes på nytt")
    prepare(profile, search)
    supervised = services(profile, search)
    url = db_url(profile, load_secrets(profile.var))
    supervisor = Supervisor(supervised, purge=lambda: purge_conversations(url, profile.days), check_every=1.0)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    started = time.time()
    try:
        for service in supervised:
            if stop.is_set():
                break
            service.start()
            logger.info("%s startet (pid %d)", service.name, service.process.pid)
            write_state(profile, supervised, started)
            if service.name == "postgresql":
                wait_postgres(profile)
                ensure_database(profile)
            elif service.name == "redis":
                wait_redis(profile)
        while not stop.is_set():
            apply_holds(profile, supervised)
            supervisor.step()
            write_state(profile, supervised, started)
            stop.wait(supervisor.check_every)
    finally:
        for service in reversed(supervised):  # nginx first, PostgreSQL last
            service.restart_at = None
            if service.alive():
                service.kill(stop_signal(service.name))
                try:
                    service.process.wait(20)
                except subprocess.TimeoutExpired:
                    service.kill(signal.SIGKILL)
            logger.info("%s stoppet", service.name)
        write_state(profile, supervised, started)
        (profile.var / "supervisor.pid").unlink(missing_ok=True)


# --- up, status, down -----------------------------------------------------------------------------


def supervisor_pid(var: Path) -> int | None:
    path = Path(var) / "supervisor.pid"
    try:
        pid = int(path.read_text())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def read_state(var: Path) -> dict:
    try:
        return json.loads((Path(var) / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"services": []}


def check(profile: Profile) -> list[dict]:
    """Each process: pid, whether it runs, whether it answers, restarts so far."""
    import requests

    rows = []
    for item in read_state(profile.var).get("services", []):
        answers = None
        if item["alive"] and item["health_url"]:
            try:
                answers = requests.get(item["health_url"], timeout=5).status_code < 500
            except requests.RequestException:
                answers = False
        elif item["alive"] and item["name"] == "postgresql":
            answers = (
                subprocess.run(
                    [str(pg_bin() / "pg_isready"), "-h", "127.0.0.1", "-p", str(profile.pg_port)], capture_output=True
                ).returncode
                == 0
            )
        elif item["alive"] and item["name"] == "redis":
            import redis

            try:
                answers = redis.Redis(
                    host="127.0.0.1", port=profile.redis_port, socket_timeout=2, password=load_secrets(profile.var)["redis_password"]
                ).ping()
            except redis.RedisError:
                answers = False
        elif item["alive"]:
            answers = True
        rss = None
        if item["alive"] and item["pid"]:
            rss = process_tree_rss_mb(item["pid"])
        rows.append({**item, "answers": answers, "rss_mb": rss})
    return rows


def process_tree_rss_mb(pid: int) -> int | None:
    """Resident memory of a process and its descendants (MB), from /proc."""
    children: dict[int, list[int]] = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = Path(stat).read_text()
            parent = int(text.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(stat.split("/")[2]))
        except (OSError, ValueError, IndexError):
            continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS"):
                    total += int(line.split()[1])
        except OSError:
            continue
        todo.extend(children.get(current, []))
    return total // 1024 if total else None


def up(profile: Profile, timeout: float = 600) -> None:
    from assistant.cli import MODEL

    if supervisor_pid(profile.var):
        raise HelseinfoError(f"produksjonsprofilen kjører allerede ({profile.var}); 'helseinfo prod down' først")
    ensure_installed()
    if not MODEL.is_file():
        raise HelseinfoError(f"{MODEL}: fant ingen modell; kjør 'helseinfo assistant train' først")
    if not (profile.site / "index.html").is_file():
        raise HelseinfoError(
            f"{profile.site}: fant ikke et bygget nettsted; kjør 'HELSEINFO_ASSISTANT_URL={profile.url} helseinfo build' først"
        )
    profile.save()
    for stale in (profile.var / "hold").glob("*") if (profile.var / "hold").is_dir() else ():
        stale.unlink()
    (profile.var / "state.json").unlink(missing_ok=True)
    (profile.var / "logs").mkdir(parents=True, exist_ok=True)
    log = open(profile.var / "logs" / "supervisor.log", "ab")  # noqa: SIM115 (closed once the child has it)
    process = subprocess.Popen(
        [sys.executable, "-m", "helseinfo.prod", "run", "--var", str(profile.var)],
        cwd=PROJECT,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    log.close()
    (profile.var / "supervisor.pid").write_text(str(process.pid))
    started, last = time.monotonic(), 0.0
    expected = 2 + 2 * profile.rasa + 1
    while True:
        if process.poll() is not None:
            raise HelseinfoError(f"veilederen stoppet (status {process.returncode}); se {profile.var}/logs/supervisor.log")
        rows = check(profile)
        ready = [row["name"] for row in rows if row["answers"]]
        if len(rows) >= expected and len(ready) == len(rows):
            break
        if time.monotonic() - last >= 10:
            last = time.monotonic()
            click.echo(
                f"  {time.monotonic() - started:4.0f} s: svarer {len(ready)}/{max(expected, len(rows))}"
                f" ({', '.join(ready) or 'ingen ennå'})",
                err=True,
            )
        if time.monotonic() - started > timeout:
            raise HelseinfoError(f"profilen svarte ikke innen {timeout:.0f} s; se {profile.var}/logs/")
        time.sleep(1)
    click.echo(
        f"Produksjonsprofilen kjører ({time.monotonic() - started:.0f} s): nettstedet {profile.url}/, "
        f"assistenten {profile.url}/webhooks/rest/webhook, søket {profile.url}/api/search"
    )


def down(var: Path, timeout: float = 90) -> bool:
    """Stop the supervisor (which stops everything in order); True if something was running."""
    pid = supervisor_pid(var)
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            break
        time.sleep(0.5)
    else:
        os.killpg(pid, signal.SIGKILL)
    (Path(var) / "supervisor.pid").unlink(missing_ok=True)
    return True


# --- the command line ----------------------------------------------------------------------------

var_option = click.option(
    "--var",
    "var",
    type=click.Path(file_okay=False, path_type=Path),
    default=VAR,
    show_default=True,
    help="Mappen for profilens tilstand, data og logger.",
)


@click.group()
def prod():
    """Produksjonsprofilen på 127.0.0.1: nginx, to Rasa-servere, Redis, PostgreSQL, under veilederen."""


@prod.command("up")
@var_option
@click.option("--rasa", "rasa_count", default=2, show_default=True, help="Antall Rasa-servere (hver med sin handlingsserver).")
@click.option("--port", default=8080, show_default=True, help="nginx' port på 127.0.0.1.")
@click.option("--pin", is_flag=True, help="Bind Rasa-server nr. i og dens handlingsserver til kjerne i (taskset).")
@click.option("--site", type=click.Path(file_okay=False, path_type=Path), default=PROJECT / "site", show_default=True)
@click.option("--exempt", multiple=True, help="Adresse uten hastighetsgrense (bare for lasttester).")
@click.option("--days", default=90, show_default=True, help="Oppbevaringstiden for samtaler (dager).")
@click.option("--base-port", default=None, type=int, help="Første port for Rasa, handlingsservere, Redis, PostgreSQL og søket.")
@click.option("--timeout", default=600, show_default=True)
@clean_errors
def up_command(var, rasa_count, port, pin, site, exempt, days, base_port, timeout):
    """Installer det som mangler, start alt og vent til hver prosess svarer."""
    ports = {}
    if base_port:
        ports = {
            "rasa_ports": [base_port + i for i in range(rasa_count)],
            "action_ports": [base_port + 20 + i for i in range(rasa_count)],
            "redis_port": base_port + 40,
            "pg_port": base_port + 41,
            "search_port": base_port + 42,
        }
    up(Profile(var=var, rasa=rasa_count, port=port, pin=pin, site=site.resolve(), exempt=list(exempt), days=days, **ports), timeout)


@prod.command("status")
@var_option
@clean_errors
def status_command(var):
    """Hver prosess: pid, om den kjører og svarer, minne, omstarter."""
    profile = Profile.load(var)
    pid = supervisor_pid(var)
    click.echo(f"veileder: {'pid ' + str(pid) if pid else 'kjører ikke'}  ({profile.url})")
    rows = check(profile) if pid else []
    for row in rows:
        state = "pause" if row["paused"] else ("svarer" if row["answers"] else ("kjører, svarer ikke" if row["alive"] else "nede"))
        click.echo(
            f"  {row['name']:<12} pid {row['pid'] or '-':>7}  {state:<20} {row['rss_mb'] or '-':>6} MB  "
            f"omstarter {row['restarts']}" + (f"  (sist: {row['last_exit']})" if row["last_exit"] else "")
        )
    sys.exit(0 if pid and rows and all(row["answers"] for row in rows) else 1)


@prod.command("down")
@var_option
@clean_errors
def down_command(var):
    """Stopp alt: nginx og serverne først, PostgreSQL sist."""
    click.echo("Stoppet." if down(var) else "Produksjonsprofilen kjørte ikke.")


@prod.command("pause")
@var_option
@click.argument("name")
def pause_command(var, name):
    """Stopp én prosess og hold den stoppet (vedlikehold, feiltester)."""
    (Path(var) / "hold").mkdir(parents=True, exist_ok=True)
    (Path(var) / "hold" / name).touch()


@prod.command("resume")
@var_option
@click.argument("name")
def resume_command(var, name):
    """Start en prosess satt på pause igjen."""
    (Path(var) / "hold" / name).unlink(missing_ok=True)


@prod.command("run", hidden=True)
@var_option
def run_command(var):
    """Veilederen selv (startes av 'up')."""
    supervise(Profile.load(var))


@click.command("load")
@click.option("--seconds", default=60, show_default=True, help="Varighet for hver kjøring.")
@click.option("--users", default=100, show_default=True, help="Samtaler samtidig med 5–10 s tenketid.")
@click.option("--saturate", default=24, show_default=True, help="Samtaler samtidig i lukket sløyfe (uten tenketid).")
@click.option("--site", type=click.Path(file_okay=False, path_type=Path), default=PROJECT / "site", show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=PROJECT / "var" / "bench-load", show_default=True)
@clean_errors
def bench_load(seconds, users, saturate, site, out):
    """Lasttest av produksjonsprofilen med locust: én og to Rasa-servere, hver bundet til én kjerne."""
    from benchmarks.load import run_all

    run_all(seconds=seconds, users=users, saturate=saturate, site=site.resolve(), out=out.resolve(), echo=click.echo)


if __name__ == "__main__":  # pragma: no cover
    prod()
