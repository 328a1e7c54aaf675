"""The Celery application for the opening-day load: config.celery, on the run's clock (bench.load_clock)."""

from bench.load_clock import start

start()

from config.celery import app  # noqa: E402

__all__ = ["app"]
