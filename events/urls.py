from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("bell/", views.bell, name="bell"),
    path("read/", views.mark_read, name="mark-read"),
    path("settings/", views.preferences, name="preferences"),
]
