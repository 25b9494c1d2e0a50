"""Portal deep links from one configuration file that is also the allow-list."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from helseinfo.kernel.errors import HelseinfoError

ROUTES_FILE = Path(__file__).with_name("portal_routes.yml")
LANGUAGES = ("nb", "nn", "en")


@dataclass(frozen=True)
class Route:
    task: str
    path: str
    title: dict
    answer: dict


@lru_cache(maxsize=4)
def load_routes(path: Path = ROUTES_FILE) -> dict[str, Route]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        routes = {}
        for task, item in data["routes"].items():
            if not str(item["path"]).startswith("/") or "//" in item["path"] or ":" in item["path"]:
                raise HelseinfoError(f"{path}: routes.{task}.path: forventet en sti som starter med '/'")
            for key in ("title", "answer"):
                if set(item[key]) != set(LANGUAGES):
                    raise HelseinfoError(f"{path}: routes.{task}.{key}: forventet tekst på nb, nn og en")
            routes[task] = Route(task, item["path"], item["title"], item["answer"])
        return routes
    except (OSError, KeyError, TypeError, yaml.YAMLError) as exc:
        raise HelseinfoError(f"{path}: ugyldig rutefil ({exc})") from None


def base_url(path: Path = ROUTES_FILE) -> str:
    configured = os.environ.get("HELSEINFO_PORTAL_URL")
    if configured:
        return configured.rstrip("/")
    return _file_base_url(path)


@lru_cache(maxsize=4)
def _file_base_url(path: Path) -> str:
    """Read once per process: parsing the file on every link was a fifth of the action server's time."""
    return str(yaml.safe_load(path.read_text(encoding="utf-8"))["base_url"]).rstrip("/")


def link(task: str) -> str:
    """The portal address of a task. Only tasks in the allow-list have one."""
    routes = load_routes()
    if task not in routes:
        raise KeyError(f"ukjent portaloppgave: {task}")
    return base_url() + routes[task].path
