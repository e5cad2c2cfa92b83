"""The parameters of a search, validated the same way for the API, the staff page and the command."""

from django import forms

from casefiles.models import CaseFile, Document
from retention.models import RetentionKind

from .models import SearchEntry

SORTS = {
    "relevance": None,
    "date": "date",
    "-date": "-date",
    "number": "number",
    "-number": "-number",
}
SORT_CHOICES = [
    ("relevance", "Liên quan nhất"),
    ("-date", "Mới nhất"),
    ("date", "Cũ nhất"),
    ("number", "Số tăng dần"),
    ("-number", "Số giảm dần"),
]
MAX_PAGE_SIZE = 100
MAX_WINDOW = 10000  # deepest result reachable by paging (Elasticsearch's default window)


def _choices(choices):
    return [("", "—"), *choices]


class SearchForm(forms.Form):
    q = forms.CharField(label="Từ khóa", required=False, max_length=255)
    kind = forms.ChoiceField(label="Loại bản ghi", required=False, choices=_choices(SearchEntry.Kind.choices))
    agency = forms.CharField(label="Cơ quan (mã định danh hoặc tên viết tắt)", required=False, max_length=35)
    unit = forms.IntegerField(label="Đơn vị", required=False, min_value=1)
    year = forms.IntegerField(label="Năm", required=False, min_value=1900, max_value=2100)
    doc_type = forms.CharField(label="Loại văn bản", required=False, max_length=100)
    register = forms.ChoiceField(label="Sổ (đến/đi/nội bộ)", required=False, choices=_choices(Document.Kind.choices))
    retention = forms.ChoiceField(label="Thời hạn bảo quản", required=False, choices=_choices(RetentionKind.choices))
    rights = forms.CharField(label="Chế độ sử dụng (mã)", required=False, max_length=10)
    status = forms.ChoiceField(label="Trạng thái hồ sơ", required=False,
                               choices=_choices(CaseFile.Status.choices))
    date_from = forms.DateField(label="Từ ngày", required=False)
    date_to = forms.DateField(label="Đến ngày", required=False)
    sort = forms.ChoiceField(label="Sắp xếp", required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(label="Trang", required=False, min_value=1)
    page_size = forms.IntegerField(label="Số kết quả mỗi trang", required=False, min_value=1, max_value=MAX_PAGE_SIZE)

    FILTERS = ["kind", "unit", "year", "doc_type", "register", "retention", "rights", "status", "date_from",
               "date_to"]

    def clean(self):
        data = super().clean()
        data["sort"] = data.get("sort") or "relevance"
        data["page"] = data.get("page") or 1
        data["page_size"] = data.get("page_size") or 20
        if data["page"] * data["page_size"] > MAX_WINDOW:
            raise forms.ValidationError("Chỉ xem được %(n)s kết quả đầu tiên: hãy thu hẹp tìm kiếm.",
                                        code="window", params={"n": MAX_WINDOW})
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("Từ ngày phải trước đến ngày.", code="dates")
        return data
