from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partners"
    verbose_name = _("Partner systems")

    def ready(self) -> None:
        from partners import events, schema  # noqa: F401  (event types; the OpenAPI security scheme)
