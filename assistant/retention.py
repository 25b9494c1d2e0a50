"""Retention: conversations whose last event is older than the retention period are deleted."""

from __future__ import annotations

import os
import time

import sqlalchemy as sa
import yaml

from helseinfo.kernel.errors import HelseinfoError
from helseinfo.kernel.paths import PROJECT


def tracker_store_url(endpoints) -> str:
    """The SQLAlchemy URL of the tracker store configured in an endpoints file."""
    with open(endpoints, encoding="utf-8") as file:
        config = yaml.safe_load(file)["tracker_store"]
    if config.get("dialect", "sqlite") == "sqlite":
        return f"sqlite:///{PROJECT / config['db']}"
    env = os.environ
    try:
        return sa.engine.URL.create(
            "postgresql",
            username=env["HELSEINFO_DB_USER"],
            password=env.get("HELSEINFO_DB_PASSWORD"),
            host=env["HELSEINFO_DB_HOST"],
            port=int(env["HELSEINFO_DB_PORT"]),
            database=env["HELSEINFO_DB_NAME"],
        ).render_as_string(hide_password=False)
    except KeyError as exc:
        raise HelseinfoError(f"mangler miljøvariabelen {exc.args[0]} for PostgreSQL") from None


def purge_conversations(url: str, days: int, now: float | None = None) -> int:
    """Delete every conversation (sender) with no event in the last ``days`` days."""
    if days < 1:
        raise HelseinfoError("--days må være minst 1")
    cutoff = (now or time.time()) - days * 86400
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            if not sa.inspect(connection).has_table("events"):
                return 0
            old = (
                connection.execute(
                    sa.text("SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"), {"cutoff": cutoff}
                )
                .scalars()
                .all()
            )
            for sender in old:
                connection.execute(sa.text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender})
            return len(old)
    except sa.exc.SQLAlchemyError as exc:
        raise HelseinfoError(f"kunne ikke rydde samtaler: {exc.__class__.__name__}: {str(exc).splitlines()[0]}") from None
    finally:
        engine.dispose()
