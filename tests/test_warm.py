"""A web worker compiles every template and loads every language before its first request."""

from pathlib import Path

from django.template import engines

from config.warm import templates, warm

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_a_worker_warms_every_template_of_the_project_and_the_form_widgets() -> None:
    ours = {str(f.relative_to(TEMPLATES)) for f in TEMPLATES.rglob("*.html")}
    assert ours <= set(templates())
    compiled = warm()
    assert compiled >= len(ours) + 20  # ours, the apps' and Django's form widgets
    loader = engines["django"].engine.template_loaders[0]
    assert {"base.html", "licensing/application_detail.html"} <= set(loader.get_template_cache)
