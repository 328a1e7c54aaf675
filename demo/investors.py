"""Demo investors: verified email addresses, an authenticator for each official, the
confidentiality agreement, a verified investor organisation and a data-room document.
Every change goes through the services; each step is skipped when already done."""

import io

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from accounts.models import User
from accounts.roles import is_official
from deposits.models import Deposit, DepositDocument, DocumentKind, DocumentVisibility
from deposits.services import deposit_part_save
from documents.services import document_check, document_upload
from investors import services, verification
from investors.models import (
    CheckKind,
    ConfidentialityAgreement,
    DocumentDecision,
    DueDiligenceKind,
    Organisation,
    OrganisationStatus,
    OwnerKind,
)

# Public: printed by `make run` so that anyone trying the demo can sign in as an official.
DEMO_TOTP_SECRET = "ASHYQKENDEMOTOTPSECRETFORDEMOS23"  # noqa: S105 - demo only, documented in the README

AGREEMENT = {
    "text_en": (
        "1. The data-room documents are shared with your organisation only to evaluate an investment in "
        "Kazakhstan's subsoil.\n2. Do not disclose them to anyone outside your organisation and its advisers "
        "bound by the same duty.\n3. Every document you open is stamped with your organisation's name and the "
        "time, and every opening is logged.\n4. The duty lasts three years from your last opening."
    ),
    "text_ru": (
        "1. Документы комнаты данных предоставляются вашей организации только для оценки инвестиций в недра "
        "Казахстана.\n2. Не раскрывайте их никому за пределами вашей организации и её консультантов, связанных "
        "той же обязанностью.\n3. Каждый открытый документ помечается названием вашей организации и временем, "
        "каждое открытие записывается.\n4. Обязанность действует три года с последнего открытия."
    ),
    "text_kk": (
        "1. Деректер бөлмесінің құжаттары ұйымыңызға тек Қазақстан жер қойнауына инвестицияны бағалау үшін "
        "беріледі.\n2. Оларды ұйымыңыздан және сол міндетпен байланысты кеңесшілерден тыс ешкімге ашпаңыз.\n"
        "3. Ашылған әр құжатқа ұйымыңыздың атауы мен уақыт белгіленеді, әр ашу тіркеледі.\n"
        "4. Міндет соңғы ашудан бастап үш жыл бойы күшінде болады."
    ),
}


def pdf(title: str, lines: list[str], pages: int = 2) -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    for page in range(1, pages + 1):
        sheet.setFont("Helvetica-Bold", 16)
        sheet.drawString(60, 780, title)
        sheet.setFont("Helvetica", 11)
        for i, line in enumerate(lines):
            sheet.drawString(60, 740 - i * 18, line)
        sheet.drawString(60, 60, f"Illustrative demo document - page {page} of {pages}")
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def users_ready(users: list[User]) -> None:
    """Verified addresses for everyone; an authenticator app (the demo secret) for officials."""
    for user in users:
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        if is_official(user) and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)


def agreement_ready(registrar: User) -> None:
    if not ConfidentialityAgreement.objects.exists():
        services.agreement_publish(actor=registrar, **AGREEMENT)


def organisation_ready(investor: User, registrar: User) -> Organisation:
    organisation = Organisation.objects.filter(country="NL", registration_number="DEMO-81234567").first()
    if organisation is None:
        organisation = services.organisation_create(
            actor=investor,
            legal_name="Steppe Metals Investment B.V.",
            legal_name_latin="Steppe Metals Investment B.V.",
            country="NL",
            registration_number="DEMO-81234567",
            address="Herengracht 1\n1015 BA Amsterdam\nNetherlands",
            website="https://example.com/",
            contact_email="investor@example.com",
            contact_phone="+31 20 000 0000",
        )
        holding = services.owner_add(
            actor=investor,
            organisation=organisation,
            kind=OwnerKind.LEGAL,
            name="Steppe Metals Holding plc",
            country="GB",
            share=100,
        )
        services.owner_add(
            actor=investor,
            organisation=organisation,
            kind=OwnerKind.NATURAL,
            name="Aida Investor",
            country="GB",
            share=60,
            held_through=holding,
        )
        services.owner_add(
            actor=investor,
            organisation=organisation,
            kind=OwnerKind.LEGAL,
            name="Nordic Pension Fund",
            country="NO",
            share=40,
            held_through=holding,
        )
        for kind in DueDiligenceKind:
            name = f"{kind.value}.pdf"
            upload = SimpleUploadedFile(name, pdf(str(kind.label), ["Steppe Metals Investment B.V."], pages=1))
            added = services.organisation_document_add(
                actor=investor, organisation=organisation, kind=kind, upload=upload
            )
            document_check(document_id=added.file_id)
    if organisation.status in services.EDITABLE:
        services.organisation_submit(actor=investor, organisation=organisation)
        organisation.refresh_from_db()
    if organisation.status == OrganisationStatus.SUBMITTED:
        verify(registrar, organisation)
    return organisation


def verify(registrar: User, organisation: Organisation) -> Organisation:
    """What a registrar does to verify an organisation waiting for it: record the checklist (the
    register extract, sanctions and politically exposed persons), accept each document, and verify."""
    references = {
        CheckKind.REGISTER_EXTRACT: f"Extract for {organisation.registration_number} (illustrative)",
        CheckKind.SANCTIONS: "UN, EU, UK and Kazakhstan lists searched (illustrative)",
        CheckKind.PEP: "No politically exposed person among the owners (illustrative)",
    }
    for kind in verification.RECORDED_CHECKS:
        verification.organisation_check_record(
            actor=registrar, organisation=organisation, kind=kind, note=references[kind]
        )
    for document in organisation.documents.all():
        verification.organisation_document_decide(
            actor=registrar, document=document, decision=DocumentDecision.ACCEPTED
        )
    return services.organisation_decide(actor=registrar, organisation=organisation, decision="verify")


def data_room_ready(registrar: User) -> None:
    deposit = Deposit.objects.filter(slug="verkhnee-kairakty").first()
    title = "Drill-hole summary and assay table (illustrative)"
    if deposit is None or DepositDocument.objects.filter(deposit=deposit, title=title).exists():
        return
    content = pdf(
        title,
        [deposit.name_en, "Hole VK-001: 0-120 m, 0.41 % WO3 (illustrative)", "Hole VK-002: 15-98 m, 0.37 % WO3"],
        pages=3,
    )
    stored = document_upload(actor=registrar, upload=SimpleUploadedFile("drill-holes.pdf", content), kind="report")
    document_check(document_id=stored.pk)
    deposit_part_save(
        actor=registrar,
        part=DepositDocument(
            deposit=deposit,
            title=title,
            kind=DocumentKind.REPORT,
            visibility=DocumentVisibility.DATA_ROOM,
            file=stored,
        ),
    )
