import pytest

from tests.partnering.helpers import add_people


@pytest.fixture
def people(world):
    """The standard world plus second_partner (Rhine Pharma) and another_biotech (Jade Bio)."""
    return add_people(world)


@pytest.fixture
def sent_tasks(monkeypatch):
    """Celery tasks queued after commit, recorded instead of sent to the broker: (name, args)."""
    from apps.partnering import tasks

    queued = []
    monkeypatch.setattr(tasks.meeting_send_invitations, "delay", lambda *args: queued.append(("invite", args)))
    return queued
