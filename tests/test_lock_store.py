"""The lock store of the production profile (assistant/lock_store.py) against a real Redis."""

from __future__ import annotations

import asyncio
import subprocess
import time
import uuid

import pytest
import redis

from assistant.lock_store import ALIVE_SECONDS, OwnedRedisLockStore
from tests.services import free_port


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory):
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    deadline = time.time() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.time() < deadline, "redis-server startet ikke"
            time.sleep(0.1)
    yield port
    server.terminate()
    server.wait(10)


def store(port: int, heartbeat: bool = True) -> OwnedRedisLockStore:
    return OwnedRedisLockStore(host="127.0.0.1", port=port, key_prefix="test", heartbeat=heartbeat)


async def acquired_within(lock_store: OwnedRedisLockStore, conversation: str, seconds: float) -> bool:
    """Whether a new message of the conversation gets the lock within ``seconds``."""

    async def take() -> None:
        async with lock_store.lock(conversation, lock_lifetime=60, wait_time_in_seconds=0.2):
            pass

    try:
        await asyncio.wait_for(take(), seconds)
    except asyncio.TimeoutError:
        return False
    return True


def test_a_ticket_of_a_dead_server_is_let_go_but_a_living_servers_is_kept(redis_port):
    """Server A takes a conversation's lock (its message in flight) and dies; server B's message of
    the same conversation goes on within the alive mark's expiry, not the ticket's 60 s."""
    a, b = store(redis_port), store(redis_port)
    conversation = str(uuid.uuid4())
    a.issue_ticket(conversation, lock_lifetime=60)  # in flight on A
    assert not asyncio.run(acquired_within(b, conversation, 1.5)), "B waited for A while A was alive"
    a.stop()  # A is killed: its mark is gone and nobody renews it
    began = time.monotonic()
    assert asyncio.run(acquired_within(b, conversation, ALIVE_SECONDS + 3))
    assert time.monotonic() - began < ALIVE_SECONDS + 3


def test_a_server_whose_mark_expires_counts_as_dead(redis_port):
    """A server that stops renewing its mark (a killed process never deletes it) is dead once the
    mark expires."""
    a, b = store(redis_port, heartbeat=False), store(redis_port)
    conversation = str(uuid.uuid4())
    a.issue_ticket(conversation, lock_lifetime=60)
    began = time.monotonic()
    assert asyncio.run(acquired_within(b, conversation, ALIVE_SECONDS + 4))
    assert time.monotonic() - began >= 1  # not at once: only after the mark expired


def test_messages_of_one_server_keep_their_order_and_leave_no_keys(redis_port):
    a = store(redis_port)
    conversation = str(uuid.uuid4())
    order: list[int] = []

    async def message(number: int) -> None:
        async with a.lock(conversation, wait_time_in_seconds=0.05):
            await asyncio.sleep(0.05)
            order.append(number)

    async def three() -> None:
        tasks = []
        for number in range(3):
            tasks.append(asyncio.create_task(message(number)))
            await asyncio.sleep(0.01)
        await asyncio.gather(*tasks)

    asyncio.run(three())
    assert order == [0, 1, 2]
    assert not redis.Redis(port=redis_port).keys(f"*{conversation}*")
