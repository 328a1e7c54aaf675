"""The open-data files: how long a build takes and how much memory it takes, and how long a
download takes, at demo size and (when its database is there) at the size of a national register.

    BENCH_DATABASE_URL=postgres://root@127.0.0.1:5432/ashyqken_bench python bench/open_data.py
    (make bench runs it)

PostgreSQL only: with SQLite it says so and stops. The demo is a database of its own,
`<name>_open_data` after BENCH_DATABASE_URL (or DATABASE_URL), built afresh (migrate and
load_demo) and dropped at the end (BENCH_KEEP_DB=1 keeps it). The register is measured when its
database exists: BENCH_OPEN_DATA_REGISTER_URL, or else `<name>_register` as bench/scale.py
keeps it with BENCH_KEEP_DB=1 (bench/scale_data.py builds one; it is never built here: that
takes minutes).

Each size is measured in a process of its own, with the files in a folder of its own
(bench/settings.py): the build (`licensing.licences.publication.open_data_build`, what the
worker runs; the outlines are the stored ones) timed once, with the resident memory it added at
its peak (VmHWM after a reset, less VmRSS before); then each file downloaded through Django's
test client, the whole request cycle, BENCH_OPEN_DATA_REPS times (default 5; the median), its
body read chunk by chunk as a server sends it, with its queries and the resident memory the
downloads added; and a revalidation (If-None-Match: 304). Results are printed and written to
var/bench-open-data.json, not asserted.
"""

import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPS = int(os.environ.get("BENCH_OPEN_DATA_REPS", "5"))
FILES = ["licences.geojson", "licences.csv", "beneficial-ownership.json", "deposits.geojson", "deposits.csv"]
PROTOCOL = "@@open-data "

# The databases next to BENCH_DATABASE_URL's, as bench/scale.py names and reaches them.
from bench.scale import _base_url, _db, _exists, _named, _server  # noqa: E402


def _env(url: str) -> dict[str, str]:
    env = {**os.environ, "BENCH_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    env.pop("REDIS_URL", None)  # caches and broker in the process: nothing shared is touched
    env.pop("DJANGO_OPEN_DATA_ROOT", None)  # each database's files in a folder of its own
    return env


def _status(name: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS


def _grown(before: int) -> float:
    return round((_status("VmHWM") - before) / 2**20, 1)


# The measuring process -----------------------------------------------------------------


def measure() -> dict[str, Any]:
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from licensing.licences.publication import open_data_build
    from licensing.models import Licence, Tenure

    figures: dict[str, Any] = {
        "licences": Licence.objects.count(),
        "tenures": Tenure.objects.count(),
        "root": str(settings.OPEN_DATA_ROOT),
    }
    _reset_peak()
    before = _status("VmRSS")
    started = time.perf_counter()
    open_data_build()
    figures["build_s"] = round(time.perf_counter() - started, 2)
    figures["build_rss_mb"] = _grown(before)

    client = Client()
    downloads = []
    for name in FILES:
        url = f"/open-data/{name}"
        _reset_peak()
        before = _status("VmRSS")
        times, size, etag = [], 0, ""
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        for _ in range(REPS):
            started = time.perf_counter()
            response = client.get(url)
            size = sum(len(chunk) for chunk in response.streaming_content)
            times.append(time.perf_counter() - started)
            etag = response["ETag"]
            response.close()
        started = time.perf_counter()
        again = client.get(url, headers={"If-None-Match": etag})
        revalidate = time.perf_counter() - started
        downloads.append(
            {
                "file": name,
                "status": response.status_code,
                "bytes": size,
                "ms": round(statistics.median(times) * 1000, 1),
                "queries": len(queries),
                "rss_mb": _grown(before),
                "revalidate_status": again.status_code,
                "revalidate_ms": round(revalidate * 1000, 2),
            }
        )
    figures["downloads"] = downloads
    return figures


# The run ---------------------------------------------------------------------------------


def _measure(url: str) -> dict[str, Any]:
    process = subprocess.run(
        [sys.executable, __file__, "--measure"], cwd=ROOT, env=_env(url), capture_output=True, text=True, check=True
    )
    line = next(x for x in process.stdout.splitlines() if x.startswith(PROTOCOL))
    return json.loads(line[len(PROTOCOL) :])


def _print(size: str, figures: dict[str, Any]) -> None:
    print(
        f"\n{size}: {figures['licences']:,} licences, {figures['tenures']:,} tenures — build "
        f"{figures['build_s']} s, +{figures['build_rss_mb']} MB resident at its peak"
    )
    print(f"  {'file':<28}{'bytes':>14}{'ms':>10}{'queries':>9}{'RSS+MB':>8}{'304 ms':>8}")
    for row in figures["downloads"]:
        print(
            f"  {row['file']:<28}{row['bytes']:>14,}{row['ms']:>10}{row['queries']:>9}"
            f"{row['rss_mb']:>8}{row['revalidate_ms']:>8}"
        )


def main() -> None:
    base = _base_url()
    if base is None:
        print("open data: PostgreSQL only (set BENCH_DATABASE_URL or DATABASE_URL); skipped")
        return
    demo = _named(base, "open_data")
    register = os.environ.get("BENCH_OPEN_DATA_REGISTER_URL") or _named(base, "register")
    results: dict[str, Any] = {}
    with _server(demo) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{_db(demo)}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{_db(demo)}"')
    try:
        for command in (["migrate", "--verbosity", "0"], ["load_demo"]):
            subprocess.run(
                [sys.executable, "manage.py", *command], cwd=ROOT, env=_env(demo), check=True, capture_output=True
            )
        results["demo"] = _measure(demo)
        _print("demo", results["demo"])
    finally:
        if os.environ.get("BENCH_KEEP_DB", "").lower() not in {"1", "true", "yes"}:
            with _server(demo) as server:
                server.execute(f'DROP DATABASE IF EXISTS "{_db(demo)}" WITH (FORCE)')
    if _exists(register):
        results["register"] = _measure(register)
        _print("register", results["register"])
    else:
        print(f"\nregister: no database {_db(register)} (bench/scale_data.py builds one); not measured")
    out = ROOT / "var" / "bench-open-data.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--measure"]:
        print(PROTOCOL + json.dumps(measure()), flush=True)
    else:
        main()
