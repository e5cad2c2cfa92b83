from django.conf import settings

from tests.conftest import PASSWORD


def test_vietnamese_whatever_the_browser_asks(client, clerk_a):
    client.login(username=clerk_a.username, password=PASSWORD)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.status_code == 200
    assert 'lang="vi"' in page.content.decode()


def test_english_when_chosen(client, clerk_a):
    client.login(username=clerk_a.username, password=PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert 'lang="en"' in client.get("/admin/").content.decode()


def test_admin_preference_wins(client, clerk_a):
    from wagtail.users.models import UserProfile

    UserProfile.get_for_user(clerk_a).__class__.objects.filter(user=clerk_a).update(preferred_language="en")
    client.login(username=clerk_a.username, password=PASSWORD)
    assert 'lang="en"' in client.get("/admin/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
