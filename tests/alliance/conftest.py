# The real Celery worker fixture of the notification tests, for the alliance's daily sweep.
from tests.notifications.conftest import start_worker  # noqa: F401
