"""What `make run` prints: where to go and how to sign in as each demo role."""

import os


def banner() -> str:
    port = os.environ.get("ASHYQKEN_PORT", "8000")
    base = f"http://127.0.0.1:{port}"
    roles = [
        ("investor", "investor@example.com", "/investor/applications/"),
        ("reviewer", "reviewer@example.com", "/workbench/"),
        ("approver", "approver@example.com", "/workbench/"),
        ("registrar", "registrar@example.com", "/registrar/organisations/"),
        ("admin", "admin@example.com", "/admin/"),
    ]
    lines = [
        "",
        "=" * 72,
        f"  AshyqKen is running at {base}/",
        f"    deposits   {base}/deposits/        map  {base}/map/",
        f"    open data  {base}/open-data/       API  {base}/api/docs/",
        f"    register   {base}/register/applications/   statistics {base}/statistics/",
        f"    admin      {base}/admin/           health {base}/readyz",
        "  Demo accounts (password for all: ashyqken-demo):",
        *[f"    {role:<10} {email:<24} {base}{start}" for role, email, start in roles],
        "  Officials sign in with a second factor: add the secret",
        "    ASHYQKENDEMOTOTPSECRETFORDEMOS23 to an authenticator app, or run",
        "    .venv/bin/python manage.py demo_code   for the current code.",
        "  Partner systems (OAuth2 client credentials; guide at /developers/partners/):",
        "    client ids demo-screening-agency, demo-bank, demo-eiti; secret for all:",
        "    ashyqken-demo-partner-secret   e.g.",
        f"    curl -u demo-bank:ashyqken-demo-partner-secret -d grant_type=client_credentials {base}/o/token/",
        "  New accounts: sign up at /accounts/signup/; the verification email is",
        "    printed in this terminal (console email backend).",
        "  Press Ctrl+C to stop the web server, the Celery worker and beat.",
        "=" * 72,
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(banner())
