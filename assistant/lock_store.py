"""Rasa's Redis lock store, where the tickets of a Rasa server that has died are let go at once.

Rasa's lock store keeps one conversation's messages in order across Rasa servers: each message
takes a ticket and waits until the tickets before it are done. A ticket records only when it
expires (``TICKET_LOCK_LIFETIME``), so when a server is killed while it holds a ticket, the
conversation's next message waits out the rest of that lifetime on the other server, long
enough for the widget or nginx to give up.

Here every server marks itself alive in Redis (a key with a short expiry, renewed by a thread
every second) and records which server holds each ticket. A message that waits, and finds that
the server holding a ticket before it is no longer alive, removes that ticket and goes on. A
server that is alive but slow keeps its tickets for their whole lifetime, as in Rasa.

In ``deploy/endpoints.prod.yml``: ``lock_store: type: assistant.lock_store.OwnedRedisLockStore``
with Rasa's own Redis lock store settings.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
import uuid
from typing import Any

from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore

logger = logging.getLogger(__name__)

#: A server counts as dead this many seconds after it last renewed its mark.
ALIVE_SECONDS = 4
#: How often a server renews its mark.
HEARTBEAT_SECONDS = 1.0


class OwnedRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose tickets name the server that holds them (see the module)."""

    def __init__(self, endpoint_config: Any = None, heartbeat: bool = True, **kwargs: Any) -> None:
        if endpoint_config is not None:  # as Rasa creates a lock store named by its module path
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)
        self.owner = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._stop = threading.Event()
        self.mark_alive()
        if heartbeat:
            threading.Thread(target=self._beat, name="lock-store-heartbeat", daemon=True).start()

    # -- keys ------------------------------------------------------------------------------------

    def _alive_key(self, owner: str) -> str:
        return f"{self.key_prefix}alive:{owner}"

    def _owner_key(self, conversation_id: str, ticket: int) -> str:
        return f"{self.key_prefix}owner:{conversation_id}:{ticket}"

    # -- being alive -----------------------------------------------------------------------------

    def mark_alive(self) -> None:
        try:
            self.red.set(self._alive_key(self.owner), 1, ex=ALIVE_SECONDS)
        except Exception as error:  # noqa: BLE001 (Redis down: the lock store itself reports it)
            logger.debug("Kunne ikke fornye låselagerets livstegn: %s", error)

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_SECONDS):
            self.mark_alive()

    def stop(self) -> None:
        """Stop renewing the mark (tests: a server that has died)."""
        self._stop.set()
        self.red.delete(self._alive_key(self.owner))

    # -- tickets ---------------------------------------------------------------------------------

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        ticket = super().issue_ticket(conversation_id, lock_lifetime)
        try:
            self.red.set(self._owner_key(conversation_id, ticket), self.owner, ex=math.ceil(lock_lifetime) + 1)
        except Exception as error:  # noqa: BLE001 (without an owner the ticket's lifetime rules, as in Rasa)
            logger.debug("Kunne ikke merke billetten med eieren: %s", error)
        return ticket

    def update_lock(self, conversation_id: str) -> None:
        """Rasa's update (expired tickets removed), and the tickets of dead servers removed."""
        lock = self.get_lock(conversation_id)
        if not lock:
            return
        lock.remove_expired_tickets()
        for ticket in list(lock.tickets):
            owner = self.red.get(self._owner_key(conversation_id, ticket.number))
            if owner is None:
                continue  # issued an instant ago, or by a server without owners: its lifetime rules
            name = owner.decode() if isinstance(owner, bytes) else str(owner)
            if name != self.owner and not self.red.exists(self._alive_key(name)):
                logger.warning("Samtale %s: Rasa-serveren %s lever ikke; billett %s frigis", conversation_id[:8], name, ticket.number)
                lock.remove_ticket_for(ticket.number)
                self.red.delete(self._owner_key(conversation_id, ticket.number))
        self.save_lock(lock)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        super().finish_serving(conversation_id, ticket_number)
        self.red.delete(self._owner_key(conversation_id, ticket_number))
