"""Signing keys for the agency's administrator: install a PKCS#12 key with its password and image
(routing.keys), list the active keys. Passwords and key files are never shown."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from accounts.errors import HosoError
from accounts.roles import Role
from accounts.views import add_service_error

from .. import keys
from ..forms import SigningKeyForm
from ..models import SigningKey
from .common import AgencyView, url


class SigningKeysView(AgencyView):
    page_title = _("Signing keys")
    header_icon = "key"
    template_name = "routing/keys.html"
    roles = (Role.ADMIN,)

    def get_context_data(self, form=None, **kwargs):
        agency_id = self.request.user.agency_id
        active = SigningKey.objects.filter(agency_id=agency_id, active=True).select_related("user")
        return super().get_context_data(
            keys=active, form=form or SigningKeyForm(agency_id=agency_id), **kwargs)

    def post(self, request):
        form = SigningKeyForm(request.POST, request.FILES, agency_id=request.user.agency_id)
        if form.is_valid():
            data = form.cleaned_data
            image = data["image"]
            try:
                key = keys.install_key(request.user.agency, data["p12"].read(), data["password"], user=data["user"],
                                       image_bytes=image.read() if image else None, actor=request.user)
            except HosoError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Key installed: %(subject)s.") % {"subject": key.subject})
                return redirect(url("keys"))
        return self.render_to_response(self.get_context_data(form=form))
