"""Settings are read, never written: importing them creates no file or folder; `make run`
prepares var/ once (python -m config.var)."""

import os
import subprocess
import sys
from pathlib import Path

from config import var

ROOT = Path(__file__).resolve().parent.parent


def test_importing_the_settings_writes_nothing(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env |= {"DJANGO_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(done.stdout.strip()) > 40  # a key for that process alone
    assert list(tmp_path.iterdir()) == []


def test_make_run_prepares_var_once_and_keeps_the_key(tmp_path: Path) -> None:
    folder = tmp_path / "var"
    created = var.prepare(folder)
    assert folder / "celery" / "broker" in created and var.secret_key_path(folder) in created
    key = var.secret_key_path(folder).read_text()
    assert oct(var.secret_key_path(folder).stat().st_mode & 0o777) == "0o600"
    assert var.prepare(folder) == [] and var.secret_key_path(folder).read_text() == key


def test_the_processes_of_make_run_share_the_prepared_key(tmp_path: Path) -> None:
    folder = tmp_path / "var"
    var.prepare(folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    env |= {"DJANGO_VAR_DIR": str(folder), "DJANGO_SETTINGS_MODULE": "config.settings"}
    script = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    keys = {
        subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    }
    assert keys == {var.secret_key_path(folder).read_text().strip()}
