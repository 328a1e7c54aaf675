from django.urls import path

from investors import views

app_name = "investors"

urlpatterns = [
    path("investor/", views.dashboard, name="dashboard"),
    path("investor/switch/", views.organisation_switch, name="organisation-switch"),
    path("investor/organisations/new/", views.organisation_create, name="organisation-create"),
    path("investor/organisations/<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path("investor/organisations/<int:pk>/edit/", views.organisation_edit, name="organisation-edit"),
    path("investor/organisations/<int:pk>/submit/", views.organisation_submit, name="organisation-submit"),
    path("investor/organisations/<int:pk>/owners/", views.owner_add, name="owner-add"),
    path("investor/organisations/<int:pk>/owners/<int:owner_id>/remove/", views.owner_remove, name="owner-remove"),
    path("investor/organisations/<int:pk>/documents/", views.document_add, name="document-add"),
    path(
        "investor/organisations/<int:pk>/documents/<int:document_id>/replace/",
        views.document_replace,
        name="document-replace",
    ),
    path(
        "investor/organisations/<int:pk>/documents/<int:document_id>/remove/",
        views.document_remove,
        name="document-remove",
    ),
    path("investor/organisations/<int:pk>/members/invite/", views.member_invite, name="member-invite"),
    path("investor/organisations/<int:pk>/members/<int:member_id>/", views.member_change, name="member-change"),
    path(
        "investor/organisations/<int:pk>/invitations/<int:invitation_id>/withdraw/",
        views.invitation_withdraw,
        name="invitation-withdraw",
    ),
    path("investor/organisations/<int:pk>/decide/", views.organisation_decide, name="organisation-decide"),
    path("investor/invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("investor/agreement/", views.agreement, name="agreement"),
    path("investor/watchlist/", views.watchlist, name="watchlist"),
    path("investor/watchlist/<int:pk>/remove/", views.watch_remove, name="watch-remove"),
    path("registrar/organisations/", views.registrar_queue, name="registrar-queue"),
    path(
        "registrar/organisations/<int:pk>/verification/",
        views.organisation_verification,
        name="organisation-verification",
    ),
    path(
        "registrar/organisations/<int:pk>/documents/<int:document_id>/decide/",
        views.document_decide,
        name="document-decide",
    ),
    path("registrar/organisations/<int:pk>/checks/", views.check_record, name="check-record"),
    path("registrar/data-room/", views.data_room_log, name="data-room-log"),
    path("data-room/<slug:slug>/<int:pk>/", views.data_room_open, name="data-room-open"),
]
