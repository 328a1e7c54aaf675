"""Gunicorn settings for `make run`; ASHYQKEN_PORT and WEB_CONCURRENCY may override them.

(Not PORT: honcho sets PORT for every process it starts.)
"""

import os

bind = f"127.0.0.1:{os.environ.get('ASHYQKEN_PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = 4
accesslog = "-"
timeout = 60


def when_ready(server: object) -> None:
    from config.banner import banner

    print(banner(), flush=True)


def post_worker_init(worker: object) -> None:
    """Before the worker takes requests: URLs, catalogues and templates loaded (config/warm.py)."""
    from config.warm import warm

    warm()
