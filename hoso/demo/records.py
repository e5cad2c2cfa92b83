"""Demo file plans and case files (Decree 30 Art. 28-30), through casefiles.plans and casefiles.filing.

Every demo agency gets an approved file plan for this year (timezone.localdate().year) and case files
opened from its items with the demo documents filed in them, some closed. UBND tỉnh and Sở Nội vụ also
get last year's plan, this year's being copied from it, and a case file of last year's work closed
about eleven months ago: due for transfer to the archive within HOSO_TRANSFER_WARNING_DAYS.
"""

import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings

from accounts.roles import Role
from casefiles import filing, plans
from casefiles.models import Document, DocumentFile
from casefiles.services import create_document
from hoso.text import long_date
from retention.services import parse_retention

from . import BC, KH, ORGANS, TB, TYPE_CODES, PdfSpec, _workday, file_name, render_pdf

C, L, H, O, A = Role.CLERK, Role.LEADER, Role.UNIT_HEAD, Role.OFFICER, Role.ARCHIVIST
DUE_IN_DAYS = 20  # the closed file of last year falls due this many days from today


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    retention: str  # as written in the plan: "Vĩnh viễn", "20" (years)
    keeper: Role  # the demo person who keeps (lập) the file
    documents: tuple = ()  # DocSpec keys of the agency's documents filed in its case file
    closed: bool = False
    note: str = ""
    open_empty: bool = False  # opened without documents (the routing demo files into it)

    @property
    def opened(self):
        return bool(self.documents) or self.open_empty


@dataclass(frozen=True)
class Heading:
    title: str
    abbreviation: str = ""  # top headings
    items: tuple = ()
    subheadings: tuple = ()


@dataclass(frozen=True)
class PastFile:
    """Last year's case file, closed DUE_IN_DAYS short of a year ago, with its two documents."""

    item: str
    unit: str
    documents: tuple  # (type name, subject, body, days before the end)


@dataclass(frozen=True)
class PlanSpec:
    decision: str  # number of the approving decision (Quyết định ban hành Danh mục hồ sơ)
    headings: tuple
    past: PastFile | None = None


PLANS = {
    "ubnd": PlanSpec("15/QĐ-UBND", (
        Heading("Tổng hợp", "TH", subheadings=(
            Heading("Kế hoạch, báo cáo", items=(
                Item("cchc", "Hồ sơ xây dựng và triển khai Kế hoạch cải cách hành chính của tỉnh", "Vĩnh viễn", O,
                     ("ubnd-qd-cchc",)),
                Item("baocao", "Tập báo cáo tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội", "20", O,
                     open_empty=True),
            )),
            Heading("Chỉ đạo, điều hành", items=(
                Item("tongket", "Hồ sơ Hội nghị tổng kết công tác năm của Ủy ban nhân dân tỉnh", "Vĩnh viễn", H),
                Item("ketluan", "Tập thông báo kết luận của Chủ tịch Ủy ban nhân dân tỉnh", "Vĩnh viễn", H,
                     ("ubnd-tb-ketluan",)),
            )),
        )),
        Heading("Kinh tế", "KT", items=(
            Item("pccr", "Hồ sơ chỉ đạo phòng cháy, chữa cháy rừng mùa khô", "10", H, ("ubnd-cv-pccr",)),
            Item("nongnghiep", "Hồ sơ chỉ đạo sản xuất nông nghiệp vụ Đông Xuân, vụ Mùa", "10", O),
        )),
        Heading("Hành chính - Tổ chức", "HCTC", items=(
            Item("hoinghi", "Hồ sơ Hội nghị cán bộ, công chức, viên chức và người lao động", "10", A,
                 ("ubnd-kh-hoinghi",), closed=True),
            Item("vtlt", "Tập văn bản về công tác văn thư, lưu trữ gửi đến cơ quan", "05", A, open_empty=True),
            Item("nopluu", "Hồ sơ giao nhận hồ sơ, tài liệu vào Lưu trữ cơ quan", "Vĩnh viễn", A,
                 note="Kèm mục lục hồ sơ nộp lưu"),
            Item("sodangky", "Sổ đăng ký văn bản đi, văn bản đến", "20", C),
        )),
    ), past=PastFile("tongket", "TH", (
        (KH, "Tổ chức Hội nghị tổng kết công tác năm {year} và triển khai nhiệm vụ năm {next}", (
            "1. Mục đích: đánh giá kết quả thực hiện nhiệm vụ năm {year}; triển khai phương hướng, nhiệm vụ năm "
            "{next} của Ủy ban nhân dân tỉnh.",
            "2. Thành phần: lãnh đạo Ủy ban nhân dân tỉnh; Giám đốc các sở, ban, ngành; Chủ tịch Ủy ban nhân dân "
            "các xã, phường.",
            "3. Tổ chức thực hiện: Phòng Tổng hợp chủ trì chuẩn bị báo cáo; Văn phòng bảo đảm các điều kiện "
            "phục vụ Hội nghị.",
        ), 40),
        (BC, "Tổng kết công tác năm {year}, phương hướng, nhiệm vụ năm {next}", (
            "Năm {year}, Ủy ban nhân dân tỉnh đã tập trung chỉ đạo, điều hành thực hiện đồng bộ các nhiệm vụ, giải "
            "pháp phát triển kinh tế - xã hội; các chỉ tiêu chủ yếu đều đạt và vượt kế hoạch.",
            "Năm {next}, Ủy ban nhân dân tỉnh tiếp tục đẩy mạnh cải cách hành chính gắn với chuyển đổi số, nâng "
            "cao chất lượng phục vụ người dân và doanh nghiệp.",
        ), 2),
    ))),
    "snv": PlanSpec("05/QĐ-SNV", (
        Heading("Văn phòng", "VP", items=(
            Item("vtlt", "Hồ sơ báo cáo công tác văn thư, lưu trữ hằng năm", "20", A, ("snv-bc-vtlt",)),
            Item("kiemtra", "Hồ sơ kiểm tra công tác văn thư, lưu trữ tại các cơ quan, tổ chức", "10", A),
            Item("tapcv", "Tập công văn trao đổi về công tác hành chính", "05", C, ("skhcn-kh-ngaykhcn",)),
        )),
        Heading("Tổ chức cán bộ", "TCCB", subheadings=(
            Heading("Tổ chức bộ máy", items=(
                Item("tocongtac", "Hồ sơ thành lập, kiện toàn các tổ công tác của Sở", "Vĩnh viễn", H,
                     ("snv-qd-tocongtac",), closed=True),
            )),
            Heading("Tuyển dụng", items=(
                Item("tuyendung", "Hồ sơ tuyển dụng công chức các cơ quan hành chính tỉnh", "Vĩnh viễn", O,
                     ("snv-ttr-tuyendung",)),
            )),
        )),
        Heading("Công chức, viên chức", "CCVC", items=(
            Item("csdl", "Hồ sơ xây dựng, cập nhật Cơ sở dữ liệu cán bộ, công chức, viên chức", "20", O,
                 ("snv-cv-csdl",)),
            Item("cchc", "Hồ sơ triển khai Kế hoạch cải cách hành chính của tỉnh", "10", O, ("ubnd-qd-cchc",)),
            Item("nangngach", "Hồ sơ tổ chức thi nâng ngạch công chức", "20", O),
        )),
    ), past=PastFile("kiemtra", "VP", (
        (KH, "Kiểm tra công tác văn thư, lưu trữ năm {year}", (
            "1. Đối tượng kiểm tra: các sở, ban, ngành và Ủy ban nhân dân các xã, phường trên địa bàn tỉnh.",
            "2. Nội dung: việc lập hồ sơ và giao nộp hồ sơ, tài liệu vào Lưu trữ cơ quan; quản lý văn bản đi, văn "
            "bản đến trên Hệ thống quản lý văn bản và điều hành.",
        ), 45),
        (TB, "Kết quả kiểm tra công tác văn thư, lưu trữ năm {year}", (
            "Đoàn kiểm tra của Sở Nội vụ đã kiểm tra công tác văn thư, lưu trữ tại các cơ quan, tổ chức theo Kế "
            "hoạch; các cơ quan cơ bản thực hiện đúng quy định về lập hồ sơ và nộp lưu hồ sơ, tài liệu.",
            "Đề nghị các cơ quan khắc phục những tồn tại đã nêu, báo cáo kết quả về Sở Nội vụ trong quý I năm "
            "{next}.",
        ), 3),
    ))),
    "skhcn": PlanSpec("08/QĐ-SKHCN", (
        Heading("Quản lý khoa học", "QLKH", items=(
            Item("nhiemvu", "Hồ sơ xác định, đặt hàng nhiệm vụ khoa học và công nghệ cấp tỉnh", "Vĩnh viễn", O,
                 ("bkhcn-cv-dathang", "skhcn-ttr-nhiemvu", "skhcn-tb-tuyenchon")),
            Item("ngaykhcn", "Hồ sơ tổ chức hưởng ứng Ngày Khoa học và Công nghệ Việt Nam 18/5", "10", O,
                 ("skhcn-kh-ngaykhcn",)),
        )),
        Heading("Tiêu chuẩn Đo lường Chất lượng", "TĐC", items=(
            Item("doluong", "Hồ sơ kiểm tra nhà nước về đo lường", "10", H, ("skhcn-bc-dolruong",)),
        )),
        Heading("Văn phòng", "VP", items=(
            Item("chidao", "Tập văn bản chỉ đạo, điều hành của Ủy ban nhân dân tỉnh", "10", C,
                 ("ubnd-qd-cchc", "ubnd-tb-ketluan")),
            Item("tccb", "Tập văn bản về công tác tổ chức cán bộ gửi đến cơ quan", "05", C, ("snv-cv-csdl",)),
            Item("vtlt", "Hồ sơ công tác văn thư, lưu trữ của Sở", "20", A),
        )),
    )),
    "chiengmung": PlanSpec("03/QĐ-UBND", (
        Heading("Văn phòng HĐND và UBND", "VP", items=(
            Item("baocao", "Tập báo cáo tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội", "20", O,
                 ("xa-bc-ktxh",)),
            Item("tiepdan", "Hồ sơ tiếp công dân định kỳ của Chủ tịch Ủy ban nhân dân xã", "10", C,
                 ("xa-tb-tiepdan",)),
            Item("chinhly", "Hồ sơ chỉnh lý, số hóa tài liệu lưu trữ của xã", "Vĩnh viễn", A, ("xa-kh-chinhly",)),
            Item("chidao", "Tập văn bản chỉ đạo của cấp trên gửi đến", "05", C,
                 ("ubnd-qd-cchc", "snv-cv-csdl", "skhcn-kh-ngaykhcn")),
        )),
        Heading("Kinh tế", "KT", items=(
            Item("pccr", "Hồ sơ phòng cháy, chữa cháy rừng trên địa bàn xã", "10", H, ("ubnd-cv-pccr",)),
            Item("thoivu", "Hồ sơ chỉ đạo sản xuất nông nghiệp vụ Mùa", "10", O, ("snnmt-cv-thoivu",)),
        )),
    )),
}


def _item_specs(spec):
    return [item for top in spec.headings for heading in (top, *top.subheadings) for item in heading.items]


def _fill_plan(plan, spec, staff, actor):
    """The spec's headings and items in the plan; items kept by the person of their role and unit."""
    def add_items(heading, item_specs):
        for item in item_specs:
            keeper = staff[item.keeper]
            plans.add_item(plan, heading, item.title, retention=parse_retention(item.retention), creator=keeper,
                           unit=keeper.unit, note=item.note, actor=actor)

    for top_spec in spec.headings:
        top = plans.add_heading(plan, top_spec.title, abbreviation=top_spec.abbreviation, actor=actor)
        add_items(top, top_spec.items)
        for sub_spec in top_spec.subheadings:
            add_items(plans.add_heading(plan, sub_spec.title, parent=top, actor=actor), sub_spec.items)


def _approve(plan, spec, leader):
    return plans.approve_plan(plan, decision_number=spec.decision, decision_date=_workday(dt.date(plan.year, 1, 5)),
                              actor=leader)


def _items_by_key(plan, spec):
    """{item key: PlanItem} of a plan made from the spec (directly or as a copy)."""
    keys = {item.title: item.key for item in _item_specs(spec)}
    return {keys[item.title]: item for item in plan.items.all()}


def _open_and_file(item, keeper, documents):
    start = min((d.issued_date for d in documents), default=dt.date(item.plan.year, 1, 5))
    case_file = filing.open_case_file(agency=item.plan.agency, plan_item=item, actor=keeper, start_date=start)
    for document in documents:
        filing.add_document(case_file, document, actor=keeper)
    return case_file


def _past_documents(plan, past, staff, units, end):
    """The past file's documents, made like the others: rendered, signed on paper by the leader."""
    organ, agency, leader, unit = ORGANS[plan.agency.abbreviation], plan.agency, staff[L], units[past.unit]
    values = {"year": plan.year, "next": plan.year + 1}
    documents = []
    for number, (type_name, subject, body, days_before) in enumerate(past.documents, start=1):
        day = _workday(end - dt.timedelta(days=days_before))
        fields = {"kind": Document.Kind.INTERNAL, "type_name": type_name, "issued_date": day,
                  "code_number": str(int(day.timetuple().tm_yday * organ.per_day) + number),
                  "code_notation": f"{TYPE_CODES[type_name]}-{organ.notation}", "organ_name": organ.name,
                  "subject": subject.format(**values), "signer_position": organ.leader_position,
                  "signer_full_name": leader.full_name, "unit": unit, "to_places": unit.name}
        number_notation = f"{fields['code_number']}/{fields['code_notation']}"
        pdf, pages = render_pdf(PdfSpec(
            header=organ.header, number=f"Số: {number_notation}", place_date=long_date(organ.place, day),
            type_name=type_name, subject=fields["subject"], body=[p.format(**values) for p in body],
            signer_block=organ.leader_block, signer_name=leader.full_name, cc=[f"Lưu: VT, {past.unit}."],
            title=f"{type_name} {number_notation}", author=organ.name))
        documents.append(create_document(agency=agency, actor=staff[C], page_amount=pages, **fields,
                                         files=[(io.BytesIO(pdf), file_name(fields), DocumentFile.Role.MAIN)]))
    return documents


def _past_file(plan, spec, staff, units, today):
    """Last year's case file, closed so that its transfer due date (end + HOSO_TRANSFER_AFTER_MONTHS) is
    DUE_IN_DAYS from today (the end date is not moved to a working day: that would move the due date)."""
    end = filing.add_months(today + dt.timedelta(days=DUE_IN_DAYS), -settings.HOSO_TRANSFER_AFTER_MONTHS)
    keeper = staff[next(item.keeper for item in _item_specs(spec) if item.key == spec.past.item)]
    documents = _past_documents(plan, spec.past, staff, units, end)
    case_file = _open_and_file(_items_by_key(plan, spec)[spec.past.item], keeper, documents)
    return filing.close_case_file(case_file, actor=keeper, end_date=end, retention_confirmed=True)


def _this_years_files(plan, spec, staff, documents):
    """Case files opened from the plan's items with the agency's documents filed, the closed ones closed."""
    items, case_files = _items_by_key(plan, spec), {}
    for item in _item_specs(spec):
        if not item.opened:
            continue
        keeper, filed = staff[item.keeper], [documents[key] for key in item.documents]
        case_files[item.key] = case_file = _open_and_file(items[item.key], keeper, filed)
        if item.closed:
            end = max(d.issued_date for d in filed) + dt.timedelta(days=14)
            filing.close_case_file(case_file, actor=keeper, end_date=end, retention_confirmed=True)
    return case_files


def load_records(agencies, people, units, documents, today):
    """File plans and case files of every demo agency.

    ``people``: {(abbreviation, role): user}; ``units``: {(abbreviation, code): unit};
    ``documents``: {(abbreviation, DocSpec key): the agency's document}.
    Returns this year's case files: {abbreviation: {item key: CaseFile}}.
    """
    result = {}
    for abbreviation, spec in PLANS.items():
        agency = agencies[abbreviation]
        staff = {role: user for (owner, role), user in people.items() if owner == abbreviation}
        agency_units = {code: unit for (owner, code), unit in units.items() if owner == abbreviation}
        if spec.past is not None:
            last = plans.create_plan(agency, today.year - 1, actor=staff[C])
            _fill_plan(last, spec, staff, staff[C])
            _approve(last, spec, staff[L])
            _past_file(last, spec, staff, agency_units, today)
            plan = plans.copy_plan(last, today.year, actor=staff[C])
        else:
            plan = plans.create_plan(agency, today.year, actor=staff[C])
            _fill_plan(plan, spec, staff, staff[C])
        _approve(plan, spec, staff[L])
        own = {key: document for (owner, key), document in documents.items() if owner == abbreviation}
        result[abbreviation] = _this_years_files(plan, spec, staff, own)
    return result
