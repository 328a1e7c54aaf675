"""Benchmarks: our pages and endpoints against a bare Django view, in one run, as ratios.

    make bench                      # SQLite in var/bench.sqlite3
    BENCH_DATABASE_URL=postgres://root@127.0.0.1:5432/ashyqken_bench make bench

Starts gunicorn (2 workers, as `make run`), loads 50 deposits, drives each URL with wrk
(Debian package; a Python client if wrk is missing) for the same duration and
connections, and prints requests per second, the ratio to the bare view, and the
queries each request runs. Results are written to var/bench-results.json, not asserted.
"""

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from demo.deposits import DEPOSITS  # noqa: E402
from deposits.models import Deposit  # noqa: E402
from deposits.services import deposit_import  # noqa: E402

DURATION = int(os.environ.get("BENCH_SECONDS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
TARGETS = [
    ("bare Django view", "/bench/bare/"),
    ("API deposit list (50 deposits, page of 20)", "/api/v1/deposits/"),
    ("API deposit list filtered by lithium", "/api/v1/deposits/?commodity=Li"),
    ("deposit list page", "/deposits/"),
    ("disclosure page", "/deposits/boguty/"),
    ("open data GeoJSON (50 deposits)", "/open-data/deposits.geojson"),
]


def load_fifty_deposits() -> None:
    call_command("migrate", verbosity=0)
    n = 0
    while Deposit.objects.count() < 50:
        record = dict(DEPOSITS[n % len(DEPOSITS)])
        if n >= len(DEPOSITS):
            record.update(slug=f"{record['slug']}-{n}", name_en=f"{record['name_en']} {n}")
        deposit_import(actor=None, record=record, publish=True, illustrative=True)
        n += 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def with_wrk(url: str) -> float:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", url], capture_output=True, text=True, check=True
    ).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"{url} answered errors under load:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def with_python(url: str) -> float:
    count = 0
    lock = threading.Lock()
    deadline = time.monotonic() + DURATION

    def worker() -> None:
        nonlocal count
        while time.monotonic() < deadline:
            urllib.request.urlopen(url, timeout=10).read()
            with lock:
                count += 1

    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return count / DURATION


def queries(path: str) -> str:
    """Queries of a request computed afresh, and of the same request answered from the cache."""
    caches["disclosure"].clear()
    client = Client()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200, path
        counts.append(len(ctx.captured_queries))
    return f"{counts[0]}/{counts[1]}"


def main() -> None:
    load_fifty_deposits()
    call_command("collectstatic", interactive=False, verbosity=0)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "ASHYQKEN_PORT": str(port)}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--config",
            "config/gunicorn.py",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(base)
        measure = with_wrk if shutil.which("wrk") else with_python
        for _, path in TARGETS:
            measure(base + path)  # warm up caches and connections
        # Rounds interleave the targets so that a noisy moment on a shared machine hits them all;
        # each round's ratio is to the bare view measured in that same round.
        rounds = [{path: measure(base + path) for _, path in TARGETS} for _ in range(ROUNDS)]
    finally:
        server.terminate()
        server.wait(timeout=10)
    bare_path = TARGETS[0][1]
    results = [
        {
            "name": name,
            "path": path,
            "rps": round(statistics.median(r[path] for r in rounds), 1),
            "ratio": round(statistics.median(r[path] / r[bare_path] for r in rounds), 2),
            "queries": queries(path),
        }
        for name, path in TARGETS
    ]
    client = "wrk" if shutil.which("wrk") else "python client"
    print(f"\n{connection.vendor}, {CONNECTIONS} connections, {ROUNDS} rounds of {DURATION}s, medians; {client}")
    print(f"{'target':<46} {'req/s':>9} {'vs bare':>8} {'queries cold/cached':>20}")
    for r in results:
        print(f"{r['name']:<46} {r['rps']:>9.1f} {r['ratio']:>8.2f} {r['queries']:>20}")
    out = ROOT / "var" / "bench-results.json"
    out.write_text(json.dumps({"database": connection.vendor, "results": results}, indent=2))
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
