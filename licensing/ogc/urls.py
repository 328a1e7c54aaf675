"""OGC API - Features under /ogc (config/urls.py): every path here starts with its slash, so
that the landing page is both /ogc (where pygeoapi's links point) and /ogc/. A trailing slash
is optional on every path, since GIS clients join paths both ways."""

from django.urls import re_path

from licensing.ogc import views

app_name = "ogc"

COLLECTION = r"collections/(?P<collection_id>[^/]+)"

urlpatterns = [
    re_path(r"^/?$", views.landing, name="landing"),
    re_path(r"^/conformance/?$", views.conformance_classes, name="conformance"),
    re_path(r"^/openapi/?$", views.openapi, name="openapi"),
    re_path(r"^/collections/?$", views.collections, name="collections"),
    re_path(rf"^/{COLLECTION}/?$", views.collection, name="collection"),
    re_path(rf"^/{COLLECTION}/queryables/?$", views.queryables, name="queryables"),
    re_path(rf"^/{COLLECTION}/schema/?$", views.schema, name="schema"),
    re_path(rf"^/{COLLECTION}/items/?$", views.items, name="items"),
    re_path(rf"^/{COLLECTION}/items/(?P<feature_id>[^/]+)/?$", views.item, name="item"),
]
