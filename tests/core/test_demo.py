"""`make run` loads the demo: every loader works, prints the logins, and a second run adds nothing."""

import pytest
from django.apps import apps
from django.core.management import call_command

from tests.factories import PASSWORD  # noqa: F401  (keeps the factories' hasher settings consistent)


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "companies", "catalog", "datarooms", "agreements", "notifications"}
    }


@pytest.mark.django_db(transaction=True)
def test_demo_data_loads_and_a_second_run_adds_nothing(capsys):
    call_command("load_demo")
    output = capsys.readouterr().out
    assert "admin@gpc.example" in output
    assert "admin@lumina.example" in output
    assert "member@northbridge.example" in output
    first = _row_counts()
    assert first["accounts.User"] >= 5
    assert first["companies.Company"] >= 3
    call_command("load_demo")
    assert _row_counts() == first


@pytest.mark.django_db(transaction=True)
def test_demo_people_can_sign_in_with_the_printed_password(api):
    call_command("load_demo")
    response = api.post("/api/v1/auth/token/", {"email": "admin@lumina.example", "password": "gpc-demo-2026"},
                        format="json")
    assert response.status_code == 200
