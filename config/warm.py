"""What a web worker loads before it answers anyone: the URLs and every view module, the
translation catalogues of each language, and every template compiled into the cached loader.

Without it the first requests of each worker pay for all of this (a second or more each, seen
in the opening-day load test: bench/README.md), and a worker started or restarted during a busy
hour makes its first visitors wait. Called by gunicorn's `post_worker_init` (config/gunicorn.py)."""

from pathlib import Path

import django.forms
from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation


def templates() -> list[str]:
    """The names of every template the project's engine can find (its directories and apps')."""
    engine = engines["django"].engine
    folders = [Path(d) for d in engine.dirs]
    if engine.app_dirs:
        from django.template.utils import get_app_template_dirs

        folders += [Path(d) for d in get_app_template_dirs("templates")]
    names = set()
    for folder in folders:
        names |= {str(f.relative_to(folder)) for f in folder.rglob("*.html") if f.is_file()}
    return sorted(names)


def warm() -> int:
    """Load it all; returns how many templates were compiled."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports every view module
    resolver.reverse_dict  # noqa: B018 - builds the reverse lookups (populates the resolver)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")
    engine = engines["django"]
    compiled = 0
    for name in templates():
        try:
            engine.get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):
            continue  # a package's template for another engine or an optional app: not ours to warm
        compiled += 1
    forms = Path(django.forms.__file__).parent / "templates"  # the widgets, through the form renderer
    for path in sorted(forms.rglob("*.html")):
        get_default_renderer().get_template(str(path.relative_to(forms)))
        compiled += 1
    return compiled
