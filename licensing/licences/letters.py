"""The refusal letter as PDF: the decision and its reasons, in the applicant's language and
in Kazakh, drawn with the certificates' fonts, styles and page layout."""

from xml.sax.saxutils import escape

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from accounts.formatting import format_moment
from licensing.licences.certificates import (
    _absolute,
    _block_table,
    _date,
    _facts,
    _holder,
    _language_heading,
    _local,
    _register_fonts,
    _render,
    _styles,
    _text,
    certificate_languages,
    pdf_response,
)
from licensing.licences.selectors import holder_language
from licensing.models import Application, ApplicationState


def _refusal_part(application: Application, url: str, language: str) -> list[Flowable]:
    with translation.override(language):
        styles = _styles()
        blocks = sorted(int(b) for b in application.blocks)
        facts = [
            (_("Application"), _text(application.reference)),
            (_("Applicant"), _holder(application.organisation)),
            (_("Licence type"), _text(application.licence_type.name)),
            (_("Name of the project"), _text(application.title)),
            (_("Region"), _text(application.get_region_display())),
            (_("Received"), _text(format_moment(application.received_at, zone=True) or "—")),  # the time counts
            (_("Decided"), _date(_local(application.decided_at))),
            (_("Blocks applied for"), _text(len(blocks))),
        ]
        return [
            _language_heading(language, styles),
            Paragraph(_text(_("Republic of Kazakhstan")), styles["language"]),
            Spacer(1, 6),
            Paragraph(_text(_("Refusal of an application for a subsoil use licence")), styles["title"]),
            Paragraph(_text(application.reference), styles["number"]),
            Spacer(1, 8),
            _facts(facts, styles),
            Paragraph(_text(_("Decision")), styles["h2"]),
            Paragraph(
                _text(_("The application was refused; its claims on the blocks are released.")),
                styles["body"],
            ),
            Paragraph(_text(_("Reasons")), styles["h2"]),
            Paragraph(_text(application.reasons or "—"), styles["body"]),
            Paragraph(_text(_("Blocks")), styles["h2"]),
            _block_table(blocks),
            Spacer(1, 8),
            Paragraph(_text(_("The decision is recorded in the public register of applications:")), styles["small"]),
            Paragraph(f'<link href="{escape(url)}">{_text(url)}</link>', styles["small"]),
        ]


def refusal_letter_pdf(application: Application, language: str) -> bytes:
    """The letter telling the applicant of a refusal and its reasons, in `language` and in Kazakh."""
    _register_fonts()
    url = _absolute(reverse("licensing:register-application", kwargs={"reference": application.reference}))
    story: list[Flowable] = []
    for index, part in enumerate(certificate_languages(language)):
        if index:
            story.append(PageBreak())
        story += _refusal_part(application, url, part)
    return _render(story, title=str(application.reference), footer=f"{application.reference} · {url}")


def refusal_letter_download(application: Application) -> HttpResponse:
    """The refusal letter as its applicant downloads it, from the page or the API: in the
    holder's language, never cached; 404 for an application that was not refused."""
    if application.state != ApplicationState.REFUSED:
        raise Http404(_("Only a refused application has a refusal letter."))
    content = refusal_letter_pdf(application, holder_language(application.organisation))
    return pdf_response(content, f"{application.reference}-refusal.pdf")
