"""Private storage for document bytes: random names, no URL ever serves them directly.

Local disk by default, S3-compatible storage when AWS_STORAGE_BUCKET_NAME is set (config/settings);
either way files leave only through the API (or nginx's internal /_protected/ after an X-Accel-Redirect).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from typing import Any, BinaryIO

from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages


def private_storage() -> Any:
    return storages["private"]


def new_storage_name(room_public_id: Any) -> str:
    # No extension and no client-chosen part: nothing about the name can make a server treat it as code.
    return f"datarooms/{room_public_id}/{uuid.uuid4().hex}"


def store(f: BinaryIO, room_public_id: Any) -> str:
    f.seek(0)
    name = new_storage_name(room_public_id)
    saved = private_storage().save(name, File(f, name=name))
    f.seek(0)
    return saved


def delete_quietly(name: str) -> None:
    with contextlib.suppress(Exception):
        private_storage().delete(name)


def local_path(name: str) -> str | None:
    storage = private_storage()
    if isinstance(storage, FileSystemStorage):
        return storage.path(name)
    return None


@contextlib.contextmanager
def local_copy(name: str) -> Iterator[BinaryIO]:
    """A seekable local file with the stored bytes (the stored file itself on local disk)."""
    path = local_path(name)
    if path is not None:
        with open(path, "rb") as fh:
            yield fh
        return
    with tempfile.TemporaryFile(prefix="gpc-blob-") as tmp, private_storage().open(name, "rb") as src:
        shutil.copyfileobj(src, tmp, 1024 * 1024)
        tmp.seek(0)
        yield tmp


def iter_chunks(name: str, chunk_size: int = 256 * 1024) -> Iterator[bytes]:
    with private_storage().open(name, "rb") as src:
        while chunk := src.read(chunk_size):
            yield chunk
