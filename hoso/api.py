"""API plumbing shared by every app: one error shape, never a 500 for bad input.

Errors are JSON ``{"code": <stable English code>, "message": <Vietnamese>, "detail": ...}``.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.errors import HosoError

logger = logging.getLogger("hoso.api")

MESSAGES = {
    "not_found": "Không tìm thấy.",
    "not_authenticated": "Chưa đăng nhập hoặc thiếu mã truy cập.",
    "authentication_failed": "Thông tin đăng nhập không đúng.",
    "permission_denied": "Bạn không có quyền thực hiện thao tác này.",
    "method_not_allowed": "Phương thức không được hỗ trợ.",
    "not_acceptable": "Định dạng phản hồi không được hỗ trợ.",
    "unsupported_media_type": "Kiểu dữ liệu gửi lên không được hỗ trợ.",
    "parse_error": "Dữ liệu gửi lên không đọc được.",
    "invalid": "Dữ liệu không hợp lệ.",
    "throttled": "Quá nhiều yêu cầu, vui lòng thử lại sau.",
    "conflict": "Dữ liệu trùng với bản ghi đã có.",
    "server_error": "Lỗi hệ thống, vui lòng thử lại sau.",
}


def error_response(code, http_status, detail=None, message=None):
    body = {"code": code, "message": message or MESSAGES.get(code, MESSAGES["invalid"]), "detail": detail}
    return Response(body, status=http_status)


def exception_handler(exc, context):
    if isinstance(exc, HosoError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, Http404):
        return error_response("not_found", status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        return error_response("permission_denied", status.HTTP_403_FORBIDDEN)
    if isinstance(exc, IntegrityError):
        return error_response("conflict", status.HTTP_409_CONFLICT)
    if isinstance(exc, ValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return error_response("invalid", status.HTTP_400_BAD_REQUEST, detail)
    response = drf_exception_handler(exc, context)
    if response is None:
        # Anything else is our bug: log it, answer in the same shape.
        logger.exception("unhandled API error", exc_info=exc)
        return error_response("server_error", status.HTTP_500_INTERNAL_SERVER_ERROR)
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "invalid"
        code = code if isinstance(code, str) else getattr(exc, "default_code", "invalid")
    response.data = {"code": code, "message": MESSAGES.get(code, MESSAGES["invalid"]), "detail": response.data}
    return response


def only_public_api(endpoints):
    """drf-spectacular hook: document /api/v1/ only, not Wagtail's internal admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
