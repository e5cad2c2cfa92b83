"""Local storage for document bytes that reach the disk whole before the database commits."""

import os
import uuid

from django.core.files.storage import FileSystemStorage


def _fsync(path, flags=os.O_RDONLY):
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class DurableFileSystemStorage(FileSystemStorage):
    """Each new file is written under a temporary name, fsynced, then linked to its final name and its
    folder fsynced: a crash leaves either the whole file or no file under that name, never a part."""

    def _save(self, name, content):
        final = self.path(name)
        directory = os.path.dirname(final)
        os.makedirs(directory, exist_ok=True)
        partial = os.path.join(directory, f".part-{uuid.uuid4().hex}")
        try:
            with open(partial, "xb") as out:
                if hasattr(content, "seek"):
                    content.seek(0)
                for chunk in content.chunks():
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            while True:
                try:
                    os.link(partial, final)  # fails if the name exists: never overwrite
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    final = self.path(name)
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
        _fsync(directory)
        if self.file_permissions_mode is not None:
            os.chmod(final, self.file_permissions_mode)
        return name.replace("\\", "/")
