"""The leader's and the agency's visible digital signatures (Decree 30 Art. 13.7, 17.2, Appendix I).

The leader (the competent signer) signs first: on the last page, below its text,
the signer's block gets the position line, the person's signature image and the
full name. The signature is an approval signature whose lock permits form filling
and signing, so that the number and date can be filled in and the agency can sign
afterwards. In the same update an empty signature field is made for the agency:
new visible signature fields are not allowed once such a lock holds.

The agency signs last (the văn thư, Art. 32.2): its seal image overlaps the left
third of the leader's signature image, with the agency's name and the signing time
(Vietnam time) under it. An appendix in a separate file is signed by the agency
alone, without image, with a text block at the top right of its first page.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from pyhanko.sign import signers
from pyhanko.sign.fields import (FieldMDPAction, FieldMDPSpec, MDPPerm, SigFieldSpec, SigSeedSubFilter,
                                 append_signature_field)
from pyhanko.sign.general import SigningError
from pyhanko.stamp import StaticStampStyle

from accounts.errors import HosoError

from .. import keys
from . import draw, layout
from .pdf import (READ_ERRORS, Art, add_blank_page, add_overlay, form_fields, media_box, open_writer,
                  page_count, signature_fields, text_lines, unreadable, widget_page, widget_rect)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
SIGNER_FIELD = "signer"
AGENCY_FIELD = "agency"


class _PdfSigner(signers.PdfSigner):
    """pyHanko's PDF signer with the signing time chosen beforehand: the stamp shows it too."""

    def __init__(self, *args, when: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.when = when

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self.when
        return session


def signing_time(when=None) -> datetime:
    """The signing time to whole seconds, as the signature stores it (a naive time is Vietnam time)."""
    when = when or timezone.now()
    if timezone.is_naive(when):
        when = when.replace(tzinfo=VIETNAM)
    return when.replace(microsecond=0)


def vietnam_time(when: datetime) -> str:
    """'05/03/2026 10:15:00 +07:00'."""
    local = when.astimezone(VIETNAM)
    return f"{local:%d/%m/%Y %H:%M:%S} {local.isoformat()[-6:]}"


def _free_name(writer, base):
    taken, number = set(form_fields(writer)), 1
    name = base
    while name in taken:
        number += 1
        name = f"{base}{number}"
    return name


def _style(art: bytes | None, box) -> StaticStampStyle:
    if art is None:
        return StaticStampStyle(border_width=0)
    return StaticStampStyle(background=Art(art, box[2] - box[0], box[3] - box[1]), border_width=0,
                            background_opacity=1.0)


def _sign(writer, signer, meta, *, when, style, field_spec=None) -> bytes:
    pdf_signer = _PdfSigner(meta, signer, when=when, stamp_style=style, new_field_spec=field_spec)
    try:
        return pdf_signer.sign_pdf(writer, existing_fields_only=field_spec is None).getvalue()
    except SigningError as exc:
        raise HosoError(f"Không ký được văn bản: {exc}", code="signing_failed", status=409) from None
    except READ_ERRORS as exc:
        raise unreadable(str(exc)) from None


def _metadata(field_name, name, reason=""):
    return signers.PdfSignatureMetadata(field_name=field_name, name=name, reason=reason or None,
                                        subfilter=SigSeedSubFilter.PADES)


def _place_signer_block(writer, pdf, position, name):
    """(page index, block) of the signer's block on the last page, or on a page added after it."""
    page_ix = page_count(writer) - 1
    block = layout.signer_block(position, name, media_box(writer, page_ix), text_lines(pdf, page_ix))
    if block is None:
        page_ix = add_blank_page(writer, page_ix)
        block = layout.signer_block(position, name, media_box(writer, page_ix), [])
    if block is None:
        raise HosoError("Trang văn bản quá nhỏ để đặt khối chữ ký.", code="signature_no_room", status=409)
    return page_ix, block


def sign_personal(pdf: bytes, user, *, reason="") -> bytes:
    """The leader's visible signature with their own key: position, signature image and name in the
    signer's block at the bottom right of the last page."""
    if user.agency_id is None:
        raise HosoError("Người ký không thuộc cơ quan nào.", code="signing_key_missing", status=409)
    key = keys.active_key(user.agency, user)
    signer, image = keys.load_signer(key), keys.image_bytes(key)
    writer = open_writer(pdf)
    name = user.get_full_name()
    page_ix, block = _place_signer_block(writer, pdf, user.position, name)
    page = media_box(writer, page_ix)
    add_overlay(writer, page_ix, draw.signer_overlay(page[2] - page[0], page[3] - page[1], block, page[:2]),
                page[:2])
    agency_box, _seal, _caption = layout.seal_layout(block.image, layout.SEAL_MAX)
    append_signature_field(writer, SigFieldSpec(_free_name(writer, AGENCY_FIELD), on_page=page_ix, box=agency_box))
    field_name = _free_name(writer, SIGNER_FIELD)
    spec = SigFieldSpec(field_name, on_page=page_ix, box=block.image,
                        field_mdp_spec=FieldMDPSpec(FieldMDPAction.INCLUDE, fields=[field_name]),
                        doc_mdp_update_value=MDPPerm.FILL_FORMS)
    art = draw.picture(layout.IMAGE_W, layout.IMAGE_H, image) if image is not None else None
    return _sign(writer, signer, _metadata(field_name, name, reason), when=signing_time(),
                 style=_style(art, block.image), field_spec=spec)


def _leader_signature(writer):
    """(page index, image box) of the last visible signature: the competent signer's."""
    found = None
    for _name, field, field_ref in signature_fields(writer, filled=True):
        box = widget_rect(field)
        if box is not None:
            found = (widget_page(writer, field_ref), box)
    if found is None or found[0] is None:
        raise HosoError("Văn bản chưa có chữ ký số của người có thẩm quyền: văn thư chỉ ký số cơ quan "
                        "trên văn bản đã được người có thẩm quyền ký.", code="signer_signature_missing", status=409)
    return found


def _empty_agency_field(writer):
    """(name, box) of the last empty field made for the agency beside a signer's block, if any."""
    found = None, None
    for name, field, _field_ref in signature_fields(writer, filled=False):
        if name.startswith(AGENCY_FIELD):
            found = name, widget_rect(field)
    return found


def _relative(box, origin):
    return box[0] - origin[0], box[1] - origin[1], box[2] - origin[0], box[3] - origin[1]


def sign_agency(pdf: bytes, agency, *, appendix=False, when=None, number_notation="") -> bytes:
    """The agency's signature with its own key. A main document: the seal image overlapping the leader's
    signature, with the agency's name and signing time under it. An appendix in its own file
    (appendix=True): no image, a text block at the top right of page 1: the agency, the document's
    number (number_notation, when given) and the signing time."""
    key = keys.active_key(agency)
    signer, seal_png = keys.load_signer(key), keys.image_bytes(key)
    when = signing_time(when)
    writer = open_writer(pdf)
    time_line = f"Thời gian ký: {vietnam_time(when)}"
    meta_name = agency.name
    if appendix:
        lines = [agency.name] + ([f"Số: {number_notation}"] if number_notation else []) + [time_line]
        lines = layout.wrap(lines, layout.APPENDIX_SIZE, layout.APPENDIX_W)
        box = layout.appendix_box(media_box(writer, 0), len(lines))
        width, height = box[2] - box[0], box[3] - box[1]
        art = draw.stamp(width, height, lines=lines, size=layout.APPENDIX_SIZE, leading=layout.APPENDIX_LEADING,
                         caption=(0, 0, width, height), align="right")
        field_name = _free_name(writer, AGENCY_FIELD)
        return _sign(writer, signer, _metadata(field_name, meta_name), when=when, style=_style(art, box),
                     field_spec=SigFieldSpec(field_name, on_page=0, box=box))
    page_ix, image_box = _leader_signature(writer)
    lines = layout.wrap([f"Cơ quan: {agency.name}", time_line], layout.CAPTION_SIZE, layout.CAPTION_W)
    lines = lines[:layout.CAPTION_LINES]
    field_box, seal, caption = layout.seal_layout(image_box, layout.seal_diameter(seal_png))
    field_name, existing_box = _empty_agency_field(writer)
    box = existing_box or field_box
    art = draw.stamp(box[2] - box[0], box[3] - box[1], lines=lines, size=layout.CAPTION_SIZE,
                     leading=layout.CAPTION_LEADING, caption=_relative(caption, box[:2]), seal_png=seal_png,
                     seal=_relative(seal, box[:2]))
    if field_name is None:  # the leader signed elsewhere: a new field, which their signature may not allow
        field_name = _free_name(writer, AGENCY_FIELD)
        spec = SigFieldSpec(field_name, on_page=page_ix, box=box)
    else:
        spec = None
    return _sign(writer, signer, _metadata(field_name, meta_name), when=when, style=_style(art, box),
                 field_spec=spec)
