from accounts.models import User
from tests.conftest import PASSWORD, client_for


def test_token_login_and_use(api_client, clerk_a):
    response = api_client.post("/api/v1/auth/token/", {"username": "hadtt.ubnd", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/v1/users/").json()["results"]
    assert [u["username"] for u in me] == ["hadtt.ubnd"]


def test_token_login_wrong_password(api_client, clerk_a):
    response = api_client.post("/api/v1/auth/token/", {"username": "hadtt.ubnd", "password": "sai"})
    assert response.status_code == 400
    payload = response.json()
    assert payload["code"] == "invalid" and payload["message"]


def test_bad_token_is_401(api_client, clerk_a):
    api_client.credentials(HTTP_AUTHORIZATION="Token khong-hop-le")
    response = api_client.get("/api/v1/documents/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_schema_and_docs(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in ("/api/v1/documents/", "/api/v1/auth/token/", "/api/v1/agencies/", "/api/v1/units/",
                 "/api/v1/users/", "/api/v1/documents/{id}/files/{file_id}/download/"):
        assert path in text
    assert "/admin/api" not in text
    assert client.get("/api/docs/").status_code == 200


def test_admin_creates_user_with_regulation_username(admin_a):
    client = client_for(admin_a)
    unit = admin_a.agency.units.first()
    response = client.post("/api/v1/users/", {"full_name": "Trần Minh Đức", "unit": unit.pk,
                                              "roles": ["officer"], "password": "Abc@12345"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["username"] == "ductm.ubnd"
    assert response.json()["roles"] == ["officer"]
    again = client.post("/api/v1/users/", {"full_name": "Trần Minh Đức"}, format="json")
    assert again.status_code == 400
    assert again.json()["code"] == "username_taken_need_birth_year"
    third = client.post("/api/v1/users/", {"full_name": "Trần Minh Đức", "birth_year": 1992}, format="json")
    assert third.json()["username"] == "ductm1992.ubnd"
    assert User.objects.get(username="ductm.ubnd").check_password("Abc@12345")


def test_clerk_cannot_create_users_or_units(clerk_a):
    client = client_for(clerk_a)
    response = client.post("/api/v1/users/", {"full_name": "Ai Đó"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert client.post("/api/v1/units/", {"name": "Phòng mới"}, format="json").status_code == 403


def test_admin_manages_units(admin_a):
    client = client_for(admin_a)
    response = client.post("/api/v1/units/", {"name": "Phòng Tư pháp", "code": "TP"}, format="json")
    assert response.status_code == 201
    assert response.json()["agency"] == admin_a.agency_id
    duplicate = client.post("/api/v1/units/", {"name": "Phòng Tư pháp"}, format="json")
    assert duplicate.status_code == 400


def test_unknown_api_path_is_json_404(client, db):
    response = client.get("/api/v1/khong-co/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
