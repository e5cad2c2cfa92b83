"""Demo data: the province of Sơn La with four agencies, a person in every role and ~30 documents, with
file plans and case files (hoso.demo.records), signing keys of a demo PKI (hoso.demo.pki) and documents
at every step of their handling (hoso.demo.flows).

Everything comes from the fixed data below and seeded random generators, so two loads give the
same records and byte-identical PDFs; the plans, case files and handling are dated from today.
``load_demo()`` creates the data once (it does nothing when a demo agency already exists),
``demo_logins()`` lists the logins it made, ``format_logins()`` prints them.

Documents sent by one demo agency to another are recorded twice, as the sender's issued document
and as the receiver's received one, with the same PDF: the content-addressed store keeps its
bytes once.
"""

import datetime as dt
import io
import random
from dataclasses import dataclass, field
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import Agency, Unit, User
from accounts.roles import Role, ensure_role_groups
from accounts.services import create_person
from casefiles.models import CaseFile, Document, DocumentFile, FilePlan
from casefiles.services import create_document
from hoso.text import long_date, short_date

DEMO_PASSWORD = "hoso-demo-2026"
OPERATOR_USERNAME = "admin"
SEED = 2026
YEAR = 2026
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEMO_NOTICE = "Văn bản mẫu do hoso tạo để trình diễn — không có giá trị pháp lý."


# --- Organs: the demo agencies and the outside bodies that write to them ----------------------


@dataclass(frozen=True)
class Organ:
    """How an issuing organ appears on its documents (Decree 30 Appendix I layout)."""

    key: str
    name: str  # as recorded (organ_name)
    identifier: str
    notation: str  # ký hiệu part: UBND, SNV, BNV...
    place: str  # địa danh in "Sơn La, ngày ..."
    header: tuple  # (parent line or "", name lines...)
    leader_block: tuple  # signature title lines when the head signs
    deputy_block: tuple  # ... when a deputy signs (KT.)
    leader_position: str
    deputy_position: str
    authority: str = ""  # the "CHỦ TỊCH ỦY BAN NHÂN DÂN ..." line of a Quyết định
    deputy_name: str = ""
    per_day: float = 1.0  # documents issued a day, to make plausible numbers


@dataclass(frozen=True)
class PersonSpec:
    role: Role
    full_name: str
    position: str
    unit: str | None  # unit code, None for the agency's leader


@dataclass(frozen=True)
class AgencySpec:
    organ: Organ
    abbreviation: str
    parent: str | None
    address: str
    units: tuple  # (name, code)
    people: tuple  # PersonSpec, one per role
    received_per_day: float


ORGANS = {
    "ubnd": Organ(
        key="ubnd", name="Ủy ban nhân dân tỉnh Sơn La", identifier="000.00.00.H53", notation="UBND",
        place="Sơn La", header=("", "ỦY BAN NHÂN DÂN", "TỈNH SƠN LA"),
        leader_block=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
        deputy_block=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        leader_position="Chủ tịch", deputy_position="Phó Chủ tịch",
        authority="CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH SƠN LA", deputy_name="Cầm Ngọc Tuấn", per_day=9,
    ),
    "snv": Organ(
        key="snv", name="Sở Nội vụ tỉnh Sơn La", identifier="000.00.12.H53", notation="SNV",
        place="Sơn La", header=("UBND TỈNH SƠN LA", "SỞ NỘI VỤ"),
        leader_block=("GIÁM ĐỐC",), deputy_block=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
        leader_position="Giám đốc", deputy_position="Phó Giám đốc",
        authority="GIÁM ĐỐC SỞ NỘI VỤ TỈNH SƠN LA", deputy_name="Tòng Văn Hải", per_day=3.2,
    ),
    "skhcn": Organ(
        key="skhcn", name="Sở Khoa học và Công nghệ tỉnh Sơn La", identifier="000.00.17.H53",
        notation="SKHCN", place="Sơn La", header=("UBND TỈNH SƠN LA", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"),
        leader_block=("GIÁM ĐỐC",), deputy_block=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
        leader_position="Giám đốc", deputy_position="Phó Giám đốc",
        authority="GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH SƠN LA", deputy_name="Phan Thanh Bình", per_day=2.1,
    ),
    "chiengmung": Organ(
        key="chiengmung", name="Ủy ban nhân dân xã Chiềng Mung", identifier="000.22.41.H53", notation="UBND",
        place="Chiềng Mung", header=("", "ỦY BAN NHÂN DÂN", "XÃ CHIỀNG MUNG"),
        leader_block=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
        deputy_block=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        leader_position="Chủ tịch", deputy_position="Phó Chủ tịch",
        authority="CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ CHIỀNG MUNG", deputy_name="Quàng Văn Hiệp", per_day=1.3,
    ),
    # Outside bodies: they only send documents to the demo agencies.
    "vpcp": Organ(
        key="vpcp", name="Văn phòng Chính phủ", identifier="000.00.00.G01", notation="VPCP", place="Hà Nội",
        header=("", "VĂN PHÒNG CHÍNH PHỦ"), leader_block=("BỘ TRƯỞNG, CHỦ NHIỆM",),
        deputy_block=("KT. BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM"),
        leader_position="Bộ trưởng, Chủ nhiệm", deputy_position="Phó Chủ nhiệm", per_day=32,
    ),
    "bnv": Organ(
        key="bnv", name="Bộ Nội vụ", identifier="000.00.00.G09", notation="BNV", place="Hà Nội",
        header=("", "BỘ NỘI VỤ"), leader_block=("BỘ TRƯỞNG",), deputy_block=("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"),
        leader_position="Bộ trưởng", deputy_position="Thứ trưởng", per_day=18,
    ),
    "bkhcn": Organ(
        key="bkhcn", name="Bộ Khoa học và Công nghệ", identifier="000.00.00.G11", notation="BKHCN",
        place="Hà Nội", header=("", "BỘ KHOA HỌC VÀ CÔNG NGHỆ"), leader_block=("BỘ TRƯỞNG",),
        deputy_block=("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"),
        leader_position="Bộ trưởng", deputy_position="Thứ trưởng", per_day=14,
    ),
    "snnmt": Organ(
        key="snnmt", name="Sở Nông nghiệp và Môi trường tỉnh Sơn La", identifier="000.00.20.H53",
        notation="SNNMT", place="Sơn La", header=("UBND TỈNH SƠN LA", "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"),
        leader_block=("GIÁM ĐỐC",), deputy_block=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
        leader_position="Giám đốc", deputy_position="Phó Giám đốc", per_day=5,
    ),
}

C, L, H, O, A, AD = Role.CLERK, Role.LEADER, Role.UNIT_HEAD, Role.OFFICER, Role.ARCHIVIST, Role.ADMIN

AGENCIES = (
    AgencySpec(
        organ=ORGANS["ubnd"], abbreviation="ubnd", parent=None,
        address="Khu Quảng trường Tây Bắc, phường Tô Hiệu, tỉnh Sơn La",
        units=(("Văn phòng", "VP"), ("Phòng Tổng hợp", "TH"), ("Phòng Kinh tế", "KT"),
               ("Phòng Nội chính", "NC"), ("Phòng Khoa giáo - Văn xã", "KGVX"),
               ("Phòng Hành chính - Tổ chức", "HCTC")),
        people=(
            PersonSpec(C, "Đặng Thị Thu Hà", "Văn thư", "VP"),
            PersonSpec(L, "Lò Văn Thắng", "Chủ tịch", None),
            PersonSpec(H, "Trần Minh Đức", "Trưởng phòng", "TH"),
            PersonSpec(O, "Phạm Thị Hồng Nhung", "Chuyên viên", "TH"),
            PersonSpec(A, "Vì Thị Lan", "Lưu trữ viên", "HCTC"),
            PersonSpec(AD, "Bùi Quang Huy", "Chuyên viên công nghệ thông tin", "HCTC"),
        ),
        received_per_day=24,
    ),
    AgencySpec(
        organ=ORGANS["snv"], abbreviation="snv", parent="ubnd",
        address="Số 10 đường Tô Hiệu, phường Tô Hiệu, tỉnh Sơn La",
        units=(("Văn phòng", "VP"), ("Thanh tra", "TTr"), ("Phòng Tổ chức cán bộ", "TCCB"),
               ("Phòng Công chức, viên chức", "CCVC"), ("Phòng Xây dựng chính quyền", "XDCQ"),
               ("Phòng Kế hoạch - Tài chính", "KHTC")),
        people=(
            PersonSpec(C, "Quàng Thị Duyên", "Văn thư", "VP"),
            PersonSpec(L, "Nguyễn Hữu Đông", "Giám đốc", None),
            PersonSpec(H, "Lường Văn Đoàn", "Trưởng phòng", "TCCB"),
            PersonSpec(O, "Hà Thị Ngọc Ánh", "Chuyên viên", "CCVC"),
            PersonSpec(A, "Đỗ Thị Mai", "Lưu trữ viên", "VP"),
            PersonSpec(AD, "Vũ Đức Thịnh", "Chuyên viên công nghệ thông tin", "VP"),
        ),
        received_per_day=9,
    ),
    AgencySpec(
        organ=ORGANS["skhcn"], abbreviation="skhcn", parent="ubnd",
        address="Số 18 đường Lò Văn Giá, phường Chiềng Cơi, tỉnh Sơn La",
        units=(("Văn phòng", "VP"), ("Phòng Kế hoạch - Tài chính", "KHTC"), ("Phòng Quản lý khoa học", "QLKH"),
               ("Phòng Quản lý công nghệ và Đổi mới sáng tạo", "QLCN"), ("Phòng Chuyển đổi số", "CĐS"),
               ("Chi cục Tiêu chuẩn Đo lường Chất lượng", "CCTĐC")),
        people=(
            PersonSpec(C, "Lê Thị Thanh Hương", "Văn thư", "VP"),
            PersonSpec(L, "Mai Xuân Đạt", "Giám đốc", None),
            PersonSpec(H, "Ngô Văn Tiến", "Trưởng phòng", "QLKH"),
            PersonSpec(O, "Hoàng Thị Thu Trang", "Chuyên viên", "QLKH"),
            PersonSpec(A, "Điêu Thị Hạnh", "Lưu trữ viên", "VP"),
            PersonSpec(AD, "Đoàn Minh Quân", "Chuyên viên", "CĐS"),
        ),
        received_per_day=7,
    ),
    AgencySpec(
        organ=ORGANS["chiengmung"], abbreviation="chiengmung", parent="ubnd",
        address="Bản Quyết Thắng, xã Chiềng Mung, tỉnh Sơn La",
        units=(("Văn phòng HĐND và UBND", "VP"), ("Phòng Kinh tế", "KT"), ("Phòng Văn hóa - Xã hội", "VHXH"),
               ("Trung tâm Phục vụ hành chính công", "TTPVHCC")),
        people=(
            PersonSpec(C, "Lò Thị Xuân", "Văn thư", "VP"),
            PersonSpec(L, "Cà Văn Dũng", "Chủ tịch", None),
            PersonSpec(H, "Tòng Thị Phương", "Trưởng phòng", "KT"),
            PersonSpec(O, "Nguyễn Văn Đạo", "Chuyên viên", "KT"),
            PersonSpec(A, "Lường Thị Hoa", "Lưu trữ viên", "VP"),
            PersonSpec(AD, "Sầm Văn Long", "Chuyên viên", "VP"),
        ),
        received_per_day=4,
    ),
)
DEMO_ABBREVIATIONS = tuple(spec.abbreviation for spec in AGENCIES)
ROLE_ORDER = [C, L, H, O, A, AD]

# Signers of outside bodies are made up from these.
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đinh", "Đặng")
MIDDLE = ("Văn", "Hữu", "Minh", "Quang", "Thanh", "Đức", "Xuân", "Ngọc")
GIVEN = ("Hùng", "Dũng", "Thành", "Tuấn", "Long", "Hải", "Nam", "Cường", "Phong", "Vinh", "Khải", "Hiếu")


# --- Documents ---------------------------------------------------------------------------------

QD, CV, TTR, BC, KH, TB = "Quyết định", "Công văn", "Tờ trình", "Báo cáo", "Kế hoạch", "Thông báo"
TYPE_CODES = {QD: "QĐ", TTR: "TTr", BC: "BC", KH: "KH", TB: "TB"}  # Công văn has none
PRIORITY_STAMPS = {1: "KHẨN", 2: "THƯỢNG KHẨN", 3: "HỎA TỐC", 4: "HỎA TỐC HẸN GIỜ"}


@dataclass(frozen=True)
class DocSpec:
    key: str
    author: str  # organ key
    kind: str  # issued | internal | incoming (from an outside body to `receiver`)
    type_name: str
    subject: str
    unit: str  # drafting unit code (ký hiệu of a Công văn)
    window: tuple  # ("MM-DD", "MM-DD") in YEAR
    body: tuple
    to: tuple = ()  # demo agencies it is sent to: each records it as received
    others: tuple = ()  # (identifier, name) of other recipients
    greeting: tuple = ()  # "Kính gửi" lines
    cc: tuple = ()  # "Nơi nhận" lines besides "Như trên" and "Lưu"
    due: tuple | None = None  # (min, max) days after issue for the reply / handling deadline
    handlers: dict = field(default_factory=dict)  # receiving agency -> unit code handling it
    receiver: str = ""  # for incoming documents
    priority: int | None = None
    extra: object = None  # rng -> dict of values for the body


def _n(value):
    """12345 -> '12.345' (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def _report_numbers(rng):
    received, sent = rng.randint(180_000, 240_000), rng.randint(90_000, 130_000)
    return {"recv": _n(received), "sent": _n(sent), "meters": _n(rng.randint(800, 1500))}


def _hiring_numbers(rng):
    a, b = rng.randint(40, 70), rng.randint(60, 120)
    return {"a": a, "b": b, "n": a + b}


def _inspection_numbers(rng):
    total, bad = rng.randint(20, 35), rng.randint(1, 4)
    return {"n": total, "bad": bad, "ok": total - bad}


def _commune_numbers(rng):
    return {"area": _n(rng.randint(350, 520)), "pct": rng.randint(95, 104), "files": rng.randint(600, 900),
            "ontime": rng.randint(97, 100), "online": rng.randint(55, 80)}


DOCUMENTS = (
    # --- UBND tỉnh Sơn La
    DocSpec(
        "ubnd-qd-cchc", "ubnd", "issued", QD,
        "Về việc ban hành Kế hoạch cải cách hành chính tỉnh Sơn La năm 2026", "TH", ("01-06", "01-16"),
        body=(
            "Căn cứ Luật Tổ chức chính quyền địa phương năm 2025;",
            "Căn cứ Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ ban hành Chương trình "
            "tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030;",
            "Theo đề nghị của Giám đốc Sở Nội vụ.",
            "## QUYẾT ĐỊNH:",
            "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách hành chính tỉnh Sơn La năm {year}.",
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
            "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc các sở, ban, ngành; Chủ tịch Ủy ban nhân "
            "dân các xã, phường và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này.",
        ),
        to=("snv", "skhcn", "chiengmung"), others=(("", "Bộ Nội vụ"),),
        cc=("Như Điều 3;", "Bộ Nội vụ (b/c);", "Chủ tịch, các Phó Chủ tịch UBND tỉnh;"),
        handlers={"snv": "XDCQ", "skhcn": "VP", "chiengmung": "VP"},
    ),
    DocSpec(
        "ubnd-cv-pccr", "ubnd", "issued", CV,
        "V/v tăng cường công tác phòng cháy, chữa cháy rừng mùa khô năm 2026", "KT", ("02-02", "02-11"),
        body=(
            "Hiện nay đang là thời kỳ cao điểm mùa khô, thời tiết trên địa bàn tỉnh diễn biến phức tạp, nắng "
            "nóng kéo dài, độ ẩm thấp, nguy cơ xảy ra cháy rừng ở mức cao (cấp IV, cấp V) tại nhiều khu vực. "
            "Để chủ động phòng ngừa, ngăn chặn và xử lý kịp thời các vụ cháy rừng, Chủ tịch Ủy ban nhân dân tỉnh "
            "yêu cầu các cơ quan, đơn vị thực hiện nghiêm các nội dung sau:",
            "1. Tổ chức trực phòng cháy, chữa cháy rừng 24/24 giờ trong những ngày cao điểm; rà soát phương án "
            "chữa cháy rừng theo phương châm bốn tại chỗ; chuẩn bị đầy đủ lực lượng, phương tiện, dụng cụ chữa cháy.",
            "2. Tăng cường tuyên truyền, vận động nhân dân không đốt nương làm rẫy, đốt thực bì trong thời gian "
            "cấm đốt; xử lý nghiêm các trường hợp vi phạm.",
            "3. Báo cáo kết quả thực hiện về Ủy ban nhân dân tỉnh (qua Sở Nông nghiệp và Môi trường) trước "
            "ngày {due} để tổng hợp.",
        ),
        to=("chiengmung",), others=(("000.00.20.H53", "Sở Nông nghiệp và Môi trường tỉnh Sơn La"),
                                    ("", "Công an tỉnh Sơn La")),
        greeting=("Sở Nông nghiệp và Môi trường;", "Công an tỉnh;", "Ủy ban nhân dân các xã, phường."),
        cc=("Chủ tịch UBND tỉnh (b/c);",), due=(14, 20), priority=1, handlers={"chiengmung": "KT"},
    ),
    DocSpec(
        "ubnd-tb-ketluan", "ubnd", "issued", TB,
        "Kết luận của Chủ tịch Ủy ban nhân dân tỉnh tại buổi làm việc với Sở Khoa học và Công nghệ", "KGVX",
        ("03-02", "03-13"),
        body=(
            "Ngày {before}, Chủ tịch Ủy ban nhân dân tỉnh đã chủ trì buổi làm việc với Sở Khoa học và Công nghệ "
            "về kết quả thực hiện nhiệm vụ năm 2025, phương hướng, nhiệm vụ năm {year}. Tham dự buổi làm việc có "
            "lãnh đạo các sở: Nội vụ, Tài chính và Văn phòng Ủy ban nhân dân tỉnh.",
            "Sau khi nghe báo cáo của Sở Khoa học và Công nghệ và ý kiến của các đại biểu dự họp, Chủ tịch Ủy ban "
            "nhân dân tỉnh kết luận: năm 2025, Sở đã chủ động tham mưu triển khai các nhiệm vụ được giao; nhiều "
            "nhiệm vụ khoa học và công nghệ được ứng dụng hiệu quả vào sản xuất, nhất là trong lĩnh vực nông "
            "nghiệp công nghệ cao và bảo quản, chế biến nông sản.",
            "Trong năm {year}, đề nghị Sở Khoa học và Công nghệ tập trung tham mưu triển khai chuyển đổi số, phát "
            "triển hạ tầng số; đẩy mạnh ứng dụng tiến bộ khoa học, công nghệ vào sản xuất cây ăn quả và cà phê; "
            "hoàn thành việc số hóa hồ sơ, tài liệu lưu trữ theo kế hoạch.",
            "Ủy ban nhân dân tỉnh thông báo để Sở Khoa học và Công nghệ và các cơ quan, đơn vị có liên quan biết, "
            "thực hiện.",
        ),
        to=("skhcn",), others=(("", "Sở Tài chính tỉnh Sơn La"),),
        cc=("Sở Khoa học và Công nghệ;", "Sở Nội vụ; Sở Tài chính;", "Chủ tịch, các Phó Chủ tịch UBND tỉnh;"),
        handlers={"skhcn": "VP"},
    ),
    DocSpec(
        "ubnd-kh-hoinghi", "ubnd", "internal", KH,
        "Tổ chức Hội nghị cán bộ, công chức, viên chức và người lao động năm 2026", "HCTC", ("01-12", "01-22"),
        body=(
            "1. Mục đích: đánh giá kết quả thực hiện nhiệm vụ năm 2025; thảo luận, đóng góp ý kiến vào phương "
            "hướng, nhiệm vụ năm {year}; phát huy quyền làm chủ của cán bộ, công chức, viên chức và người lao "
            "động trong cơ quan.",
            "2. Thời gian, địa điểm: Hội nghị được tổ chức vào ngày {event}, tại Hội trường tầng 3, trụ sở Ủy ban "
            "nhân dân tỉnh.",
            "3. Thành phần: lãnh đạo Ủy ban nhân dân tỉnh; Ban Chấp hành Công đoàn cơ quan; toàn thể cán bộ, "
            "công chức, viên chức và người lao động.",
            "4. Tổ chức thực hiện: Phòng Hành chính - Tổ chức chủ trì, phối hợp với Công đoàn cơ quan chuẩn bị "
            "nội dung, tài liệu và các điều kiện phục vụ Hội nghị; các phòng, đơn vị gửi ý kiến đóng góp trước "
            "ngày {due}.",
        ),
        cc=("Lãnh đạo UBND tỉnh;", "Công đoàn cơ quan;", "Các phòng, đơn vị;"), due=(5, 7),
    ),
    DocSpec(
        "vpcp-cv-dvc", "vpcp", "incoming", CV,
        "V/v đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình và thanh toán trực tuyến", "KSTT",
        ("02-16", "03-06"),
        body=(
            "Thực hiện chỉ đạo của Thủ tướng Chính phủ về đẩy mạnh cải cách thủ tục hành chính gắn với chuyển "
            "đổi số, Văn phòng Chính phủ đề nghị Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương:",
            "1. Rà soát, tái cấu trúc quy trình, cung cấp dịch vụ công trực tuyến toàn trình đối với các thủ tục "
            "hành chính đủ điều kiện; tích hợp, cung cấp trên Cổng Dịch vụ công quốc gia.",
            "2. Đẩy mạnh thanh toán trực tuyến phí, lệ phí; số hóa hồ sơ, kết quả giải quyết thủ tục hành chính "
            "theo quy định.",
            "3. Báo cáo kết quả thực hiện về Văn phòng Chính phủ trước ngày {due} để tổng hợp, báo cáo Thủ tướng "
            "Chính phủ.",
        ),
        greeting=("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.",),
        cc=("Thủ tướng, các Phó Thủ tướng Chính phủ (b/c);", "VPCP: BTCN, các PCN;"),
        due=(18, 25), receiver="ubnd", handlers={"ubnd": "TH"}, priority=1,
    ),
    # --- Sở Nội vụ
    DocSpec(
        "snv-ttr-tuyendung", "snv", "issued", TTR,
        "Về việc phê duyệt chỉ tiêu tuyển dụng công chức các cơ quan hành chính tỉnh Sơn La năm 2026", "CCVC",
        ("02-23", "03-06"),
        body=(
            "Căn cứ Luật Cán bộ, công chức năm 2025 và các văn bản hướng dẫn thi hành; căn cứ kết quả rà soát "
            "nhu cầu tuyển dụng của các cơ quan, đơn vị, Sở Nội vụ kính trình Ủy ban nhân dân tỉnh xem xét, phê "
            "duyệt chỉ tiêu tuyển dụng công chức năm {year} như sau:",
            "1. Tổng số chỉ tiêu tuyển dụng: {n} chỉ tiêu, trong đó khối sở, ban, ngành {a} chỉ tiêu, khối xã, "
            "phường {b} chỉ tiêu.",
            "2. Hình thức tuyển dụng: thi tuyển theo quy định hiện hành; thời gian dự kiến tổ chức trong quý II "
            "năm {year}.",
            "Sở Nội vụ kính trình Ủy ban nhân dân tỉnh xem xét, phê duyệt./.",
        ),
        to=("ubnd",), greeting=("Ủy ban nhân dân tỉnh Sơn La.",), extra=_hiring_numbers,
        handlers={"ubnd": "NC"},
    ),
    DocSpec(
        "snv-cv-csdl", "snv", "issued", CV,
        "V/v rà soát, cập nhật Cơ sở dữ liệu cán bộ, công chức, viên chức", "CCVC", ("03-16", "03-27"),
        body=(
            "Để bảo đảm dữ liệu về cán bộ, công chức, viên chức trên Cơ sở dữ liệu quốc gia về cán bộ, công chức, "
            "viên chức được đầy đủ, chính xác, thống nhất, Sở Nội vụ đề nghị các cơ quan, đơn vị thực hiện một "
            "số nội dung sau:",
            "1. Rà soát, cập nhật đầy đủ thông tin của cán bộ, công chức, viên chức, người lao động thuộc phạm vi "
            "quản lý, nhất là thông tin về trình độ chuyên môn, ngạch, bậc lương, chức vụ sau khi sắp xếp tổ "
            "chức bộ máy.",
            "2. Phân công công chức phụ trách, chịu trách nhiệm về tính chính xác của dữ liệu; hoàn thành việc "
            "cập nhật trước ngày {due}.",
            "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị liên hệ Phòng Công chức, viên chức, Sở Nội vụ "
            "để được hướng dẫn.",
        ),
        to=("skhcn", "chiengmung"), others=(("", "Các sở, ban, ngành tỉnh Sơn La"),),
        greeting=("Các sở, ban, ngành tỉnh;", "Ủy ban nhân dân các xã, phường."),
        cc=("Giám đốc Sở (b/c);",), due=(10, 15), handlers={"skhcn": "VP", "chiengmung": "VP"},
    ),
    DocSpec(
        "snv-bc-vtlt", "snv", "issued", BC,
        "Kết quả thực hiện công tác văn thư, lưu trữ năm 2025", "VP", ("01-05", "01-15"),
        body=(
            "Thực hiện hướng dẫn của Bộ Nội vụ về chế độ báo cáo thống kê công tác văn thư, lưu trữ, Sở Nội vụ "
            "báo cáo kết quả thực hiện năm 2025 như sau:",
            "1. Công tác văn thư: các cơ quan, tổ chức trên địa bàn tỉnh đã tiếp nhận {recv} văn bản đến và phát "
            "hành {sent} văn bản đi qua Hệ thống quản lý văn bản và điều hành; tỷ lệ văn bản điện tử được ký số "
            "đạt trên 98%.",
            "2. Công tác lưu trữ: các cơ quan, tổ chức đã chỉnh lý {meters} mét giá tài liệu; Lưu trữ lịch sử "
            "tỉnh tiếp nhận và bảo quản an toàn tài liệu của các cơ quan thuộc nguồn nộp lưu.",
            "3. Tồn tại, hạn chế: việc lập hồ sơ điện tử ở một số cơ quan còn chậm; kho lưu trữ chuyên dụng chưa "
            "đáp ứng yêu cầu; nhân lực làm công tác lưu trữ ở cấp xã còn thiếu và chủ yếu kiêm nhiệm.",
        ),
        to=("ubnd",), others=(("000.00.00.G09", "Bộ Nội vụ"),),
        cc=("Bộ Nội vụ (b/c);", "UBND tỉnh (b/c);", "Giám đốc Sở;"), extra=_report_numbers,
        handlers={"ubnd": "HCTC"},
    ),
    DocSpec(
        "snv-qd-tocongtac", "snv", "internal", QD,
        "Về việc thành lập Tổ công tác chuyển đổi số của Sở Nội vụ", "VP", ("04-06", "04-17"),
        body=(
            "Căn cứ Quyết định của Ủy ban nhân dân tỉnh quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ "
            "chức của Sở Nội vụ tỉnh Sơn La;",
            "Theo đề nghị của Chánh Văn phòng Sở.",
            "## QUYẾT ĐỊNH:",
            "Điều 1. Thành lập Tổ công tác chuyển đổi số của Sở Nội vụ gồm các thành viên có tên tại danh sách "
            "kèm theo Quyết định này.",
            "Điều 2. Tổ công tác có nhiệm vụ tham mưu, giúp Giám đốc Sở chỉ đạo triển khai chuyển đổi số, số hóa "
            "hồ sơ, tài liệu và vận hành hệ thống quản lý hồ sơ điện tử của Sở; Tổ công tác tự giải thể sau khi "
            "hoàn thành nhiệm vụ.",
            "Điều 3. Quyết định có hiệu lực kể từ ngày ký. Chánh Văn phòng, Trưởng các phòng thuộc Sở và các "
            "ông, bà có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
        ),
        cc=("Như Điều 3;", "Giám đốc, các Phó Giám đốc Sở;"),
    ),
    DocSpec(
        "bnv-cv-hosodientu", "bnv", "incoming", CV,
        "V/v hướng dẫn lập hồ sơ và nộp lưu hồ sơ, tài liệu điện tử vào Lưu trữ cơ quan", "VTLTNN",
        ("02-02", "02-13"),
        body=(
            "Thực hiện Luật Lưu trữ năm 2024 và các văn bản hướng dẫn thi hành, Bộ Nội vụ hướng dẫn một số nội "
            "dung về lập hồ sơ và nộp lưu hồ sơ, tài liệu điện tử như sau:",
            "1. Hồ sơ điện tử phải được lập trên Hệ thống quản lý tài liệu điện tử của cơ quan, bảo đảm tính xác "
            "thực, toàn vẹn, nhất quán và khả năng truy cập; mỗi văn bản trong hồ sơ có đầy đủ thông tin đầu vào "
            "theo quy định.",
            "2. Hồ sơ, tài liệu điện tử đến hạn nộp lưu phải được nộp vào Lưu trữ cơ quan kèm theo Mục lục hồ "
            "sơ, tài liệu nộp lưu được ký số bởi người có thẩm quyền.",
            "3. Đề nghị Sở Nội vụ các tỉnh, thành phố hướng dẫn, kiểm tra các cơ quan, tổ chức thuộc phạm vi quản "
            "lý thực hiện; báo cáo kết quả về Bộ Nội vụ (qua Cục Văn thư và Lưu trữ nhà nước) trước ngày {due}.",
        ),
        greeting=("Sở Nội vụ các tỉnh, thành phố trực thuộc Trung ương.",),
        cc=("Bộ trưởng (b/c);", "Cục Văn thư và Lưu trữ nhà nước;"),
        due=(25, 35), receiver="snv", handlers={"snv": "VP"},
    ),
    # --- Sở Khoa học và Công nghệ
    DocSpec(
        "skhcn-ttr-nhiemvu", "skhcn", "issued", TTR,
        "Về việc phê duyệt danh mục nhiệm vụ khoa học và công nghệ cấp tỉnh đặt hàng thực hiện từ năm 2027",
        "QLKH", ("04-13", "04-24"),
        body=(
            "Căn cứ Luật Khoa học, công nghệ và đổi mới sáng tạo và các văn bản hướng dẫn thi hành;",
            "Trên cơ sở đề xuất của các sở, ban, ngành, Ủy ban nhân dân các xã, phường và ý kiến tư vấn của Hội "
            "đồng khoa học và công nghệ tỉnh, Sở Khoa học và Công nghệ đã tổng hợp được {n} nhiệm vụ khoa học và "
            "công nghệ đề xuất đặt hàng, tập trung vào các lĩnh vực: nông nghiệp công nghệ cao, bảo tồn và phát "
            "triển nguồn gen, chế biến nông sản, y tế và chuyển đổi số.",
            "Sở Khoa học và Công nghệ kính trình Ủy ban nhân dân tỉnh xem xét, phê duyệt danh mục nhiệm vụ khoa "
            "học và công nghệ cấp tỉnh đặt hàng thực hiện từ năm 2027 (có danh mục chi tiết kèm theo)./.",
        ),
        to=("ubnd",), greeting=("Ủy ban nhân dân tỉnh Sơn La.",), extra=lambda rng: {"n": rng.randint(8, 14)},
        handlers={"ubnd": "KGVX"},
    ),
    DocSpec(
        "skhcn-kh-ngaykhcn", "skhcn", "issued", KH,
        "Tổ chức các hoạt động hưởng ứng Ngày Khoa học và Công nghệ Việt Nam 18/5 năm 2026", "QLKH",
        ("04-20", "04-29"),
        body=(
            "1. Mục đích: tuyên truyền, nâng cao nhận thức của cán bộ, công chức, viên chức và nhân dân về vai trò "
            "của khoa học, công nghệ và đổi mới sáng tạo đối với phát triển kinh tế - xã hội của tỉnh; tôn vinh "
            "các tổ chức, cá nhân có thành tích tiêu biểu.",
            "2. Nội dung: tổ chức tọa đàm về ứng dụng khoa học, công nghệ trong sản xuất nông nghiệp; trưng bày "
            "sản phẩm khoa học và công nghệ tiêu biểu; tuyên truyền trên Cổng thông tin điện tử tỉnh và các "
            "phương tiện thông tin đại chúng từ ngày 10/5 đến ngày 20/5/{year}.",
            "3. Tổ chức thực hiện: Phòng Quản lý khoa học chủ trì, phối hợp với các phòng, đơn vị thuộc Sở triển "
            "khai Kế hoạch; đề nghị các sở, ban, ngành và Ủy ban nhân dân các xã, phường căn cứ tình hình thực tế "
            "tổ chức các hoạt động hưởng ứng, báo cáo kết quả về Sở Khoa học và Công nghệ trước ngày {due}.",
        ),
        to=("snv", "chiengmung"), others=(("", "Các sở, ban, ngành tỉnh Sơn La"),),
        cc=("UBND tỉnh (b/c);", "Các sở, ban, ngành;", "UBND các xã, phường;"), due=(30, 38),
        handlers={"snv": "VP", "chiengmung": "VHXH"},
    ),
    DocSpec(
        "skhcn-tb-tuyenchon", "skhcn", "issued", TB,
        "Tuyển chọn tổ chức, cá nhân chủ trì thực hiện nhiệm vụ khoa học và công nghệ cấp tỉnh năm 2027", "QLKH",
        ("06-01", "06-12"),
        body=(
            "Thực hiện Quyết định phê duyệt danh mục nhiệm vụ khoa học và công nghệ cấp tỉnh đặt hàng thực hiện "
            "từ năm 2027 của Ủy ban nhân dân tỉnh, Sở Khoa học và Công nghệ thông báo tuyển chọn tổ chức, cá nhân "
            "chủ trì thực hiện các nhiệm vụ (có danh mục kèm theo).",
            "Tổ chức, cá nhân đăng ký tham gia tuyển chọn nộp hồ sơ theo quy định tại Bộ phận một cửa của Sở "
            "Khoa học và Công nghệ hoặc qua Cổng Dịch vụ công của tỉnh; thời hạn nhận hồ sơ đến 17 giờ 00 ngày "
            "{due}.",
            "Thông tin chi tiết được đăng tải trên Trang thông tin điện tử của Sở Khoa học và Công nghệ. Sở Khoa "
            "học và Công nghệ thông báo để các tổ chức, cá nhân biết, đăng ký tham gia./.",
        ),
        others=(("", "Các tổ chức khoa học và công nghệ"), ("", "Các viện, trường đại học, cao đẳng")),
        cc=("UBND tỉnh (b/c);", "Các tổ chức khoa học và công nghệ;", "Trang thông tin điện tử của Sở;"),
        due=(30, 45),
    ),
    DocSpec(
        "skhcn-bc-dolruong", "skhcn", "internal", BC,
        "Kết quả kiểm tra nhà nước về đo lường đối với cột đo xăng dầu quý I năm 2026", "CCTĐC",
        ("04-01", "04-10"),
        body=(
            "Thực hiện Kế hoạch kiểm tra năm {year} đã được Giám đốc Sở phê duyệt, trong quý I năm {year}, Chi cục "
            "Tiêu chuẩn Đo lường Chất lượng đã tiến hành kiểm tra nhà nước về đo lường tại {n} cửa hàng bán lẻ "
            "xăng dầu trên địa bàn tỉnh.",
            "Kết quả: {ok} cửa hàng chấp hành đầy đủ quy định; {bad} cửa hàng có cột đo hết hạn kiểm định hoặc "
            "sai số vượt giới hạn cho phép, đoàn kiểm tra đã lập biên bản, yêu cầu tạm dừng sử dụng và kiểm định "
            "lại.",
            "Đề xuất: tiếp tục tăng cường kiểm tra; phối hợp với Ủy ban nhân dân các xã, phường tuyên truyền, "
            "hướng dẫn các cơ sở kinh doanh thực hiện đúng quy định về đo lường.",
        ),
        cc=("Giám đốc, các Phó Giám đốc Sở;", "Chi cục TCĐLCL;"), extra=_inspection_numbers,
    ),
    DocSpec(
        "bkhcn-cv-dathang", "bkhcn", "incoming", CV,
        "V/v đề xuất đặt hàng nhiệm vụ khoa học và công nghệ cấp quốc gia bắt đầu thực hiện từ năm 2027", "KHTC",
        ("03-02", "03-13"),
        body=(
            "Căn cứ quy định về xác định nhiệm vụ khoa học và công nghệ cấp quốc gia sử dụng ngân sách nhà nước, "
            "Bộ Khoa học và Công nghệ đề nghị các bộ, ngành, địa phương đề xuất đặt hàng nhiệm vụ khoa học và "
            "công nghệ cấp quốc gia bắt đầu thực hiện từ năm 2027.",
            "Các đề xuất đặt hàng cần xuất phát từ nhu cầu thực tiễn của ngành, địa phương, có địa chỉ ứng dụng "
            "cụ thể, tập trung vào các lĩnh vực ưu tiên: nông nghiệp công nghệ cao, công nghệ sinh học, công nghệ "
            "số và đổi mới sáng tạo.",
            "Hồ sơ đề xuất gửi về Bộ Khoa học và Công nghệ trước ngày {due}, đồng thời gửi bản điện tử qua Hệ "
            "thống quản lý văn bản và điều hành.",
        ),
        greeting=("Sở Khoa học và Công nghệ các tỉnh, thành phố trực thuộc Trung ương.",),
        cc=("Bộ trưởng (b/c);", "Vụ Kế hoạch - Tài chính;"), due=(25, 35), receiver="skhcn",
        handlers={"skhcn": "QLKH"},
    ),
    # --- UBND xã Chiềng Mung
    DocSpec(
        "xa-bc-ktxh", "chiengmung", "issued", BC,
        "Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội quý I, phương hướng nhiệm vụ quý II năm 2026",
        "VP", ("03-23", "03-31"),
        body=(
            "1. Về kinh tế: tổng diện tích gieo trồng vụ Đông Xuân đạt {area} ha, bằng {pct}% kế hoạch; tiếp tục "
            "phát triển cây ăn quả trên đất dốc, nhất là xoài, nhãn, mận; công tác phòng, chống dịch bệnh trên "
            "đàn gia súc, gia cầm được triển khai kịp thời.",
            "2. Về văn hóa - xã hội: duy trì sĩ số học sinh các cấp học; tổ chức các hoạt động văn hóa, thể thao "
            "mừng Đảng, mừng Xuân an toàn, tiết kiệm; chi trả đầy đủ, kịp thời các chế độ chính sách cho người có "
            "công và đối tượng bảo trợ xã hội.",
            "3. Về cải cách hành chính: Trung tâm Phục vụ hành chính công xã đã tiếp nhận {files} hồ sơ, giải "
            "quyết đúng hạn {ontime}%; tỷ lệ hồ sơ nộp trực tuyến đạt {online}%.",
            "4. Phương hướng quý II: tập trung chỉ đạo sản xuất vụ Mùa, phòng, chống thiên tai mùa mưa lũ; đẩy "
            "mạnh chuyển đổi số và số hóa hồ sơ, tài liệu lưu trữ của xã.",
        ),
        to=("ubnd",), cc=("UBND tỉnh (b/c);", "Thường trực Đảng ủy, HĐND xã;", "Chủ tịch, các PCT UBND xã;"),
        extra=_commune_numbers, handlers={"ubnd": "TH"},
    ),
    DocSpec(
        "xa-tb-tiepdan", "chiengmung", "issued", TB,
        "Lịch tiếp công dân định kỳ của Chủ tịch Ủy ban nhân dân xã tháng 4 năm 2026", "VP", ("03-25", "03-31"),
        body=(
            "Thực hiện Luật Tiếp công dân và Quy chế tiếp công dân của Ủy ban nhân dân xã, Ủy ban nhân dân xã "
            "Chiềng Mung thông báo lịch tiếp công dân định kỳ của Chủ tịch Ủy ban nhân dân xã tháng 4 năm {year} "
            "như sau:",
            "1. Thời gian: ngày 10/4/{year} và ngày 24/4/{year}; buổi sáng từ 07 giờ 30 phút đến 11 giờ 30 phút.",
            "2. Địa điểm: Phòng tiếp công dân, trụ sở Ủy ban nhân dân xã Chiềng Mung.",
            "Văn phòng HĐND và UBND xã có trách nhiệm bố trí địa điểm, mời các cơ quan, đơn vị liên quan cùng dự; "
            "đề nghị Trưởng các bản thông báo rộng rãi để nhân dân biết./.",
        ),
        others=(("", "Các bản trên địa bàn xã Chiềng Mung"),),
        cc=("Thường trực Đảng ủy, HĐND xã;", "Ủy ban MTTQ Việt Nam xã;", "Các bản;"),
    ),
    DocSpec(
        "xa-kh-chinhly", "chiengmung", "internal", KH,
        "Chỉnh lý, số hóa tài liệu lưu trữ của Ủy ban nhân dân xã năm 2026", "VP", ("05-11", "05-22"),
        body=(
            "1. Mục đích, yêu cầu: chỉnh lý hoàn chỉnh khối tài liệu tồn đọng của các xã trước khi sắp xếp, bảo "
            "đảm tài liệu được phân loại, lập hồ sơ, xác định thời hạn bảo quản và số hóa theo quy định.",
            "2. Khối lượng: khoảng {meters} mét giá tài liệu hành chính giai đoạn 2015 - 2025; số hóa các hồ sơ "
            "có thời hạn bảo quản vĩnh viễn.",
            "3. Thời gian thực hiện: từ tháng 6 đến tháng 9 năm {year}.",
            "4. Tổ chức thực hiện: Văn phòng HĐND và UBND xã chủ trì, phân công công chức làm công tác lưu trữ "
            "phối hợp với các phòng chuyên môn thực hiện; kinh phí thực hiện từ nguồn ngân sách xã năm {year}.",
        ),
        cc=("Chủ tịch, các PCT UBND xã;", "Các phòng chuyên môn;"),
        extra=lambda rng: {"meters": rng.randint(25, 60)},
    ),
    DocSpec(
        "snnmt-cv-thoivu", "snnmt", "incoming", CV,
        "V/v hướng dẫn khung thời vụ gieo trồng vụ Mùa năm 2026", "TTBVTV", ("05-04", "05-15"),
        body=(
            "Căn cứ dự báo tình hình khí tượng, thủy văn và kết quả sản xuất vụ Xuân năm {year}, Sở Nông nghiệp "
            "và Môi trường hướng dẫn khung thời vụ gieo trồng vụ Mùa năm {year} trên địa bàn tỉnh như sau:",
            "1. Đối với lúa ruộng: gieo mạ từ ngày 25/5 đến ngày 20/6, cấy xong trước ngày 15/7; ưu tiên sử dụng "
            "các giống lúa chất lượng cao, chống chịu sâu bệnh, phù hợp với điều kiện từng vùng.",
            "2. Đối với ngô: gieo trồng tập trung từ ngày 15/5 đến ngày 30/6; khuyến khích áp dụng biện pháp canh "
            "tác bền vững trên đất dốc, hạn chế xói mòn.",
            "Đề nghị Ủy ban nhân dân các xã, phường chỉ đạo các bản, hợp tác xã triển khai thực hiện; tổng hợp "
            "tiến độ gieo trồng, báo cáo về Sở Nông nghiệp và Môi trường trước ngày {due}.",
        ),
        greeting=("Ủy ban nhân dân các xã, phường.",), cc=("UBND tỉnh (b/c);", "Giám đốc Sở;"),
        due=(20, 30), receiver="chiengmung", handlers={"chiengmung": "KT"},
    ),
)


# --- Dates and numbers -------------------------------------------------------------------------


def _workday(day):
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _pick_date(rng, window):
    start, end = (dt.date.fromisoformat(f"{YEAR}-{w}") for w in window)
    return _workday(start + dt.timedelta(days=rng.randint(0, (end - start).days)))


def _base_number(rng, day, per_day):
    return max(1, int(day.timetuple().tm_yday * per_day) + rng.randint(0, max(1, int(per_day))))


# --- PDF -----------------------------------------------------------------------------------------


@dataclass
class PdfSpec:
    header: tuple
    number: str  # "Số: 125/QĐ-UBND"
    place_date: str
    type_name: str
    subject: str
    body: list
    signer_block: tuple
    signer_name: str
    cc: list
    authority: str = ""
    greeting: tuple = ()
    priority: int = 0
    title: str = ""
    author: str = ""


_STYLES = {}


def _styles():
    if _STYLES:
        return _STYLES
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    from hoso.fonts import register_fonts

    regular, bold = register_fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=12.5, leading=16.5)
    _STYLES.update(
        organ_parent=ParagraphStyle("op", base, fontSize=11, leading=14, alignment=TA_CENTER),
        organ=ParagraphStyle("o", base, fontName=bold, fontSize=11, leading=14, alignment=TA_CENTER),
        nation=ParagraphStyle("n", base, fontName=bold, fontSize=10, leading=13, alignment=TA_CENTER),
        motto=ParagraphStyle("m", base, fontName=bold, fontSize=12, leading=15, alignment=TA_CENTER),
        number=ParagraphStyle("no", base, fontSize=12, leading=15, alignment=TA_CENTER),
        about=ParagraphStyle("vv", base, fontSize=11, leading=13.5, alignment=TA_CENTER),
        place=ParagraphStyle("pd", base, fontSize=12, leading=15, alignment=TA_CENTER),
        stamp=ParagraphStyle("st", base, fontName=bold, fontSize=11, leading=13, alignment=TA_CENTER),
        title=ParagraphStyle("t", base, fontName=bold, fontSize=14, leading=18, alignment=TA_CENTER,
                             spaceBefore=14),
        subject=ParagraphStyle("s", base, fontName=bold, fontSize=12.5, leading=16, alignment=TA_CENTER),
        greeting=ParagraphStyle("g", base, alignment=TA_LEFT, leftIndent=60, spaceBefore=10, spaceAfter=6),
        heading=ParagraphStyle("h", base, fontName=bold, alignment=TA_CENTER, spaceBefore=4, spaceAfter=4),
        body=ParagraphStyle("b", base, alignment=TA_JUSTIFY, firstLineIndent=28, spaceAfter=5),
        cc_title=ParagraphStyle("cct", base, fontName=bold, fontSize=10.5, leading=13),
        cc=ParagraphStyle("cc", base, fontSize=9.5, leading=12),
        sign=ParagraphStyle("sg", base, fontName=bold, fontSize=12, leading=15, alignment=TA_CENTER),
        regular=regular,
    )
    return _STYLES


def render_pdf(spec: PdfSpec) -> tuple[bytes, int]:
    """Lay out a Vietnamese administrative document; return (PDF bytes, page count). Deterministic."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    st = _styles()

    def para(text, style):
        return Paragraph(escape(text), st[style])

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, invariant=1, leftMargin=30 * mm, rightMargin=18 * mm, topMargin=18 * mm,
        bottomMargin=20 * mm, title=spec.title, author=spec.author, creator="hoso demo", subject=spec.subject,
        lang="vi-VN",
    )
    width = doc.width
    plain = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])

    def rule(fraction):
        return HRFlowable(width=f"{fraction}%", thickness=0.6, color=colors.black, spaceBefore=5, spaceAfter=7)

    parent, *names = spec.header
    left = ([para(parent, "organ_parent")] if parent else [])
    left += [para(line, "organ") for line in names] + [rule(30)]
    left += [para(spec.number, "number")]
    if spec.type_name == CV:
        left += [para(spec.subject, "about")]
    if spec.priority:
        stamp = Table([[para(PRIORITY_STAMPS[spec.priority], "stamp")]], colWidths=[40 * mm])
        stamp.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, colors.black),
                                   ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        left += [Spacer(1, 6), stamp]
    right = [para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "nation"),
             para("Độc lập - Tự do - Hạnh phúc", "motto"), rule(50),
             para(spec.place_date, "place")]
    header = Table([[left, right]], colWidths=[width * 0.41, width * 0.59])
    header.setStyle(plain)
    story = [header]

    if spec.type_name != CV:
        story += [para(spec.type_name.upper(), "title"), para(spec.subject, "subject"), rule(22)]
    if spec.authority:
        story += [para(spec.authority, "heading"), Spacer(1, 4)]
    if spec.greeting:
        if len(spec.greeting) == 1:
            story.append(para(f"Kính gửi: {spec.greeting[0]}", "greeting"))
        else:
            lines = "<br/>".join(escape(f"- {line}") for line in spec.greeting)
            story.append(Paragraph(f"Kính gửi:<br/>{lines}", st["greeting"]))
    else:
        story.append(Spacer(1, 8))
    for paragraph in spec.body:
        if paragraph.startswith("## "):
            story.append(para(paragraph[3:], "heading"))
        else:
            story.append(para(paragraph, "body"))

    cc = [para("Nơi nhận:", "cc_title")] + [para(f"- {line}", "cc") for line in spec.cc]
    sign = [Paragraph("<br/>".join(map(escape, spec.signer_block)), st["sign"]), Spacer(1, 22 * mm),
            para(spec.signer_name, "sign")]
    footer = Table([[cc, sign]], colWidths=[width * 0.48, width * 0.52])
    footer.setStyle(plain)
    story += [Spacer(1, 8), footer]

    def on_page(canvas, document):
        canvas.saveState()
        canvas.setFont(st["regular"], 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, DEMO_NOTICE)
        if document.page > 1:
            canvas.setFont(st["regular"], 11)
            canvas.setFillColor(colors.black)
            canvas.drawCentredString(A4[0] / 2, A4[1] - 10 * mm, str(document.page))
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue(), doc.page


# --- Planning ----------------------------------------------------------------------------------


@dataclass
class Record:
    """One document record to create, in one agency."""

    agency: str
    kind: str
    fields: dict
    spec_key: str
    recipients: list = field(default_factory=list)
    when: dt.datetime | None = None


def _signer(rng, organ, people):
    """(position, full name, block lines) of whoever signs for the organ."""
    if rng.random() < 0.35:
        name = organ.deputy_name or _made_up_name(rng)
        return organ.deputy_position, name, organ.deputy_block
    leader = people.get((organ.key, L))
    name = leader.full_name if leader is not None else _made_up_name(rng)
    return organ.leader_position, name, organ.leader_block


def _made_up_name(rng):
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _priority(rng, spec):
    if spec.priority is not None:
        return spec.priority
    if spec.type_name not in {CV, TB}:
        return 0
    return rng.choices([0, 1, 2, 3], weights=[70, 20, 7, 3])[0]


def plan_documents(people, units, seed=SEED):
    """Every record to create with its PDF spec, in chronological order. Pure: touches no database.

    ``people``: {(agency abbreviation, role): user}; ``units``: {(agency abbreviation, unit code): unit}.
    """
    rng = random.Random(seed)
    dated = sorted(((spec, _pick_date(rng, spec.window)) for spec in DOCUMENTS), key=lambda item: item[1])
    # Number the documents of each issuing organ in date order (one register a year, Decree 30 Art. 15).
    numbers, last = {}, {}
    for spec, day in dated:
        organ = ORGANS[spec.author]
        number = _base_number(rng, day, organ.per_day)
        if spec.kind != "incoming":
            number = max(number, last.get(spec.author, 0) + 1)
            last[spec.author] = number
        numbers[spec.key] = number

    records, pdfs = [], {}
    for spec, day in dated:
        organ = ORGANS[spec.author]
        number = str(numbers[spec.key])
        notation = (f"{organ.notation}-{spec.unit}" if spec.type_name == CV
                    else f"{TYPE_CODES[spec.type_name]}-{organ.notation}")
        due = day + dt.timedelta(days=rng.randint(*spec.due)) if spec.due else None
        values = {
            "year": YEAR,
            "due": short_date(due) if due else "",
            "before": short_date(day - dt.timedelta(days=rng.randint(2, 5))),
            "event": short_date(_workday(day + dt.timedelta(days=rng.randint(9, 14)))),
            **(spec.extra(rng) if spec.extra else {}),
        }
        body = [paragraph.format(**values) for paragraph in spec.body]
        position, signer, block = _signer(rng, organ, people)
        priority = _priority(rng, spec)
        cc = ([] if not spec.greeting else ["Như trên;"]) + list(spec.cc)
        cc.append(f"Lưu: VT, {spec.unit}.")
        pdfs[spec.key] = PdfSpec(
            header=organ.header, number=f"Số: {number}/{notation}", place_date=long_date(organ.place, day),
            type_name=spec.type_name, subject=spec.subject, body=body, signer_block=block, signer_name=signer,
            cc=cc, authority=organ.authority if spec.type_name == QD else "", greeting=spec.greeting,
            priority=priority, title=f"{spec.type_name} {number}/{notation}", author=organ.name,
        )
        common = {
            "type_name": spec.type_name, "code_number": number, "code_notation": notation, "issued_date": day,
            "organ_name": organ.name, "subject": spec.subject, "signer_position": position,
            "signer_full_name": signer, "priority": priority, "due_date": due,
        }
        recipients = [{"organ_id": ORGANS[a].identifier, "organ_name": ORGANS[a].name} for a in spec.to]
        recipients += [{"organ_id": organ_id, "organ_name": name} for organ_id, name in spec.others]
        if spec.kind in {"issued", "internal"}:
            kind = Document.Kind.ISSUED if spec.kind == "issued" else Document.Kind.INTERNAL
            fields = {**common, "kind": kind, "unit": units[spec.author, spec.unit]}
            if kind == Document.Kind.ISSUED:
                fields["issued_amount"] = len(recipients) + 2  # plus the register copy and the drafting unit's
            else:
                fields["to_places"] = "; ".join(line.rstrip(";.") for line in spec.cc)
            records.append(Record(spec.author, kind, fields, spec.key, recipients if spec.kind == "issued" else [],
                                  when=dt.datetime.combine(day, dt.time(7, 0), TZ)))
        for receiver in spec.to or ((spec.receiver,) if spec.receiver else ()):
            arrival = dt.datetime.combine(
                _workday(day + dt.timedelta(days=rng.randint(0, 2))),
                dt.time(rng.randint(7, 16), rng.choice((0, 10, 15, 25, 30, 40, 45, 55))), TZ,
            )
            unit = units[receiver, spec.handlers.get(receiver, "VP")]
            channel = ("Trục liên thông văn bản quốc gia" if spec.kind == "incoming"
                       else "Hệ thống quản lý văn bản và điều hành tỉnh Sơn La")
            records.append(Record(receiver, Document.Kind.RECEIVED, {
                **common, "kind": Document.Kind.RECEIVED, "unit": unit, "arrival_date": arrival,
                "to_places": unit.name, "description": f"Văn bản điện tử nhận qua {channel}.",
            }, spec.key, when=arrival))

    records.sort(key=lambda record: (record.when, record.agency, record.spec_key))
    # Arrival numbers (số đến): one register a year per receiving agency, in order of arrival.
    per_day = {spec.abbreviation: spec.received_per_day for spec in AGENCIES}
    last_arrival = {}
    for record in records:
        if record.kind == Document.Kind.RECEIVED:
            number = _base_number(rng, record.when.date(), per_day[record.agency])
            number = max(number, last_arrival.get(record.agency, 0) + 1)
            last_arrival[record.agency] = record.fields["arrival_number"] = number
    return records, pdfs


def file_name(fields):
    """'Quyết định 125-QĐ-UBND.pdf': the name a clerk would give the signed file."""
    return f"{fields['type_name']} {fields['code_number']}-{fields['code_notation']}.pdf"


# --- Loading -----------------------------------------------------------------------------------


@dataclass
class DemoResult:
    agencies: list
    users: list
    documents: list
    plans: list
    case_files: list


def demo_exists():
    return Agency.objects.filter(abbreviation__in=DEMO_ABBREVIATIONS).exists()


def load_demo(progress=None):
    """Create the demo data, all or nothing; return a DemoResult, or None when it already exists.

    ``progress``: a text stream for a progress bar over the documents (None: no bar).
    """
    from tqdm import tqdm

    if demo_exists():
        return None
    rng = random.Random(SEED)  # birth years; the documents have their own generator
    with transaction.atomic():
        ensure_role_groups()
        # Every demo login shares one published password: hash it once (PBKDF2 is slow on purpose).
        password_hash = make_password(DEMO_PASSWORD)
        operator = User.objects.filter(username=OPERATOR_USERNAME).first()
        if operator is None:
            operator = User(username=OPERATOR_USERNAME, full_name="Quản trị hệ thống", is_staff=True,
                            is_superuser=True, password=password_hash)
            operator.save()
            audit.record(audit.CREATE, operator, actor=operator, detail={"demo": True, "superuser": True})
        users = [operator]
        agencies, units, people = {}, {}, {}
        for spec in AGENCIES:
            agency = Agency.objects.create(
                identifier=spec.organ.identifier, name=spec.organ.name, abbreviation=spec.abbreviation,
                parent=agencies.get(spec.parent), address=spec.address,
            )
            audit.record(audit.CREATE, agency, actor=operator, detail={"demo": True})
            agencies[spec.abbreviation] = agency
            for name, code in spec.units:
                units[spec.abbreviation, code] = Unit.objects.create(agency=agency, name=name, code=code)
            for person in spec.people:
                user = create_person(
                    full_name=person.full_name, agency=agency, roles=[person.role], position=person.position,
                    unit=units[spec.abbreviation, person.unit] if person.unit else None,
                    birth_year=rng.randint(1968, 1996), actor=operator,
                )
                user.email = f"{user.username}@sonla.gov.vn"
                user.password = password_hash
                user.save(update_fields=["email", "password"])
                people[spec.abbreviation, person.role] = user
                users.append(user)

        records, pdfs = plan_documents(people, units)
        rendered = {}
        documents = {}
        for record in tqdm(records, desc="Văn bản", unit="vb", file=progress, disable=progress is None,
                           leave=False):
            if record.spec_key not in rendered:
                rendered[record.spec_key] = render_pdf(pdfs[record.spec_key])
            pdf, pages = rendered[record.spec_key]
            clerk = people[record.agency, C]
            documents[record.agency, record.spec_key] = create_document(
                agency=agencies[record.agency], actor=clerk, recipients=record.recipients,
                files=[(io.BytesIO(pdf), file_name(record.fields), DocumentFile.Role.MAIN)],
                page_amount=pages, **record.fields,
            )
        _load_records_and_flows(agencies, people, units, documents)
    return DemoResult(
        agencies=list(agencies.values()), users=users,
        documents=list(Document.objects.filter(agency__in=agencies.values())),
        plans=list(FilePlan.objects.filter(agency__in=agencies.values())),
        case_files=list(CaseFile.objects.filter(agency__in=agencies.values())),
    )


def _load_records_and_flows(agencies, people, units, documents):
    """Signing keys, file plans and case files, then the handling of documents."""
    # Imported here: these modules build on this one's data (organs, PDF layout).
    from .flows import run_flows
    from .pki import install
    from .records import load_records

    install([(agencies[spec.abbreviation], spec.organ.place, people[spec.abbreviation, L],
              people[spec.abbreviation, AD]) for spec in AGENCIES], now=timezone.now())
    case_files = load_records(agencies, people, units, documents, timezone.localdate())
    run_flows(agencies, people, documents, case_files, timezone.localdate())


# --- Logins ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    agency: str
    full_name: str
    password: str  # the demo password, or a note when it was changed


def demo_logins():
    """The logins of the demo users that exist, operator first, then agency by agency and role by role."""
    users = list(
        User.objects.filter(agency__abbreviation__in=DEMO_ABBREVIATIONS).select_related("agency")
        .prefetch_related("groups")
    )
    operator = User.objects.filter(username=OPERATOR_USERNAME, is_superuser=True).first()
    agency_order = {abbreviation: i for i, abbreviation in enumerate(DEMO_ABBREVIATIONS)}

    def role_of(user):
        return next((r for r in ROLE_ORDER if r.value in user.role_codes), None)

    def sort_key(user):
        role = role_of(user)
        return agency_order[user.agency.abbreviation], ROLE_ORDER.index(role) if role else 99, user.username

    verified = {}

    def password(user):
        # The demo users share one hash: checking it once tells which still have the demo password.
        if user.password not in verified:
            verified[user.password] = check_password(DEMO_PASSWORD, user.password)
        return DEMO_PASSWORD if verified[user.password] else "(đã đổi / changed)"

    logins = []
    if operator is not None:
        logins.append(Login(operator.username, "superuser", "—", operator.full_name, password(operator)))
    for user in sorted(users, key=sort_key):
        role = role_of(user)
        logins.append(Login(user.username, role.value if role else "—", user.agency.abbreviation,
                            user.full_name, password(user)))
    return logins


def format_logins(logins, base_url=""):
    """A plain-text table of logins, with the agencies it names."""
    if not logins:
        return "No demo logins: run `hoso demo` to create them.\n"
    headers = ("USERNAME", "ROLE", "AGENCY", "FULL NAME", "PASSWORD")
    rows = [(x.username, x.role, x.agency, x.full_name, x.password) for x in logins]
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(str(value).ljust(width) for value, width in zip(row, widths)).rstrip()
             for row in [headers, tuple("-" * w for w in widths), *rows]]
    names = dict(Agency.objects.filter(abbreviation__in=DEMO_ABBREVIATIONS).values_list("abbreviation", "name"))
    legend = [f"  {abbreviation:<11} {names[abbreviation]}" for abbreviation in DEMO_ABBREVIATIONS
              if abbreviation in names]
    text = "\n".join(lines) + "\n"
    if legend:
        text += "\nAgencies:\n" + "\n".join(legend) + "\n"
    if base_url:
        text += f"\nSign in at {base_url.rstrip('/')}/admin/\n"
    return text
