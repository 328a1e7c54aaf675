from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("<uuid:uuid>/", views.document_detail, name="document-detail"),
    path("<uuid:uuid>/download/", views.document_download, name="document-download"),
]
