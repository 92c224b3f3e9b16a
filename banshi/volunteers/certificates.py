"""The certificate PDF: set in the project's shipped CJK font (``projects.reports.render_pdf``
refuses a PDF without it embedded), with the number, the verification code and a QR code of the
public verification page."""

from __future__ import annotations

from django.utils import timezone

from banshi.projects.reports import render_pdf
from banshi.volunteers import tokens
from banshi.volunteers.models import Certificate


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    return render_pdf(
        "volunteers/pdf/certificate.html",
        {
            "c": certificate,
            "name": certificate.volunteer.user.name,
            "volunteer": certificate.volunteer,
            "verify_url": verify_url,
            "qr": tokens.qr_svg(verify_url),
            "issued": timezone.localtime(certificate.issued_at),
        },
    )
