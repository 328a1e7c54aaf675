"""The PAdES signature of licence certificates (pyHanko), and its check on /verify/.

Each certificate is certified by the registry's key (settings `CERTIFICATE_SIGNING_KEY` and
`CERTIFICATE_SIGNING_CERT`, PEM files): a PAdES baseline signature over the whole file that
forbids any later change, so any PDF reader shows whether the file was altered and who signed
it. Without a configured key the demo key under var/signing/ is used (`make run` writes it); a
process that finds none makes one in memory, for itself only (as the secret key does), and
writes nothing. The certificate and /verify/ then say "demo signing key".

The signing time is the real time of signing; the fingerprint that /verify/ compares is that of
the signed file as stored."""

import hashlib
import io
import logging
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from asn1crypto import keys, pem, x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from licensing.domain.signing_keys import demo_key_and_certificate

logger = logging.getLogger(__name__)

FIELD_NAME = "RegistrySignature"


class _LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner, signing with the key object loaded once: its own `sign_raw`
    parses the key again for every signature, which for RSA (with the key's checks) takes
    most of the time a certificate's signing would."""

    def __init__(self, *, private_key: PrivateKeyTypes, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)["algorithm"].native
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        rsa = mechanism == "rsassa_pkcs1v15" or mechanism.endswith("_rsa")  # e.g. sha256_rsa; not PSS
        if rsa and isinstance(self._private_key, RSAPrivateKey):
            return self._private_key.sign(data, PKCS1v15(), hash_algorithm)
        if mechanism.endswith("ecdsa") and isinstance(self._private_key, EllipticCurvePrivateKey):
            return self._private_key.sign(data, ECDSA(hash_algorithm))
        return super().sign_raw(data, digest_algorithm)


@dataclass(frozen=True)
class SigningKey:
    signer: signers.SimpleSigner
    certificate: x509.Certificate
    demo: bool

    @property
    def fingerprint(self) -> str:
        """The SHA-256 of the signing certificate (DER), lower-case hex."""
        return hashlib.sha256(self.certificate.dump()).hexdigest()

    @property
    def subject(self) -> str:
        return self.certificate.subject.human_friendly


_lock = threading.Lock()


def _pem_or_der(data: bytes) -> bytes:
    return pem.unarmor(data)[2] if pem.detect(data) else data


def _load(key_path: str, cert_path: str, chain: tuple[str, ...]) -> tuple[bytes, bytes, list[bytes]]:
    return Path(key_path).read_bytes(), Path(cert_path).read_bytes(), [Path(p).read_bytes() for p in chain]


@cache
def _signing_key(key_path: str, cert_path: str, passphrase: str, chain: tuple[str, ...], demo: bool) -> SigningKey:
    if demo and not (Path(key_path).exists() and Path(cert_path).exists()):
        logger.warning("no signing key at %s: certificates are signed with a demo key made for this process", key_path)
        key_pem, cert_pem = demo_key_and_certificate()
        others: list[bytes] = []
    else:
        try:
            key_pem, cert_pem, others = _load(key_path, cert_path, chain)
        except OSError as error:
            raise ImproperlyConfigured(f"The certificate signing key or certificate cannot be read: {error}") from error
    password = passphrase.encode() or None
    if pem.detect(key_pem):
        private = serialization.load_pem_private_key(key_pem, password=password)
    else:
        private = serialization.load_der_private_key(key_pem, password=password)
    key_der = private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    certificate = x509.Certificate.load(_pem_or_der(cert_pem))
    chain_certs = [x509.Certificate.load(_pem_or_der(c)) for c in others]
    signer = _LoadedKeySigner(
        private_key=private,
        signing_cert=certificate,
        signing_key=keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([certificate, *chain_certs]),
    )
    return SigningKey(signer=signer, certificate=certificate, demo=demo)


def signing_key() -> SigningKey:
    """The registry's key as the settings name it (loaded once per process and settings)."""
    with _lock:
        return _signing_key(
            settings.CERTIFICATE_SIGNING_KEY,
            settings.CERTIFICATE_SIGNING_CERT,
            settings.CERTIFICATE_SIGNING_KEY_PASSPHRASE,
            tuple(settings.CERTIFICATE_SIGNING_CHAIN),
            settings.CERTIFICATE_SIGNING_DEMO,
        )


def sign(content: bytes, *, reason: str, location: str) -> bytes:
    """The PDF with the registry's PAdES certification signature added (an incremental update
    that covers the whole file and permits no later change)."""
    key = signing_key()
    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason=reason,
        location=location,
    )
    # Room for the signature container, given rather than estimated (pyHanko would sign once more
    # to measure): the certificates, the signature and the signed attributes, with a margin.
    reserved = 8192 + 2 * sum(len(c.dump()) for c in key.signer.cert_registry)
    output = signers.sign_pdf(writer, meta, signer=key.signer, bytes_reserved=reserved)
    return output.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    signed: bool  # the file carries a signature pyHanko can read
    intact: bool  # the signed bytes are unchanged since signing
    whole_file: bool  # and the signature covers the whole file
    ours: bool  # made with the registry's current signing certificate
    signer: str


UNSIGNED = SignatureCheck(signed=False, intact=False, whole_file=False, ours=False, signer="")


def check(content: bytes) -> SignatureCheck:
    """What pyHanko says of the file's first signature: intact, covering the whole file, and
    made with the registry's certificate (trusted as the only root; nothing is fetched)."""
    key = signing_key()
    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        signatures = reader.embedded_signatures
        if not signatures:
            return UNSIGNED
        embedded = signatures[0]
        context = ValidationContext(trust_roots=[key.certificate], allow_fetching=False)
        status = validate_pdf_signature(embedded, context)
    except Exception:  # a damaged or hostile file: pyHanko raises many kinds of error
        logger.info("an uploaded certificate's signature could not be read", exc_info=True)
        return UNSIGNED
    signer_cert = embedded.signer_cert
    return SignatureCheck(
        signed=True,
        intact=bool(status.intact and status.valid),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        ours=signer_cert is not None and signer_cert.dump() == key.certificate.dump(),
        signer=signer_cert.subject.human_friendly if signer_cert is not None else "",
    )
