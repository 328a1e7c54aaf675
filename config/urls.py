from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import views
from config.schema import api_not_found
from events.views import event_catalogue
from partners import views as partner_views

admin.site.site_header = _("AshyqKen administration")
admin.site.site_title = _("AshyqKen")
admin.site.index_title = _("Registry administration")
# The admin signs in through the same page as everyone (with the second factor), never its own form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("i18n/language/", views.language_switch, name="language-switch"),
    path("terms/", views.terms, name="terms"),
    path("privacy/", views.privacy, name="privacy"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("notifications/", include("events.urls")),
    path("documents/", include("documents.urls")),
    path("admin/", admin.site.urls),
    path("o/", include("partners.urls")),
    path("api/v1/", include("config.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("developers/events/", event_catalogue, name="developer-events"),
    path("developers/partners/", partner_views.guide, name="developer-partners"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Anything else under /api/ is a JSON problem, not the site's HTML 404 page.
    re_path(r"^api/", api_not_found, name="api-not-found"),
    # OGC API - Features for GIS clients, at /ogc and /ogc/ alike (pygeoapi links to /ogc).
    path("", include("licensing.ogc.urls")),
    path("", include("licensing.urls")),
    path("", include("investors.urls")),
    path("", include("deposits.urls")),
]

# A crash inside the API answers JSON too (the pages keep Django's HTML page).
handler500 = views.server_error
handler400 = views.bad_request
