"""The local state folder (var/): made once by `make run`, never by importing the settings.

`python -m config.var` creates the folders the embedded defaults use (the SQLite database,
the filesystem broker, collected static files, uploads) and the secret key, kept in
var/secret_key so that the web server, the worker and beat sign with the same key; and, when
no registry signing key is configured (CERTIFICATE_SIGNING_KEY and CERTIFICATE_SIGNING_CERT),
a self-signed demo key for the certificates' signatures, in var/signing/, and says so.
"""

import os
import secrets
import sys
from pathlib import Path


def folders(var_dir: Path) -> list[Path]:
    """What the embedded defaults write to."""
    return [var_dir, var_dir / "static", var_dir / "celery" / "broker", var_dir / "celery" / "control"]


def secret_key_path(var_dir: Path) -> Path:
    return var_dir / "secret_key"


def demo_signing_paths(var_dir: Path) -> tuple[Path, Path]:
    """The demo signing key and its self-signed certificate (PEM)."""
    return var_dir / "signing" / "demo-key.pem", var_dir / "signing" / "demo-cert.pem"


def signing_configured() -> bool:
    return bool(os.environ.get("CERTIFICATE_SIGNING_KEY") and os.environ.get("CERTIFICATE_SIGNING_CERT"))


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
    if not signing_configured():
        from licensing.domain.signing_keys import write_demo

        demo_key, demo_cert = demo_signing_paths(var_dir)
        if write_demo(demo_key, demo_cert):
            created += [demo_key, demo_cert]
    return created


if __name__ == "__main__":
    from config.settings import VAR_DIR

    for path in prepare(VAR_DIR):
        sys.stdout.write(f"created {path}\n")
    if not signing_configured():
        sys.stdout.write(
            f"certificates are signed with a demo signing key ({demo_signing_paths(VAR_DIR)[0]}), "
            "not valid for real licences: set CERTIFICATE_SIGNING_KEY and CERTIFICATE_SIGNING_CERT\n"
        )
