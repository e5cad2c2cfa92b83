"""Case-file background jobs."""

from celery import shared_task
from django.contrib.auth import get_user_model

from accounts.notifications import notify
from accounts.roles import Role

from . import filing


def _archivists(agency):
    return get_user_model().objects.filter(agency=agency, groups__name=Role.ARCHIVIST, is_active=True)


@shared_task(name="casefiles.warn_transfer_due")
def warn_transfer_due():
    """Warn each file's creator and the agency's archivists of files due for transfer within N days
    (HOSO_TRANSFER_WARNING_DAYS) and of overdue ones. Runs daily; each warning is sent once."""
    upcoming, overdue = filing.due_for_transfer()
    sent = 0
    for case_file, due in upcoming:
        sent += len(notify(
            [case_file.creator, *_archivists(case_file.agency)], key=f"transfer-due:{case_file.pk}:{due}",
            title=f"Hồ sơ {case_file.file_notation} đến hạn nộp lưu ngày {due:%d/%m/%Y}",
            body=f"Hồ sơ “{case_file.title}” ({case_file.file_code}) cần nộp vào Lưu trữ cơ quan "
                 f"trước ngày {due:%d/%m/%Y}.",
            link=f"/api/v1/case-files/{case_file.pk}/"))
    for case_file, due in overdue:
        sent += len(notify(
            [case_file.creator, *_archivists(case_file.agency)], key=f"transfer-overdue:{case_file.pk}:{due}",
            title=f"Hồ sơ {case_file.file_notation} đã quá hạn nộp lưu ({due:%d/%m/%Y})",
            body=f"Hồ sơ “{case_file.title}” ({case_file.file_code}) quá hạn nộp lưu từ ngày {due:%d/%m/%Y}.",
            link=f"/api/v1/case-files/{case_file.pk}/"))
    return sent
