import datetime

from django.utils import timezone

from routing.models import Incoming, Register
from tests.conftest import client_for


def post(user, url, data=None):
    return client_for(user).post(url, data or {}, format="json")


def test_incoming_queue_through_the_api(received, people):
    document = received()
    item = Incoming.objects.get(document=document)
    url = f"/api/v1/incoming/{item.pk}/"
    assert post(people["officer"], url + "register/").status_code == 403
    response = post(people["clerk"], url + "register/")
    assert response.status_code == 200 and response.json()["document"]["arrival_number"] == 1
    assert post(people["clerk"], url + "present/", {"leader": people["leader"].pk}).json()["state"] == "presented"
    deadline = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assigned = post(people["leader"], url + "assign/", {"lead": people["officer"].pk,
                                                         "co_handlers": [people["officer2"].pk],
                                                         "deadline": deadline, "instruction": "Xử lý gấp"})
    assert assigned.status_code == 200, assigned.json()
    assert {h["role"] for h in assigned.json()["handlers"]} == {"lead", "co"}
    mine = client_for(people["officer"]).get("/api/v1/incoming/?mine=1").json()
    assert [i["id"] for i in mine["results"]] == [item.pk]
    near = client_for(people["leader"]).get("/api/v1/incoming/?due=near").json()
    assert near["count"] == 1
    assert post(people["officer"], url + "acknowledge/").json()["state"] == "in_progress"
    done = post(people["officer"], url + "complete/", {"comment": "Đã xong"})
    assert done.json()["state"] == "completed"
    assert [t["action"] for t in done.json()["traces"]] == ["register", "present", "assign", "start", "complete"]
    dashboard = client_for(people["leader"]).get("/api/v1/dashboard/").json()
    assert dashboard["agency"]["done"] == 1
    assert client_for(people["officer"]).get("/api/v1/dashboard/").status_code == 403


def test_wrong_state_is_409_and_bad_input_400(received, people):
    item = Incoming.objects.get(document=received())
    url = f"/api/v1/incoming/{item.pk}/"
    response = post(people["clerk"], url + "present/", {"leader": people["leader"].pk})
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    assert post(people["clerk"], url + "present/", {"leader": 999999}).status_code == 400
    assert post(people["clerk"], url + "refuse/", {}).status_code == 400


def test_other_agency_sees_nothing(received, people, clerk_b, agency_b):
    item = Incoming.objects.get(document=received())
    other = client_for(clerk_b)
    assert other.get(f"/api/v1/incoming/{item.pk}/").status_code == 404
    assert other.post(f"/api/v1/incoming/{item.pk}/register/", {}, format="json").status_code == 404
    assert other.get("/api/v1/incoming/").json()["count"] == 0
    post(people["clerk"], f"/api/v1/incoming/{item.pk}/register/")
    register = Register.objects.get(agency=people["clerk"].agency)
    assert other.get(f"/api/v1/registers/{register.pk}/entries/").status_code == 404


def test_cannot_assign_to_people_of_another_agency(received, people, clerk_b):
    item = Incoming.objects.get(document=received())
    url = f"/api/v1/incoming/{item.pk}/"
    post(people["clerk"], url + "register/")
    post(people["clerk"], url + "present/", {"leader": people["leader"].pk})
    response = post(people["leader"], url + "assign/", {"lead": clerk_b.pk})
    assert response.status_code == 400


def test_register_cancel_number(received, people):
    item = Incoming.objects.get(document=received())
    post(people["clerk"], f"/api/v1/incoming/{item.pk}/register/")
    register = Register.objects.get(agency=people["clerk"].agency, kind="incoming")
    url = f"/api/v1/registers/{register.pk}/entries/1/cancel/"
    assert post(people["officer"], url, {"reason": "Nhầm"}).status_code == 403
    cancelled = post(people["clerk"], url, {"reason": "Cấp nhầm số"})
    assert cancelled.status_code == 200 and cancelled.json()["cancel_reason"] == "Cấp nhầm số"
    entries = client_for(people["clerk"]).get(f"/api/v1/registers/{register.pk}/entries/").json()
    assert entries[0]["cancelled_at"]


def test_delegation_api(people):
    today = timezone.localdate()
    data = {"delegate": people["officer2"].pk, "starts_on": today.isoformat(),
            "ends_on": (today + datetime.timedelta(days=2)).isoformat()}
    assert post(people["officer"], "/api/v1/delegations/", data).status_code == 403
    created = post(people["leader"], "/api/v1/delegations/", data)
    assert created.status_code == 201
    revoked = post(people["leader"], f"/api/v1/delegations/{created.json()['id']}/revoke/")
    assert revoked.json()["revoked_at"]
