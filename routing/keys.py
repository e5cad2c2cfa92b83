"""Signing keys: the PKCS#12 files of people and agencies, installed by the administrator.

The PKCS#12 file and its image are stored blobs (casefiles.blobstore); the PKCS#12
password is kept encrypted with Fernet, under a key derived (HKDF-SHA256) from
HOSO_KEYS_SECRET, or from the secret key when that is not set. Changing that
secret makes the installed keys unusable: they must be installed again.
"""

import base64
import io
from datetime import UTC, datetime

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.db import transaction
from PIL import Image, UnidentifiedImageError
from pyhanko.sign.signers import SimpleSigner

from accounts import audit
from accounts.errors import HosoError
from casefiles.blobstore import open_blob, store

from .models import SigningKey

MAX_KEY_BYTES = 1024 * 1024
MAX_IMAGE_BYTES = 5 * 1024 * 1024


def _fernet() -> Fernet:
    secret = getattr(settings, "HOSO_KEYS_SECRET", "") or settings.SECRET_KEY
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"hoso-signing-keys").derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _invalid(message, **detail):
    return HosoError(message, code="signing_key_invalid", detail=detail or None)


def _certificate(p12_bytes: bytes, password: str) -> x509.Certificate:
    """The certificate of a PKCS#12 file that opens with password and holds its private key."""
    try:
        key, certificate, _chain = pkcs12.load_key_and_certificates(p12_bytes, password.encode() or None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise _invalid("Không mở được tệp khóa PKCS#12: tệp hỏng hoặc sai mật khẩu.") from None
    if key is None or certificate is None:
        raise _invalid("Tệp PKCS#12 không chứa khóa bí mật và chứng thư số.")
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(serialization.Encoding.DER, public) != certificate.public_key().public_bytes(
            serialization.Encoding.DER, public):
        raise _invalid("Khóa bí mật không khớp với chứng thư số trong tệp PKCS#12.")
    if certificate.not_valid_after_utc <= datetime.now(UTC):
        raise _invalid("Chứng thư số đã hết hạn.", not_after=certificate.not_valid_after_utc.isoformat())
    return certificate


def _check_image(image_bytes: bytes):
    """Signature and seal images are PNG files with a transparent background (Decree 30, Appendix I)."""
    try:
        with Image.open(io.BytesIO(image_bytes)) as image:
            fit = image.format == "PNG" and (image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info)
    except (UnidentifiedImageError, OSError):
        fit = False
    if not fit:
        raise HosoError("Ảnh chữ ký hoặc con dấu phải là tệp PNG có nền trong suốt.", code="signing_image_invalid")


def install_key(agency, p12_bytes: bytes, password: str, *, user=None, image_bytes=None, actor=None) -> SigningKey:
    """Install the PKCS#12 key of a person (user) or of the agency itself; it replaces the holder's active key."""
    if user is not None and user.agency_id != agency.pk:
        raise _invalid("Người được cài khóa không thuộc cơ quan này.")
    if len(p12_bytes) > MAX_KEY_BYTES:
        raise _invalid("Tệp khóa PKCS#12 quá lớn.")
    certificate = _certificate(p12_bytes, password)
    if image_bytes is not None:
        _check_image(image_bytes)
    with transaction.atomic():
        p12 = store(io.BytesIO(p12_bytes))
        image = store(io.BytesIO(image_bytes), max_bytes=MAX_IMAGE_BYTES) if image_bytes is not None else None
        SigningKey.objects.filter(agency=agency, user=user, active=True).update(active=False)
        key = SigningKey.objects.create(
            agency=agency, user=user, p12=p12, image=image,
            password_encrypted=_fernet().encrypt(password.encode()).decode(),
            subject=certificate.subject.rfc4514_string()[:500], issuer=certificate.issuer.rfc4514_string()[:500],
            not_after=certificate.not_valid_after_utc,
        )
        audit.record(audit.CREATE, key, actor=actor, agency_id=agency.pk, detail={
            "holder": "person" if user is not None else "agency", "user_id": getattr(user, "pk", None),
            "subject": key.subject, "issuer": key.issuer, "not_after": key.not_after.isoformat(),
            "sha256": p12.sha256,
        })
    return key


def active_key(agency, user=None) -> SigningKey:
    """The active key of a person (user) or of the agency; signing_key_missing when there is none."""
    key = SigningKey.objects.filter(agency=agency, user=user, active=True).select_related("p12", "image").first()
    if key is None:
        holder = f"của {user.full_name or user.username}" if user is not None else f"của {agency.name}"
        raise HosoError(f"Chưa cài đặt khóa ký số {holder}.", code="signing_key_missing", status=409)
    return key


def load_signer(key: SigningKey) -> SimpleSigner:
    """A pyHanko signer with the key's private key and certificate chain."""
    if key.not_after <= datetime.now(UTC):
        raise _invalid("Chứng thư số đã hết hạn.", not_after=key.not_after.isoformat())
    try:
        password = _fernet().decrypt(key.password_encrypted.encode())
    except InvalidToken:
        raise _invalid("Không giải mã được mật khẩu của khóa ký số; hãy cài đặt lại khóa.") from None
    with open_blob(key.p12) as handle:
        data = handle.read()
    try:
        return SimpleSigner.load_pkcs12_data(data, None, passphrase=password or None)
    except ValueError:
        raise _invalid("Không mở được tệp khóa PKCS#12 đã cài đặt; hãy cài đặt lại khóa.") from None


def image_bytes(key: SigningKey) -> bytes | None:
    """The key's signature or seal image (PNG), if one was installed."""
    if key.image is None:
        return None
    with open_blob(key.image) as handle:
        return handle.read()


def signer_for(user) -> SimpleSigner:
    """The signer of a person's own key."""
    if user.agency_id is None:
        raise HosoError("Người ký không thuộc cơ quan nào.", code="signing_key_missing", status=409)
    return load_signer(active_key(user.agency, user))


def signer_for_agency(agency) -> SimpleSigner:
    """The signer of the agency's own key (the văn thư signs with it, Decree 30 Art. 32.2)."""
    return load_signer(active_key(agency))
