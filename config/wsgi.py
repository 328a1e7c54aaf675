import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Only the web process (gunicorn, runserver) loads this module: its statements are bounded.
from config.database import bound_statements_of_this_process  # noqa: E402

bound_statements_of_this_process()
