"""Agencies, units and people in the Wagtail admin: agency scope, regulation usernames, languages."""

from django.test import Client
from wagtail.users.models import UserProfile

from accounts.models import AuditEntry, Unit, User
from casefiles.services import create_document
from tests.conftest import PASSWORD, make_person


def admin_client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def new_person(**fields):
    return {"full_name": "Đặng Thị Thu Hà", "position": "Chuyên viên", "email": "", "unit": "",
            "roles": ["officer"], "password1": "Mk@2026-abc", "password2": "Mk@2026-abc", **fields}


def test_user_created_in_admin_gets_the_regulation_username(admin_a):
    client = admin_client(admin_a)
    response = client.get("/admin/users/new/")
    assert response.status_code == 200
    assert 'name="username"' not in response.content.decode()  # staff never type usernames
    response = client.post("/admin/users/new/", new_person(unit=admin_a.unit_id))
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(username="hadtt.ubnd")
    assert user.agency == admin_a.agency and user.unit == admin_a.unit
    assert user.role_codes == {"officer"}
    assert user.check_password("Mk@2026-abc")
    assert AuditEntry.objects.filter(action="create", object_type="accounts.user", object_id=str(user.pk)).exists()


def test_username_clash_asks_for_the_birth_year(admin_a, clerk_a):
    client = admin_client(admin_a)
    response = client.post("/admin/users/new/", new_person())
    assert response.status_code == 200
    assert "hadtt.ubnd" in response.content.decode()
    response = client.post("/admin/users/new/", new_person(birth_year="1990"))
    assert response.status_code == 302
    assert User.objects.filter(username="hadtt1990.ubnd", agency=admin_a.agency).exists()


def test_user_list_and_pages_are_scoped_to_the_agency(admin_a, clerk_a, clerk_b):
    client = admin_client(admin_a)
    html = client.get("/admin/users/").content.decode()
    assert clerk_a.username in html and clerk_b.username not in html
    for url in (f"/admin/users/edit/{clerk_b.pk}/", f"/admin/users/delete/{clerk_b.pk}/",
                f"/admin/users/history/{clerk_b.pk}/"):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/admin/users/edit/{clerk_b.pk}/", {"full_name": "Đổi tên"})
    assert response.status_code == 404
    clerk_b.refresh_from_db()
    assert clerk_b.full_name == "Lê Đình Đạt"


def test_bulk_actions_skip_other_agencies(admin_a, clerk_a, clerk_b):
    client = admin_client(admin_a)
    url = f"/admin/bulk/accounts/user/set_active_state/?id={clerk_a.pk}&id={clerk_b.pk}"
    assert clerk_b.full_name not in client.get(url).content.decode()
    client.post(url, {"mark_as_active": "False"})
    clerk_a.refresh_from_db()
    clerk_b.refresh_from_db()
    assert not clerk_a.is_active and clerk_b.is_active


def test_edit_user_changes_roles_and_is_audited(admin_a, clerk_a):
    client = admin_client(admin_a)
    url = f"/admin/users/edit/{clerk_a.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    response = client.post(url, {
        "full_name": clerk_a.full_name, "position": "Văn thư cơ quan", "email": "", "unit": clerk_a.unit_id,
        "roles": ["clerk", "archivist"], "is_active": "on", "password1": "", "password2": "",
    })
    assert response.status_code == 302, response.content.decode()
    clerk_a = User.objects.get(pk=clerk_a.pk)
    assert clerk_a.username == "hadtt.ubnd" and clerk_a.position == "Văn thư cơ quan"
    assert clerk_a.role_codes == {"clerk", "archivist"}
    assert clerk_a.check_password(PASSWORD)
    assert AuditEntry.objects.filter(action="update", object_type="accounts.user", object_id=str(clerk_a.pk)).exists()


def test_only_the_admin_role_manages_users_and_units(clerk_a, admin_a):
    client = admin_client(clerk_a)
    assert client.get("/admin/users/new/").status_code in (302, 403)
    assert client.get("/admin/units/new/").status_code in (302, 403)
    assert client.get("/admin/units/").status_code == 200  # clerks may look


def test_units_are_scoped_and_created_in_the_admins_agency(admin_a, agency_b):
    client = admin_client(admin_a)
    other = agency_b.units.get()
    html = client.get("/admin/units/").content.decode()
    assert f"/admin/units/edit/{other.pk}/" not in html
    assert client.get(f"/admin/units/edit/{other.pk}/").status_code == 404
    assert client.get(f"/admin/agencies/edit/{agency_b.pk}/").status_code == 404
    response = client.post("/admin/units/new/", {"name": "Phòng Tổ chức", "code": "TC"})
    assert response.status_code == 302
    unit = Unit.objects.get(name="Phòng Tổ chức")
    assert unit.agency == admin_a.agency
    response = client.post("/admin/units/new/", {"name": "Phòng Tổ chức", "code": "TC2"})
    assert response.status_code == 200  # the name is taken in this agency
    assert AuditEntry.objects.filter(action="create", object_type="accounts.unit", object_id=str(unit.pk)).exists()


def test_admin_is_vietnamese_by_default(admin_a):
    html = admin_client(admin_a).get("/admin/users/new/").content.decode()
    assert '<html lang="vi"' in html
    assert "Họ và tên" in html and "Năm sinh" in html and "Vai trò" in html


def test_admin_follows_the_preferred_language(admin_a):
    profile = UserProfile.get_for_user(admin_a)
    profile.preferred_language = "en"
    profile.save()
    html = admin_client(admin_a).get("/admin/users/new/").content.decode()
    assert '<html lang="en"' in html
    assert "Full name" in html and "Birth year" in html and "Họ và tên" not in html


def test_document_list_is_labelled_in_the_users_language(agency_a):
    officer = make_person(agency_a, "Phạm Văn Cường", "officer")
    create_document(agency=agency_a, actor=officer, subject="Về việc tổ chức hội nghị", code_number="5")
    client = admin_client(officer)
    html = client.get("/admin/records/").content.decode()
    assert "Số, ký hiệu" in html and "Ngày ban hành" in html and "Trích yếu nội dung" in html
    profile = UserProfile.get_for_user(officer)
    profile.preferred_language = "en"
    profile.save()
    html = client.get("/admin/records/").content.decode()
    assert "Number and notation" in html and "Issued date" in html and "Ngày ban hành" not in html
