"""hoso — hồ sơ điện tử và lưu trữ (electronic case files and records archive)."""

from .celery import app as celery_app

__all__ = ["celery_app"]
