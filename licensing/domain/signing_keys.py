"""The demo signing key: a self-signed RSA key and certificate for the certificates' PAdES
signatures when no registry key is configured (`CERTIFICATE_SIGNING_KEY` and
`CERTIFICATE_SIGNING_CERT`). `make run` writes one under var/ (`python -m config.var`); a process
that finds none makes one in memory. Pure: no Django, so `config.var` can use it before the
settings are loaded."""

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEMO_COMMON_NAME = "AshyqKen demo signing key (not for real licences)"


# Valid long before and after it is made: the clock of a test (or a demo's history) moves
# freely, and a signature made "before" the certificate would not validate.
DEMO_VALID_BEFORE_DAYS = 3650
DEMO_VALID_AFTER_DAYS = 30 * 365


def demo_key_and_certificate(now: datetime.datetime | None = None) -> tuple[bytes, bytes]:
    """A new RSA-2048 key and a self-signed certificate for it, both PEM (the key unencrypted)."""
    now = now or datetime.datetime.now(datetime.UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "AshyqKen (demo)"),
            x509.NameAttribute(NameOID.COMMON_NAME, DEMO_COMMON_NAME),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=DEMO_VALID_BEFORE_DAYS))
        .not_valid_after(now + datetime.timedelta(days=DEMO_VALID_AFTER_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)


def write_demo(key_path: Path, cert_path: Path) -> bool:
    """Write a demo key and certificate unless both exist; True if written. The key is 0600."""
    if key_path.exists() and cert_path.exists():
        return False
    key_pem, cert_pem = demo_key_and_certificate()
    key_path.parent.mkdir(parents=True, exist_ok=True)
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.touch(mode=0o600)
    key_path.chmod(0o600)
    key_path.write_bytes(key_pem)
    cert_path.write_bytes(cert_pem)
    return True
