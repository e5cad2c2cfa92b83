"""Wagtail's users app with hoso's user views (accounts.views.UserViewSet).

Listed in INSTALLED_APPS in place of "wagtail.users", as Wagtail documents for
custom user forms.
"""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "accounts.views.UserViewSet"
