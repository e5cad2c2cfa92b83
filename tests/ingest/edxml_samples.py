"""edXML packages for the tests, written here from the synthetic sample (tests/data/sample_edxml.xml)."""

import base64
import io
import zipfile
from pathlib import Path

SAMPLE_PATH = Path(__file__).resolve().parent.parent / "data" / "sample_edxml.xml"
SAMPLE_ID = "000.00.12.H99,2025/03/14,215/SKHCN-VP"
SAMPLE_CID = "2434810a-183e-4093-ac1c-d05fc9fb6839"
NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"


def sample() -> bytes:
    return SAMPLE_PATH.read_bytes()


def sample_text() -> str:
    return sample().decode("utf-8")


def sample_attachment() -> bytes:
    encoded = sample_text().split("<ContentTransferEncoded>")[1].split("</ContentTransferEncoded>")[0]
    return base64.b64decode(encoded)


def replace(text: str, old: str, new: str, count=1) -> str:
    assert text.count(old) >= count, old
    return text.replace(old, new, count)


def with_attachments(files, manifest_prefix="cid:") -> bytes:
    """The sample's header with other files: [(name, content type, bytes)], in this order."""
    text = sample_text()
    head, _sep, _rest = text.partition("<edXML:edXMLBody>")
    references = "".join(
        f"<edXML:Reference><edXML:ContentId>{manifest_prefix}f{i}</edXML:ContentId>"
        f"<edXML:ContentType>{ctype}</edXML:ContentType><edXML:AttachmentName>{name}</edXML:AttachmentName>"
        f"</edXML:Reference>" for i, (name, ctype, _data) in enumerate(files)
    )
    payloads = "".join(
        f"<Attachment><ContentType>{ctype}</ContentType><ContentId>f{i}</ContentId>"
        f"<ContentTransferEncoded>{base64.b64encode(data).decode()}</ContentTransferEncoded>"
        f"<AttachmentName>{name}</AttachmentName></Attachment>" for i, (name, ctype, data) in enumerate(files)
    )
    return (f"{head}<edXML:edXMLBody><edXML:edXMLManifest version=\"1.0\">{references}</edXML:edXMLManifest>"
            f"</edXML:edXMLBody></edXML:edXMLEnvelope><AttachmentEncoded>{payloads}</AttachmentEncoded>"
            f"</edXML>").encode()


def zipped(entries) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def recall(document_id=SAMPLE_ID, sender="000.00.12.H99", reason="Văn bản ban hành sai thẩm quyền") -> bytes:
    """A recall package (BussinessDocType 1) from `sender` for `document_id`, without files."""
    text = sample_text()
    text = replace(text, "<edXML:OrganId>000.00.12.H99</edXML:OrganId>", f"<edXML:OrganId>{sender}</edXML:OrganId>")
    text = replace(text, "<edXML:BussinessDocType>0</edXML:BussinessDocType>",
                   "<edXML:BussinessDocType>1</edXML:BussinessDocType>")
    text = replace(text, "<edXML:BussinessDocReason>Gửi văn bản điện tử mới</edXML:BussinessDocReason>",
                   f"<edXML:BussinessDocReason>{reason}</edXML:BussinessDocReason>"
                   f"<edXML:DocumentId>{document_id}</edXML:DocumentId>")
    text = replace(text, "<edXML:Timestamp>2025/03/14 15:42:10</edXML:Timestamp>",
                   "<edXML:Timestamp>2025/03/15 08:00:00</edXML:Timestamp>")
    head, _sep, _rest = text.partition("<edXML:edXMLBody>")
    return f"{head}</edXML:edXMLEnvelope></edXML>".encode()


XXE = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<edXML xmlns="{NS}"><edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader><edXML:MessageHeader>
<edXML:Subject>&xxe;</edXML:Subject></edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope></edXML>
""".encode()

BILLION_LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE edXML [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<edXML xmlns="{NS}"><edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader><edXML:MessageHeader>
<edXML:Subject>&lol9;</edXML:Subject></edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope></edXML>
""".encode()
