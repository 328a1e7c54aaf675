"""Waiting for a real Celery worker in tests, and a broker and worker of a test's own."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 20.0, interval: float = 0.05) -> None:
    """Wait until the worker has done something (polling a condition, not sleeping for a time)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"the worker did not {what} within {timeout} s")
        time.sleep(interval)


# A broker and a worker of the test's own -----------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def redis_server_path() -> str:
    """The redis-server binary; the test skips without it, or fails when REQUIRE_SERVICES=1
    (the rule of tests/conftest.py)."""
    path = shutil.which("redis-server")
    if path is None:
        reason = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("REQUIRE_SERVICES", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RedisServer:
    """A Redis of the test's own, on a port the OS chose; `stop()` and `start()` again on the
    same port stand for a broker outage. Nothing is persisted."""

    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [redis_server_path(), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, "start Redis", timeout=10)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer(port=free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def use_broker(url: str) -> None:
    """Point this process's producer at another broker."""
    from config.celery import app

    app.conf.broker_url = url
    app._pool = None  # as Celery does after a fork: the next publish picks a pool for the new URL
    app.amqp._producer_pool = None


@dataclass
class WorkerProcess:
    process: subprocess.Popen

    def children(self) -> list[int]:
        """The pool's child processes (prefork), from /proc (Linux)."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if not path.exists():
            pytest.skip("/proc/<pid>/task/<pid>/children is not available on this system")
        return [int(pid) for pid in path.read_text().split()]


@contextmanager
def celery_worker_process(*, broker_url: str, env: dict[str, str], concurrency: int = 2) -> Iterator[WorkerProcess]:
    """A real `celery worker` (prefork pool) on `broker_url`, on this test's database; `env`
    adds to its environment (e.g. DJANGO_SETTINGS_MODULE)."""
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    database_url = f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "REDIS_URL": broker_url,
        **env,
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork"]
    command += ["--concurrency", str(concurrency), "-O", "fair", "-Q", settings.CELERY_TASK_DEFAULT_QUEUE]
    command += ["--without-mingle", "--without-gossip", "--without-heartbeat", "--loglevel", "WARNING"]
    process = subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True)
    try:
        yield WorkerProcess(process)
    finally:
        process.terminate()  # warm shutdown
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the group this test started
            process.wait(timeout=10)
