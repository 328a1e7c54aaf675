"""gunicorn's application for the opening-day load: config.wsgi, on the run's clock (bench.load_clock)."""

from bench.load_clock import start

start()

from config.wsgi import application  # noqa: E402

__all__ = ["application"]
