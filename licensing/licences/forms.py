"""The upload on /verify/: a certificate file to check, read in memory and never stored."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# What browsers and tools label a PDF with; the first bytes decide. (Some send octet-stream.)
PDF_TYPES = frozenset({"application/pdf", "application/x-pdf", "application/octet-stream"})


PDF_MAGIC = b"%PDF-"


class CertificateCheckForm(forms.Form):
    file = forms.FileField(
        label=_("Certificate file (PDF)"),
        allow_empty_file=False,
        error_messages={
            "required": _("Choose the certificate file to check."),
            "empty": _("The file is empty. Choose the certificate's PDF file."),
            "invalid": _("No file was received. Choose the certificate's PDF file."),
        },
    )

    # Why the form failed, as the HTTP status to answer with: 400, 413 or 415.
    status = 400

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        limit = filesizeformat(settings.CERTIFICATE_VERIFY_MAX_BYTES)
        hint = _("The PDF file of a licence certificate, at most %(size)s. It is not kept.")
        self.fields["file"].help_text = hint % {"size": limit}
        self.fields["file"].widget.attrs["accept"] = "application/pdf,.pdf"

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > settings.CERTIFICATE_VERIFY_MAX_BYTES:
            self.status = 413
            raise forms.ValidationError(
                _("The file is larger than %(size)s; a licence certificate is much smaller."),
                params={"size": filesizeformat(settings.CERTIFICATE_VERIFY_MAX_BYTES)},
                code="too_large",
            )
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        head = upload.read(len(PDF_MAGIC))
        if content_type not in PDF_TYPES or head != PDF_MAGIC:
            self.status = 415
            raise forms.ValidationError(
                _("This is not a PDF file. Upload the certificate as the register issued it (a .pdf file)."),
                code="not_pdf",
            )
        upload.seek(0)
        content = upload.read()
        if not content.strip():
            raise forms.ValidationError(_("The file is empty. Choose the certificate's PDF file."), code="empty")
        return content
