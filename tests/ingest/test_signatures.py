"""PDF signatures at intake: validated against the installed trust roots, reported, never fatal.

A throwaway PKI (root CA, signer, time-stamping authority) is made here with `cryptography`;
PDFs are signed with pyHanko.
"""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator.registry import SimpleCertificateStore

from casefiles.models import FileSignature
from ingest import signatures
from ingest.services import ingest_document
from tests.conftest import client_for, pdf_bytes

NOW = datetime.now(UTC)
SIGNER_NAME = "Nguyễn Văn An"


# --- A throwaway PKI ------------------------------------------------------

class Authority:
    """A certificate and its key, able to issue certificates and CRLs."""

    def __init__(self, name, issuer=None, *, ca=True, usage=None):
        # pyHanko's test time-stamping authority signs with RSA only.
        self.key = rsa.generate_private_key(65537, 2048) if usage == "timestamping" else ec.generate_private_key(
            ec.SECP256R1())
        self.name = x509.Name([
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Hoso Test PKI"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ])
        issuer = issuer or self
        builder = (
            x509.CertificateBuilder().subject_name(self.name).issuer_name(issuer.name)
            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW - timedelta(days=30)).not_valid_after(NOW + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if ca:
            builder = builder.add_extension(
                x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                              data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                              encipher_only=False, decipher_only=False), critical=True)
        elif usage == "timestamping":
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        else:
            # Signers' certificates declare where their CA publishes its CRL, as real ones do.
            crl_point = x509.DistributionPoint([x509.UniformResourceIdentifier("http://crl.hoso.invalid/root.crl")],
                                               None, None, None)
            builder = builder.add_extension(x509.CRLDistributionPoints([crl_point]), critical=False)
            builder = builder.add_extension(
                x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                              data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                              encipher_only=False, decipher_only=False), critical=True)
        self.cert = builder.sign(issuer.key, hashes.SHA256())

    @property
    def pem(self):
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def asn1(self):
        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))

    @property
    def asn1_key(self):
        der = self.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
        return asn1_keys.PrivateKeyInfo.load(der)

    def crl(self, revoked=()):
        builder = (x509.CertificateRevocationListBuilder().issuer_name(self.name)
                   .last_update(NOW - timedelta(days=1)).next_update(NOW + timedelta(days=7)))
        for cert in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(cert.serial_number)
                .revocation_date(NOW - timedelta(days=1)).build())
        der = builder.sign(self.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
        return asn1_crl.CertificateList.load(der)


@pytest.fixture(scope="module")
def pki():
    root = Authority("Hoso Test Root CA")
    return {
        "root": root,
        "signer": Authority(SIGNER_NAME, root, ca=False),
        "tsa": Authority("Hoso Test TSA", root, ca=False, usage="timestamping"),
    }


@pytest.fixture
def trust_dir(settings, tmp_path):
    folder = tmp_path / "trust-roots"
    folder.mkdir()
    settings.HOSO_TRUST_ROOTS_DIR = folder
    settings.HOSO_SIGNATURE_FETCH_REVOCATION = False
    return folder


@pytest.fixture
def trusted(trust_dir, pki):
    (trust_dir / "root.pem").write_bytes(pki["root"].pem)
    (trust_dir / "README.txt").write_text("không phải chứng thư")  # stray files are skipped
    return trust_dir


def sign(pdf, pki, field="Signature1", timestamp=None):
    signer = signers.SimpleSigner(
        signing_cert=pki["signer"].asn1, signing_key=pki["signer"].asn1_key,
        cert_registry=SimpleCertificateStore.from_certs([pki["root"].asn1]),
    )
    timestamper = DummyTimeStamper(pki["tsa"].asn1, pki["tsa"].asn1_key, fixed_dt=timestamp) if timestamp else None
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name=field, subfilter=SigSeedSubFilter.PADES)
    return signers.sign_pdf(writer, meta, signer=signer, timestamper=timestamper).getvalue()


def check(tmp_path, data):
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    return signatures.read_signatures(path)


# --- Validation -----------------------------------------------------------

def test_valid_signature_from_an_installed_root_is_trusted(tmp_path, pki, trusted):
    data = sign(pdf_bytes(), pki)
    [found] = check(tmp_path, data)
    assert found["field_name"] == "Signature1"
    assert found["signer_name"] == SIGNER_NAME
    assert found["signer_certificate"] == f"C=VN,O=Hoso Test PKI,CN={SIGNER_NAME}"
    assert found["issuer"] == "C=VN,O=Hoso Test PKI,CN=Hoso Test Root CA"
    assert found["intact"] and found["valid"] and found["trusted"]
    assert found["covers_whole_file"] is True
    assert found["revocation"] == "not_checked"  # no CRL in the file and no fetching
    assert found["error"] == ""
    assert abs(found["signing_time"] - datetime.now(UTC)) < timedelta(hours=1)
    start, first_end, second_start, second_length = map(int, found["covered_range"].split())
    assert start == 0 and second_start + second_length == len(data)


def test_signer_under_a_root_not_installed_is_intact_but_not_trusted(tmp_path, pki, trust_dir):
    [found] = check(tmp_path, sign(pdf_bytes(), pki))
    assert found["intact"] and found["valid"]
    assert not found["trusted"]
    assert "chứng thư gốc tin cậy" in found["error"]


def test_missing_trust_roots_folder_trusts_nothing(tmp_path, pki, settings):
    settings.HOSO_TRUST_ROOTS_DIR = tmp_path / "absent"
    [found] = check(tmp_path, sign(pdf_bytes(), pki))
    assert found["intact"] and not found["trusted"]


def test_change_after_signing_breaks_integrity(tmp_path, pki, trusted):
    data = sign(pdf_bytes(), pki)
    # The original revision's document information lies inside the signed byte range.
    assert data.index(b"ReportLab PDF Library") < data.index(b"/Contents <")
    tampered = data.replace(b"ReportLab PDF Library", b"ReportLab PDF LibrarY", 1)
    [found] = check(tmp_path, tampered)
    assert not found["intact"]
    assert not found["trusted"]
    assert found["error"] == "Nội dung tệp đã bị thay đổi sau khi ký."


def test_two_signatures_are_reported_in_signing_order_with_their_coverage(tmp_path, pki, trusted):
    data = sign(sign(pdf_bytes(), pki, field="Lanh dao"), pki, field="Van thu")
    first, second = check(tmp_path, data)
    assert (first["field_name"], second["field_name"]) == ("Lanh dao", "Van thu")
    assert first["intact"] and first["trusted"] and not first["covers_whole_file"]
    assert second["intact"] and second["trusted"] and second["covers_whole_file"]
    assert int(first["covered_range"].split()[-1]) + int(first["covered_range"].split()[-2]) < len(data)


def test_garbage_signature_contents_is_reported_invalid(tmp_path, pki, trusted):
    data = sign(pdf_bytes(), pki)
    match = re.search(rb"/Contents <([0-9a-fA-F]+)>", data)
    garbage = (b"DEADBEEF" * len(match.group(1)))[: len(match.group(1))]
    broken = data[: match.start(1)] + garbage + data[match.end(1):]
    [found] = check(tmp_path, broken)
    assert found["field_name"] == "Signature1"
    assert not (found["intact"] or found["valid"] or found["trusted"])
    assert found["error"].startswith("Chữ ký số bị lỗi, không kiểm tra được")
    assert found["covered_range"]


def test_timestamp_token_gives_the_signing_time(tmp_path, pki, trusted):
    stamped_at = (NOW - timedelta(minutes=5)).replace(microsecond=0)
    [found] = check(tmp_path, sign(pdf_bytes(), pki, timestamp=stamped_at))
    assert found["trusted"]
    assert found["signing_time"] == stamped_at


def test_revocation_read_from_the_document_security_store(tmp_path, pki, trusted):
    signed = sign(pdf_bytes(), pki)
    good, revoked = io.BytesIO(signed), io.BytesIO(signed)
    DocumentSecurityStore.add_dss(good, None, crls=[pki["root"].crl()])
    DocumentSecurityStore.add_dss(revoked, None, crls=[pki["root"].crl(revoked=[pki["signer"].cert])])
    [found_good] = check(tmp_path, good.getvalue())
    assert found_good["trusted"] and found_good["revocation"] == "good"
    [found_revoked] = check(tmp_path, revoked.getvalue())
    assert found_revoked["revocation"] == "revoked"
    assert not found_revoked["trusted"]
    assert found_revoked["error"] == "Chứng thư số của người ký đã bị thu hồi."


def test_unsigned_and_unreadable_pdfs(tmp_path, trusted):
    assert check(tmp_path, pdf_bytes()) == []
    assert check(tmp_path, b"%PDF-1.7\n1 0 obj << /Type /Catalog /AcroForm 9 0 R >>\n%%EOF") is None
    assert check(tmp_path, b"not a pdf at all") is None


def test_signatures_beyond_the_limit_are_not_examined(tmp_path, pki, trusted, monkeypatch):
    monkeypatch.setattr(signatures, "MAX_SIGNATURES", 1)
    data = sign(sign(pdf_bytes(), pki, field="A"), pki, field="B")
    assert [s["field_name"] for s in check(tmp_path, data)] == ["A"]


# --- Through intake and the API -------------------------------------------

def test_upload_shows_signatures_in_the_api(pki, trusted, clerk_a, django_capture_on_commit_callbacks):
    data = sign(pdf_bytes(), pki)
    upload = io.BytesIO(data)
    upload.name = "quyet-dinh-ky-so.pdf"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clerk_a).post(
            "/api/v1/documents/", {"subject": "Quyết định có chữ ký số", "file": upload}, format="multipart"
        )
    assert response.status_code == 201, response.content
    [file] = response.json()["files"]
    [signature] = file["signatures"]
    assert signature["signer_name"] == SIGNER_NAME
    assert signature["intact"] and signature["valid"] and signature["trusted"]
    assert signature["covers_whole_file"] is True
    assert signature["revocation"] == "not_checked"
    assert signature["signing_time"]
    assert FileSignature.objects.filter(document_file_id=file["id"], trusted=True).count() == 1


def test_broken_signature_does_not_stop_intake(pki, trusted, agency_a):
    data = sign(pdf_bytes(), pki)
    match = re.search(rb"/Contents <([0-9a-fA-F]+)>", data)
    broken = data[: match.start(1)] + b"0" * len(match.group(1)) + data[match.end(1):]
    result = ingest_document(agency_a, [(broken, "hong.pdf", "main")], subject="Chữ ký hỏng")
    [signature] = result.document.files.get().signatures.all()
    assert not signature.trusted and signature.error
