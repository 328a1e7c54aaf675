from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        import documents.events  # noqa: F401 (declares documents' event types)
        from events import routing

        # The uploader hears how the checks went.
        routing.register("document.checked", routing.subject_owner, _("A document I uploaded was checked"))
