import pytest

from tests.datarooms.rooms import build_room


@pytest.fixture
def room(world):
    return build_room(world, grant="download")


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    # Each test stores into its own folder (Django's setting_changed handler resets the storages), so
    # "nothing was stored" can be checked by listing it.
    settings.STORAGES = {**settings.STORAGES,
                         "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                     "OPTIONS": {"location": str(tmp_path / "private")}}}
    yield
