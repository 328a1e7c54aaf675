"""The local state folder (var/): made once by `make run`, never by importing the settings.

`python -m config.var` creates the folders the embedded defaults use (the SQLite database,
the filesystem broker, collected static files, uploads) and the secret key, kept in
var/secret_key so that the web server, the worker and beat sign with the same key.
"""

import secrets
import sys
from pathlib import Path


def folders(var_dir: Path) -> list[Path]:
    """What the embedded defaults write to."""
    return [var_dir, var_dir / "static", var_dir / "celery" / "broker", var_dir / "celery" / "control"]


def secret_key_path(var_dir: Path) -> Path:
    return var_dir / "secret_key"


def prepare(var_dir: Path) -> list[Path]:
    """Create what is missing; returns what was created. Running it again changes nothing."""
    created = []
    for folder in folders(var_dir):
        if not folder.exists():
            folder.mkdir(parents=True)
            created.append(folder)
    key = secret_key_path(var_dir)
    if not key.exists():
        key.write_text(secrets.token_urlsafe(50))
        key.chmod(0o600)
        created.append(key)
    return created


if __name__ == "__main__":
    from config.settings import VAR_DIR

    for path in prepare(VAR_DIR):
        sys.stdout.write(f"created {path}\n")
