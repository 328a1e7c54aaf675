import subprocess
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("url", ["/", "/deposits/", "/map/", "/api/docs/", "/accounts/login/", "/accounts/signup/"])
def test_every_page_sends_a_csp_that_allows_no_third_party_origin(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "http" not in policy and "unsafe-inline" not in policy and "*" not in policy


def test_security_headers(client) -> None:
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_debug_is_off_unless_asked_for() -> None:
    result = subprocess.run(
        [
            str(ROOT / ".venv/bin/python"),
            "-c",
            "import django;django.setup();from django.conf import settings;print(settings.DEBUG)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_no_secret_key_is_committed() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert not any(name.endswith(("secret_key", ".env")) for name in tracked)
    assert settings.SECRET_KEY not in (ROOT / "config" / "settings.py").read_text()


def test_no_page_loads_from_a_cdn() -> None:
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert '<script src="http' not in text and '<link rel="stylesheet" href="http' not in text, template
