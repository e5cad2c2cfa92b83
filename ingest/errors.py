"""Why intake refuses a file: a stable English code and a Vietnamese message for each reason."""

from accounts.errors import HosoError

MESSAGES = {
    "empty_file": "Tệp rỗng.",
    "file_too_large": "Tệp vượt quá dung lượng cho phép ({max_mb} MB).",
    "name_invalid": "Tên tệp không hợp lệ.",
    "type_not_allowed": "Định dạng tệp không được chấp nhận (chỉ nhận txt, rtf, doc, docx, odt, pdf, csv, xls, "
                        "xlsx, ods, jpg, png, tiff).",
    "type_mismatch": "Nội dung tệp không khớp với phần mở rộng .{extension} (thực tế: {detected}).",
    "type_unknown": "Không nhận diện được loại tệp.",
    "pdf_unreadable": "Tệp PDF bị hỏng hoặc không đọc được.",
    "pdf_encrypted": "Tệp PDF được mã hóa bằng mật khẩu, không xử lý được.",
    "zip_unreadable": "Tệp nén ZIP bị hỏng hoặc không đọc được.",
    "zip_too_large": "Tệp nén giải nén ra quá lớn.",
    "zip_ratio": "Tỷ lệ nén bất thường (nghi ngờ bom nén).",
    "zip_too_many_entries": "Tệp nén có quá nhiều tệp con.",
    "zip_nesting": "Tệp nén lồng nhau quá nhiều cấp.",
    "zip_path_traversal": "Tệp nén chứa đường dẫn không an toàn ({entry}).",
    "zip_encrypted": "Tệp nén có mật khẩu, không xử lý được.",
    "xml_forbidden": "Tệp XML chứa khai báo thực thể hoặc DTD không được phép.",
    "xml_malformed": "Tệp XML sai cú pháp.",
    "edxml_invalid": "Gói tin edXML không hợp lệ: {reason}.",
    "extraction_failed": "Không trích xuất được nội dung tệp.",
    "metadata_invalid": "Siêu dữ liệu không hợp lệ: {reason}.",
    "file_unreadable": "Không đọc được tệp ({reason}).",
    "ingest_failed": "Lỗi khi xử lý tệp, đã ghi vào nhật ký hệ thống ({error}).",
    # What the PDF signature check found (a file flag, or casefiles.FileSignature.error).
    "signatures_unreadable": "Không đọc được các chữ ký số trong tệp PDF.",
    "signature_unreadable": "Chữ ký số bị lỗi, không kiểm tra được ({detail}).",
    "signature_modified": "Nội dung tệp đã bị thay đổi sau khi ký.",
    "signature_invalid": "Chữ ký số không đúng với chứng thư số của người ký.",
    "signature_revoked": "Chứng thư số của người ký đã bị thu hồi.",
    "signature_untrusted": "Không xác minh được chứng thư số đến chứng thư gốc tin cậy ({detail}).",
    # Why OCR gave a file no text (casefiles.DocumentFile.flags).
    "ocr_unavailable": "Chưa cài đặt công cụ nhận dạng chữ (OCRmyPDF).",
    "ocr_timeout": "Nhận dạng chữ quá thời gian cho phép.",
    "ocr_failed": "Không nhận dạng được chữ trong tệp.",
}


class Rejected(HosoError):
    """A file (or package) refused at intake. ``file`` names it; the record is never half-stored."""

    status = 422

    def __init__(self, code, message=None, file="", detail=None, status=None):
        super().__init__(message or MESSAGES.get(code, code), code=code, detail=detail, status=status)
        self.file = file

    @classmethod
    def of(cls, code, file="", **params):
        status = 413 if code == "file_too_large" else None
        return cls(code, MESSAGES[code].format(**params), file=file, detail={"file": file, **params},
                   status=status)
