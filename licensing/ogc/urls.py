"""OGC API - Features under /ogc (included at the root by config/urls.py): the landing page is
both /ogc (where pygeoapi's links point) and /ogc/. A trailing slash is optional on every
path, since GIS clients join paths both ways."""

from django.urls import re_path

from licensing.ogc import views

app_name = "ogc"

COLLECTION = r"collections/(?P<collection_id>[^/]+)"

urlpatterns = [
    re_path(r"^ogc/?$", views.landing, name="landing"),
    re_path(r"^ogc/conformance/?$", views.conformance_classes, name="conformance"),
    re_path(r"^ogc/openapi/?$", views.openapi, name="openapi"),
    re_path(r"^ogc/collections/?$", views.collections, name="collections"),
    re_path(rf"^ogc/{COLLECTION}/?$", views.collection, name="collection"),
    re_path(rf"^ogc/{COLLECTION}/queryables/?$", views.queryables, name="queryables"),
    re_path(rf"^ogc/{COLLECTION}/schema/?$", views.schema, name="schema"),
    re_path(rf"^ogc/{COLLECTION}/items/?$", views.items, name="items"),
    re_path(rf"^ogc/{COLLECTION}/items/(?P<feature_id>[^/]+)/?$", views.item, name="item"),
]
