"""Metadata for a batch of files, read from a CSV or XLSX sheet with one row per file.

The column ``file`` names the file: its path relative to the imported folder, or
just its name. The other columns are document fields, headed by their English
names (type_name, code_number, ...) or by the Vietnamese headings of a register
(Số, Ký hiệu, Ngày ban hành, Trích yếu, ...; see HEADINGS). An unknown heading
refuses the whole sheet; a bad value refuses only its file (metadata_invalid).
"""

import csv
import io
import posixpath
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.utils import timezone

from hoso.text import fold, nfc

from .errors import Rejected

# field -> the headings it goes by, besides its own name (compared folded: case and marks ignored).
HEADINGS = {
    "file": ["tệp", "tên tệp", "tệp tin", "đường dẫn", "đường dẫn tệp"],
    "kind": ["loại sổ"],
    "unit": ["đơn vị", "đơn vị xử lý", "phòng ban"],
    "type_name": ["loại văn bản", "tên loại", "tên loại văn bản"],
    "number_notation": ["số và ký hiệu", "số, ký hiệu", "số ký hiệu", "số/ký hiệu"],
    "code_number": ["số", "số văn bản"],
    "code_notation": ["ký hiệu", "ký hiệu văn bản"],
    "issued_date": ["ngày ban hành", "ngày văn bản", "ngày tháng văn bản", "ngày, tháng văn bản", "ngày ký"],
    "organ_name": ["cơ quan ban hành", "nơi ban hành", "tác giả", "cơ quan, tổ chức ban hành"],
    "subject": ["trích yếu", "trích yếu nội dung", "tên văn bản"],
    "language": ["ngôn ngữ"],
    "page_amount": ["số trang"],
    "description": ["ghi chú", "mô tả"],
    "signer_position": ["chức vụ người ký", "chức vụ"],
    "signer_full_name": ["người ký", "họ tên người ký"],
    "priority": ["độ khẩn", "mức độ khẩn"],
    "due_date": ["hạn xử lý", "hạn giải quyết", "thời hạn giải quyết", "hạn trả lời"],
    "arrival_date": ["ngày đến"],
    "arrival_number": ["số đến"],
    "to_places": ["nơi nhận"],
    "issued_amount": ["số lượng bản", "số bản"],
}
DATE_FIELDS = {"issued_date", "due_date"}
DATETIME_FIELDS = {"arrival_date"}
INTEGER_FIELDS = {"page_amount", "arrival_number", "issued_amount"}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
DATETIME_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")
PRIORITIES = {"thuong": 0, "khan": 1, "thuong khan": 2, "hoa toc": 3, "hoa toc hen gio": 4}
KINDS = {"received": "received", "issued": "issued", "internal": "internal",
         "den": "received", "di": "issued", "noi bo": "internal"}


def _key(heading) -> str:
    """'Ngày ban hành:' and 'ngay_ban_hanh' -> 'ngay ban hanh'."""
    text = fold(str(heading)).replace("_", " ").strip().rstrip(":*").strip()
    return " ".join(text.split())


FIELD_BY_HEADING = {_key(h): f for f, headings in HEADINGS.items() for h in [f, *headings]}


def file_key(value) -> str:
    """A file reference as written in the sheet or found on disk: NFC, '/' separators, no './'."""
    text = nfc(str(value)).strip().replace("\\", "/")
    return posixpath.normpath(text).lstrip("/") if text else ""


@dataclass
class Row:
    line: int
    file: str
    values: dict  # field -> cell (str, number, date or datetime), empty cells left out
    headings: dict  # field -> its column's heading as written, for messages


@dataclass
class Assignment:
    """What the sheet says of one file: its row, or why the rows cannot be used."""

    row: Row | None = None
    problem: str = ""


class Sheet:
    def __init__(self, rows):
        self.rows = rows
        self.matched = set()  # lines of rows given to some file

    def assign(self, files) -> dict:
        """Match rows to files (relative paths): by path, else by bare file name when no file has
        that name as its path.

        Returns {file: Assignment} for the files a row speaks of.
        """
        by_path, by_name, paths = {}, {}, set(files)
        for row in self.rows:
            by_path.setdefault(row.file, []).append(row)
            if "/" not in row.file and row.file not in paths:
                by_name.setdefault(row.file, []).append(row)
        found, takers = {}, {}
        for file in files:
            rows = by_path.get(file) or by_name.get(posixpath.basename(file), [])
            if rows:
                found[file] = rows
                for row in rows:
                    takers.setdefault(row.line, []).append(file)
        result = {}
        for file, rows in found.items():
            lines = ", ".join(str(row.line) for row in rows)
            self.matched.update(row.line for row in rows)
            if len(rows) > 1:
                result[file] = Assignment(problem=f"nhiều dòng cùng chỉ tệp này (dòng {lines})")
            elif len(takers[rows[0].line]) > 1:
                result[file] = Assignment(problem=f"dòng {lines} khớp với nhiều tệp cùng tên, hãy ghi đường dẫn")
            else:
                result[file] = Assignment(row=rows[0])
        return result

    def unmatched(self) -> list:
        return [{"line": row.line, "file": row.file} for row in self.rows if row.line not in self.matched]


def read(path) -> Sheet:
    """Read a .csv or .xlsx sheet; raise Rejected (metadata_invalid) when it cannot be used at all."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            table = _csv_rows(path)
        elif suffix in {".xlsx", ".xlsm"}:
            table = _xlsx_rows(path)
        else:
            raise _sheet_error(path, "chỉ nhận tệp .csv hoặc .xlsx")
    except (OSError, ValueError, KeyError, csv.Error, zipfile.BadZipFile) as exc:  # openpyxl's, too
        raise _sheet_error(path, f"không đọc được tệp ({exc})") from exc
    if not table:
        raise _sheet_error(path, "bảng trống")
    (_line, header), *body = table
    fields = _fields(path, header)
    headings = {field: str(heading).strip() for field, heading in zip(fields, header) if field}
    rows = []
    for line, cells in body:
        values = {}
        for field, cell in zip(fields, cells):
            if field and cell is not None and not (isinstance(cell, str) and not cell.strip()):
                values[field] = nfc(cell).strip() if isinstance(cell, str) else cell
        if values:
            rows.append(Row(line=line, file=file_key(values.pop("file", "")), values=values, headings=headings))
    return Sheet(rows)


def _sheet_error(path, reason):
    return Rejected.of("metadata_invalid", Path(path).name, reason=reason)


def _fields(path, header):
    fields, unknown = [], []
    for cell in header:
        heading = "" if cell is None else str(cell).strip()
        field = FIELD_BY_HEADING.get(_key(heading)) if heading else None
        if heading and field is None:
            unknown.append(heading)
        if field is not None and field in fields:
            raise _sheet_error(path, f"hai cột cùng là trường {field}")
        fields.append(field)
    if unknown:
        raise _sheet_error(path, "cột không xác định: " + ", ".join(unknown))
    if "file" not in fields:
        raise _sheet_error(path, "thiếu cột 'file' (tên tệp)")
    return fields


def _csv_rows(path):
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1258")  # "CSV" saved by Excel on Vietnamese Windows
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    table = []
    for cells in reader:
        if any(cell.strip() for cell in cells):
            table.append((reader.line_num, cells))
    return table


def _xlsx_rows(path):
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        return [
            (number, list(cells))
            for number, cells in enumerate(book.active.iter_rows(values_only=True), start=1)
            if any(cell is not None and str(cell).strip() for cell in cells)
        ]
    finally:
        book.close()


def fields_for(row: Row, units=None) -> dict:
    """The document fields of a row, converted; raise Rejected (metadata_invalid) naming every bad value.

    ``units`` are the agency's Units, named in the sheet by name or code.
    """
    choices = {_key(text): unit for unit in units or () for text in (unit.name, unit.code) if text}
    fields, problems = {}, []
    for field, cell in row.values.items():
        try:
            fields.update(_convert(field, cell, choices))
        except ValueError as exc:
            problems.append(f"{row.headings.get(field, field)} '{cell}' {exc}")
    if problems:
        raise Rejected.of("metadata_invalid", row.file, reason="; ".join(problems))
    return fields


def _convert(field, cell, units) -> dict:
    if field in DATE_FIELDS:
        return {field: _date(cell)}
    if field in DATETIME_FIELDS:
        return {field: _datetime(cell)}
    if field in INTEGER_FIELDS:
        return {field: _integer(cell)}
    if field == "priority":
        return {field: _priority(cell)}
    if field == "kind":
        return {field: _choice(cell, KINDS, "phải là received/issued/internal (đến/đi/nội bộ)")}
    if field == "unit":
        return {field: _choice(cell, units, "không phải đơn vị nào của cơ quan")}
    text = str(cell).strip()
    if field == "number_notation":
        number, _slash, notation = text.partition("/")
        return {"code_number": number.strip(), "code_notation": notation.strip()}
    if field == "code_number" and isinstance(cell, float) and cell.is_integer():
        text = str(int(cell))
    return {field: text}


def _date(cell) -> date:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(str(cell).strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError("không phải ngày dạng dd/mm/yyyy hoặc yyyy-mm-dd")


def _datetime(cell) -> datetime:
    value = cell
    if isinstance(value, str):
        for pattern in DATETIME_FORMATS:
            try:
                value = datetime.strptime(value.strip(), pattern)
                break
            except ValueError:
                continue
    if not isinstance(value, datetime):
        value = datetime.combine(_date(value), datetime.min.time())
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _integer(cell) -> int:
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, int) or (isinstance(cell, str) and cell.strip().isdigit()):
        return int(cell)
    raise ValueError("không phải số nguyên")


def _priority(cell) -> int:
    if isinstance(cell, int | float) or str(cell).strip().isdigit():
        value = _integer(cell)
        if value in PRIORITIES.values():
            return value
    elif _key(cell) in PRIORITIES:
        return PRIORITIES[_key(cell)]
    raise ValueError("không phải độ khẩn (thường, khẩn, thượng khẩn, hỏa tốc, hỏa tốc hẹn giờ hoặc 0–4)")


def _choice(cell, choices, problem):
    value = choices.get(_key(cell))
    if value is None:
        raise ValueError(problem)
    return value
