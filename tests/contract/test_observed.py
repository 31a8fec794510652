"""The recorder behind the run-wide check that every error code answered is documented (observed.py)."""

import json

import pytest

from tests.contract import observed


@pytest.fixture
def run(monkeypatch, tmp_path):
    monkeypatch.setattr(observed, "FOLDER", tmp_path)
    monkeypatch.setenv(observed.RUN_VARIABLE, "test-run")
    (tmp_path / "test-run").mkdir()
    return tmp_path / "test-run"


def _seen(run, key, codes):
    (run / "gw9.json").write_text(json.dumps({key: codes}))


MEMBERSHIP_DESTROY = "apps.companies.api.views.MembershipViewSet|destroy|DELETE"


def test_a_documented_code_passes(run):
    _seen(run, MEMBERSHIP_DESTROY, [[409, "last_owner"], [404, "not_found"], [403, "permission_denied"]])
    assert observed.check() == []


def test_an_undocumented_code_is_named_with_its_operation(run):
    _seen(run, MEMBERSHIP_DESTROY, [[409, "folder_not_empty"]])
    assert observed.check() == [
        "DELETE /api/v1/memberships/{id}/ answered 409 `folder_not_empty`, which its documentation does not list "
        "(add it to doc(errors={409: [...]}))"]


def test_the_recorder_sees_the_suites_answers(world):
    observed.install()
    observed._seen.pop(MEMBERSHIP_DESTROY, None)
    from apps.companies.models import Membership

    owner = Membership.objects.get(user=world.owner, company=world.licensor)
    answer = world.client("owner").delete(f"/api/v1/memberships/{owner.pk}/")
    assert answer.status_code == 409
    assert (409, "last_owner") in observed._seen[MEMBERSHIP_DESTROY]
