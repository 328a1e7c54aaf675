from django.urls import path

from licensing import public, statistics, views, workbench

app_name = "licensing"

urlpatterns = [
    path("investor/applications/", views.application_list, name="application-list"),
    path("investor/applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("investor/applications/<int:pk>/blocks/", views.application_blocks, name="application-blocks"),
    path("investor/applications/<int:pk>/details/", views.application_details, name="application-details"),
    path("investor/applications/<int:pk>/programme/", views.application_programme, name="application-programme"),
    path("investor/applications/<int:pk>/documents/", views.application_document, name="application-document"),
    path(
        "investor/applications/<int:pk>/documents/<int:attached_id>/remove/",
        views.application_document_remove,
        name="application-document-remove",
    ),
    path("investor/applications/<int:pk>/declare/", views.application_declare, name="application-declare"),
    path("investor/applications/<int:pk>/lodge/", views.application_lodge, name="application-lodge"),
    path("investor/applications/<int:pk>/withdraw/", views.application_withdraw, name="application-withdraw"),
    path("investor/applications/<int:pk>/answer/", views.application_answer, name="application-answer"),
    path("investor/applications/<int:pk>/bid/", views.application_bid, name="application-bid"),
    path("register/applications/", views.register_applications, name="register-applications"),
    path("register/applications/<str:reference>/", views.register_application, name="register-application"),
    path("licence-types/", views.licence_types, name="licence-types"),
]

# The workbench (licensing/workbench.py), the licence register, certificates and verification
# (licensing/public.py), and processing statistics (licensing/statistics.py).
urlpatterns += [
    path("workbench/", workbench.queue, name="workbench"),
    path("workbench/openings/", workbench.openings, name="workbench-openings"),
    path("workbench/applications/<int:pk>/", workbench.case, name="case"),
    path("workbench/applications/<int:pk>/<slug:action>/", workbench.case_action, name="case-action"),
    path("register/licences/", public.licence_register, name="register-licences"),
    path("register/licences/<str:number>/", public.licence_detail, name="register-licence"),
    path("verify/<str:number>/", public.verify, name="verify"),
    path("licences/<str:number>/certificate.pdf", public.certificate, name="certificate"),
    path("investor/applications/<int:pk>/refusal.pdf", public.refusal_letter, name="refusal-letter"),
    path("open-data/licences.geojson", public.licences_geojson, name="open-data-licences-geojson"),
    path("open-data/licences.csv", public.licences_csv, name="open-data-licences-csv"),
    path("statistics/", statistics.statistics_page, name="statistics"),
]
