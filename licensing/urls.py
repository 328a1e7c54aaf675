"""Licensing's pages; URL names and paths are what templates and partners know."""

from django.urls import path

from licensing.drafting import views as drafting
from licensing.drafting.conversion_views import licence_convert
from licensing.licences import (
    calendar_views,
    contact_views,
    invoice_views,
    ledger_views,
    open_data,
    report_views,
    revocation_views,
)
from licensing.licences import views as licences
from licensing.review import views as review
from licensing.statistics import views as statistics
from licensing.titles import transfer_views
from licensing.titles import views as titles

app_name = "licensing"

urlpatterns = [
    path("investor/applications/", drafting.application_list, name="application-list"),
    path("investor/applications/<int:pk>/", drafting.application_detail, name="application-detail"),
    path("investor/applications/<int:pk>/blocks/", drafting.application_blocks, name="application-blocks"),
    path("investor/applications/<int:pk>/details/", drafting.application_details, name="application-details"),
    path("investor/applications/<int:pk>/programme/", drafting.application_programme, name="application-programme"),
    path("investor/applications/<int:pk>/documents/", drafting.application_document, name="application-document"),
    path(
        "investor/applications/<int:pk>/documents/<int:attached_id>/remove/",
        drafting.application_document_remove,
        name="application-document-remove",
    ),
    path("investor/applications/<int:pk>/declare/", drafting.application_declare, name="application-declare"),
    path("investor/applications/<int:pk>/lodge/", drafting.application_lodge, name="application-lodge"),
    path("investor/applications/<int:pk>/withdraw/", drafting.application_withdraw, name="application-withdraw"),
    path("investor/applications/<int:pk>/answer/", drafting.application_answer, name="application-answer"),
    path("investor/applications/<int:pk>/bid/", drafting.application_bid, name="application-bid"),
    path("register/applications/", review.register_applications, name="register-applications"),
    path("register/applications/<str:reference>/", review.register_application, name="register-application"),
    path("licence-types/", licences.licence_types, name="licence-types"),
    path("investor/licences/contacts/", contact_views.notice_contacts, name="notice-contacts"),
    path(
        "investor/licences/contacts/<int:contact_id>/remove/",
        contact_views.notice_contact_remove,
        name="notice-contact-remove",
    ),
]

# The workbench (licensing/review/views.py), the licence register, certificates and verification
# (licensing/licences/views.py), and processing statistics (licensing/statistics/views.py).
urlpatterns += [
    path("workbench/", review.queue, name="workbench"),
    path("workbench/openings/", review.openings, name="workbench-openings"),
    path("workbench/applications/<int:pk>/", review.case, name="case"),
    path("workbench/applications/<int:pk>/<slug:action>/", review.case_action, name="case-action"),
    path("register/licences/", licences.licence_register, name="register-licences"),
    path("register/openings/", calendar_views.register_openings, name="register-openings"),
    path("register/licences/<str:number>/", licences.licence_detail, name="register-licence"),
    path("verify/", licences.verify_upload, name="verify-upload"),
    path("verify/<str:number>/", licences.verify, name="verify"),
    path("licences/<str:number>/certificate.pdf", licences.certificate, name="certificate"),
    path("investor/applications/<int:pk>/refusal.pdf", drafting.refusal_letter, name="refusal-letter"),
    path("open-data/licences.geojson", licences.licences_geojson, name="open-data-licences-geojson"),
    path("open-data/licences.csv", licences.licences_csv, name="open-data-licences-csv"),
    path("open-data/beneficial-ownership.json", open_data.beneficial_ownership_json, name="open-data-bods"),
    path("statistics/", statistics.statistics_page, name="statistics"),
    # Invoices and payments (licensing/licences/invoice_views.py).
    path("investor/licences/<str:number>/invoices/", invoice_views.licence_invoices, name="licence-invoices"),
    path("investor/invoices/<str:invoice>.pdf", invoice_views.invoice_download, name="invoice-pdf"),
    path("registrar/payments/", invoice_views.registrar_payments, name="registrar-payments"),
]

# The life of a licence: the holder's licences and compliance ledger, the officials' ledger
# (licensing/licences/ledger_views.py).
urlpatterns += [
    path("investor/licences/", ledger_views.holder_licences, name="holder-licences"),
    path("investor/licences/due/", ledger_views.holder_due, name="holder-due"),
    path("investor/licences/<str:number>/", ledger_views.holder_licence, name="holder-licence"),
    # Conversion: a mining application over blocks of the exploration licence
    # (licensing/drafting/conversion_views.py).
    path("investor/licences/<str:number>/convert/", licence_convert, name="licence-convert"),
    # The annual report and its review (licensing/licences/report_views.py).
    path("investor/licences/<str:number>/reports/<int:year>/", report_views.holder_report, name="holder-report"),
    path("workbench/licences/<str:number>/reports/<int:year>/", report_views.workbench_report, name="workbench-report"),
    path("workbench/licences/<str:number>/", ledger_views.workbench_licence, name="workbench-licence"),
    path(
        "workbench/licences/<str:number>/obligations/<int:obligation_id>/waive/",
        ledger_views.workbench_obligation_waive,
        name="workbench-obligation-waive",
    ),
    # Revocation, its contest, and force majeure (licensing/licences/revocation_views.py).
    path(
        "investor/licences/<str:number>/revocation/contest/",
        revocation_views.holder_contest,
        name="holder-revocation-contest",
    ),
    path("workbench/revocations/", revocation_views.contests, name="workbench-contests"),
    path(
        "workbench/licences/<str:number>/revocation/recommend/",
        revocation_views.recommend,
        name="workbench-revocation-recommend",
    ),
    path(
        "workbench/licences/<str:number>/revocation/decide/",
        revocation_views.decide,
        name="workbench-revocation-decide",
    ),
    path(
        "workbench/licences/<str:number>/revocation/contest/",
        revocation_views.contest_decide,
        name="workbench-revocation-contest",
    ),
    path(
        "workbench/licences/<str:number>/force-majeure/",
        revocation_views.force_majeure_record,
        name="workbench-force-majeure",
    ),
]

# Changes of title (licensing/titles/views.py).
urlpatterns += [
    path(
        "investor/licences/<str:number>/changes/new/<slug:kind>/",
        titles.holder_change_new,
        name="holder-title-change-new",
    ),
    path("investor/licences/<str:number>/changes/<str:change>/", titles.holder_change, name="holder-title-change"),
    path(
        "investor/licences/<str:number>/changes/<str:change>/withdraw/",
        titles.holder_change_withdraw,
        name="holder-title-change-withdraw",
    ),
    path("workbench/title-changes/", titles.workbench_changes, name="workbench-title-changes"),
    path("workbench/title-changes/<str:change>/", titles.workbench_change, name="workbench-title-change"),
    # A transfer's own steps (licensing/titles/transfer_views.py).
    path("investor/transfers/<str:change>/", transfer_views.incoming_transfer, name="incoming-transfer"),
    path(
        "investor/transfers/<str:change>/<slug:answer>/",
        transfer_views.incoming_transfer_answer,
        name="incoming-transfer-answer",
    ),
    path(
        "workbench/title-changes/<str:change>/preemptive-waiver/",
        transfer_views.workbench_preemptive_waiver,
        name="workbench-preemptive-waiver",
    ),
]
