"""Digital signatures in PDFs, validated with pyHanko against the agency's trust roots.

The trust roots are CA certificates (PEM or DER, one or more per file) in
HOSO_TRUST_ROOTS_DIR, where the agency installs the national CA roots. Revocation
data comes from the file itself (its DSS, or CRLs and OCSP responses archived in
the signature); CRLs and OCSP are fetched over the network only with
HOSO_SIGNATURE_FETCH_REVOCATION. Validation happens at the present time.

Every problem with a signature is reported on that signature, never raised: a PDF
whose signature machinery is malformed must not stop intake. Each signature is
described by a dict of casefiles.FileSignature fields.
"""

import logging
import math
from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.general import find_unique_cms_attribute
from pyhanko.sign.validation import EmbeddedPdfSignature, SignatureCoverageLevel, validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.util import get_declared_revinfo

from .errors import MESSAGES

logger = logging.getLogger(__name__)

MAX_SIGNATURES = 20  # signatures beyond these are not examined
# A signing certificate must allow digital signatures or non-repudiation (either is enough).
KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)


def trust_roots_dir() -> Path:
    return Path(settings.HOSO_TRUST_ROOTS_DIR)


def fetching_allowed() -> bool:
    return bool(settings.HOSO_SIGNATURE_FETCH_REVOCATION)


def trust_roots() -> list:
    """The CA certificates installed as trust roots; a file that holds none is skipped."""
    folder, roots = trust_roots_dir(), []
    if not folder.is_dir():
        return roots
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        try:
            roots.extend(load_certs_from_pemder_data(path.read_bytes()))
        except Exception:  # noqa: BLE001 - one bad file must not hide the other roots
            logger.warning("Trust root file %s holds no readable certificate", path)
    return roots


def read_signatures(path) -> list[dict] | None:
    """The signatures of the PDF at path, in signing order; None when its signatures cannot be read."""
    with open(path, "rb") as handle:
        try:
            reader = PdfFileReader(handle, strict=False)
            fields = _signature_fields(reader)
        except Exception:  # noqa: BLE001 - a malformed PDF must not stop intake
            logger.warning("Signatures of %s could not be read", path, exc_info=True)
            return None
        if not fields:
            return []
        roots, dss = trust_roots(), _document_security_store(reader)
        checked = [_check(reader, name, field, roots, dss) for name, field in fields]
    return [signature for _revision, signature in sorted(checked, key=lambda item: item[0])]


def _signature_fields(reader):
    """(name, field) of the filled signature fields, at most MAX_SIGNATURES, document timestamps left out."""
    fields = []
    for name, sig_object, field in enumerate_sig_fields(reader, filled_status=True):
        if sig_object.get_object().get("/Type") == "/DocTimeStamp":
            continue
        fields.append((name, field))
        if len(fields) == MAX_SIGNATURES:
            logger.warning("More than %d signatures: the rest are not examined", MAX_SIGNATURES)
            break
    return fields


def _document_security_store(reader):
    """The document security store (PAdES LT: certificates, CRLs, OCSP responses), if any."""
    try:
        return DocumentSecurityStore.read_dss(reader)
    except Exception:  # noqa: BLE001 - no DSS (the usual case), or an unreadable one
        return None


def _archived_revinfo(embedded) -> tuple[list, list]:
    """CRLs and OCSP responses the signer archived in the signature (Adobe revocation attribute)."""
    try:
        archival = find_unique_cms_attribute(embedded.signer_info["signed_attrs"], "adobe_revocation_info_archival")
        return list(archival["crl"] or ()), list(archival["ocsp"] or ())
    except Exception:  # noqa: BLE001 - absent or unreadable: no data
        return [], []


def _context(roots, embedded, dss) -> ValidationContext:
    crls, ocsps = _archived_revinfo(embedded)
    options = {"trust_roots": roots, "crls": crls, "ocsps": ocsps, "allow_fetching": fetching_allowed(),
               "revocation_mode": "soft-fail"}
    return ValidationContext(**options) if dss is None else dss.as_validation_context(options)


def _check(reader, name, field, roots, dss) -> tuple[float, dict]:
    """(signed revision, FileSignature fields) of one signature; whatever breaks is reported, not raised."""
    signature = {
        "field_name": (name or "")[:200], "signer_name": "", "signer_certificate": "", "issuer": "",
        "signing_time": None, "covered_range": "", "covers_whole_file": False, "intact": False, "valid": False,
        "trusted": False, "revocation": "not_checked", "error": "",
    }
    revision = math.inf  # an unreadable signature sorts last
    try:
        signature["covered_range"] = _byte_range(field.get_object()["/V"].get_object().get("/ByteRange"))
        embedded = EmbeddedPdfSignature(reader, field, name)
        revision = embedded.signed_revision
        signature.update(_certificate(embedded.signer_cert))
        context = _context(roots, embedded, dss)
        status = validate_pdf_signature(embedded, context, key_usage_settings=KEY_USAGE, skip_diff=True)
        signature.update(
            signing_time=_signing_time(status),
            covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
            intact=status.intact, valid=status.valid, trusted=status.trusted,
            revocation=_revocation(status, context),
            error=_problem(status),
        )
    except Exception as exc:  # noqa: BLE001 - pyHanko's SignatureValidationError, or anything a bad file causes
        logger.info("Signature %r could not be validated: %s", name, exc)
        signature["error"] = MESSAGES["signature_unreadable"].format(detail=_detail(exc))
    return revision, signature


def _byte_range(value) -> str:
    if value is None:
        return ""
    return " ".join(str(item) for item in value)[:100]


def _certificate(certificate) -> dict:
    parsed = x509.load_der_x509_certificate(certificate.dump())
    names = parsed.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    subject = parsed.subject.rfc4514_string()
    return {
        "signer_name": (str(names[0].value) if names else subject)[:300],
        "signer_certificate": subject,
        "issuer": parsed.issuer.rfc4514_string()[:300],
    }


def _signing_time(status):
    """The time of an embedded timestamp token when it holds, else the time the signer declared."""
    token = status.timestamp_validity
    if token is not None and token.intact and token.valid:
        return token.timestamp
    return status.signer_reported_dt


def _revocation(status, context) -> str:
    """revoked; good when the CRL or OCSP data the certificate declares was at hand and held; not_checked
    when there was none to check (nothing declared, nothing in the file, no fetching); unknown otherwise."""
    if status.revoked:
        return "revoked"
    certificate = status.signing_cert
    declared = any(get_declared_revinfo(certificate))
    known = declared and _has_revinfo_for(certificate, context)
    if known and status.trusted and not context.soft_fail_exceptions:
        return "good"
    if not declared or (not known and not context.fetching_allowed):
        return "not_checked"
    return "unknown"


def _has_revinfo_for(certificate, context) -> bool:
    """Whether the context held a CRL of the certificate's issuer or an OCSP response about it."""
    if any(item["tbs_cert_list"]["issuer"] == certificate.issuer for item in context.crls):
        return True
    for response in context.ocsps:
        basic = response["response_bytes"]["response"].parsed
        for single in basic["tbs_response_data"]["responses"]:
            if single["cert_id"]["serial_number"].native == certificate.serial_number:
                return True
    return False


def _problem(status) -> str:
    """Why a signature does not hold, in Vietnamese ('' when it does)."""
    if not status.intact:
        return MESSAGES["signature_modified"]
    if not status.valid:
        return MESSAGES["signature_invalid"]
    if status.revoked:
        return MESSAGES["signature_revoked"]
    if not status.trusted:
        reason = status.trust_problem_indic.name if status.trust_problem_indic else ""
        return MESSAGES["signature_untrusted"].format(detail=reason)
    return ""


def _detail(exc) -> str:
    return (str(exc) or exc.__class__.__name__)[:500]
