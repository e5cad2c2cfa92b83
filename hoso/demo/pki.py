"""The demo's own small PKI: a root CA, trusted through HOSO_TRUST_ROOTS_DIR, and signing keys installed
with routing.keys for every demo agency (with its seal) and its leader (with a signature image).

The names are fixed; the keys are new at every load (the CA's private key is not kept), so the root
written to the trust roots folder replaces the one of an earlier load.
"""

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

from routing.keys import install_key
from routing.specimens import seal_png, signature_png

ROOT_NAME = "Hoso Demo Root CA"
ROOT_FILE = "hoso-demo-root.pem"
ORGANIZATION = "hoso demo PKI"
P12_PASSWORD = "hoso-demo-p12"
VALID_DAYS = 2 * 365


class Authority:
    """A key and its certificate: the root CA (issuer None) or a signer's, issued by the root."""

    def __init__(self, name, issuer=None, *, now):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name),
                               x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
                               x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")])
        ca = issuer is None
        issuer = issuer or self
        usage = dict(digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                     data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                     encipher_only=False, decipher_only=False)
        self.cert = (
            x509.CertificateBuilder().subject_name(self.name).issuer_name(issuer.name)
            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=VALID_DAYS))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(**usage), critical=True)
            .sign(issuer.key, hashes.SHA256())
        )
        self.root = issuer

    def p12(self) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            b"hoso-demo", self.key, self.cert, [self.root.cert],
            serialization.BestAvailableEncryption(P12_PASSWORD.encode()))


def trust(root: Authority) -> Path:
    """Write the root CA into the trust roots folder, so the demo's signatures validate as trusted."""
    folder = Path(settings.HOSO_TRUST_ROOTS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ROOT_FILE
    path.write_bytes(root.cert.public_bytes(serialization.Encoding.PEM))
    return path


def install(holders, *, now):
    """Install the keys: ``holders`` is [(agency, place, leader, administrator)]. Returns the root."""
    root = Authority(ROOT_NAME, now=now)
    for agency, place, leader, administrator in holders:
        install_key(agency, Authority(agency.name, root, now=now).p12(), P12_PASSWORD,
                    image_bytes=seal_png(agency.name, place), actor=administrator)
        install_key(agency, Authority(leader.full_name, root, now=now).p12(), P12_PASSWORD, user=leader,
                    image_bytes=signature_png(leader.full_name), actor=administrator)
    trust(root)
    return root
