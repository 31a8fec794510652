"""The kind registry: one small step to add a kind; foundation kinds render in both languages."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from apps.notifications.kinds import Delivery, Kind, all_kinds, choice_labels, company_context, get_kind, register

FOUNDATION_KINDS = {"membership.invited", "company.verified", "company.rejected", "company.suspended",
                    "membership.role_changed"}


def test_foundation_kinds_are_registered_at_start_up():
    assert {kind.code for kind in all_kinds()} >= FOUNDATION_KINDS


def test_unknown_kind_is_a_value_error():
    with pytest.raises(ValueError):
        get_kind("nothing.here")


def test_registering_a_kind_twice_differently_is_refused():
    register("tests.sample", title="Sample {x}", body="Body")
    register("tests.sample", title="Sample {x}", body="Body")  # the same definition again is harmless
    with pytest.raises(ImproperlyConfigured):
        register("tests.sample", title="Another {x}", body="Body")


def test_unknown_default_delivery_is_refused():
    with pytest.raises(ImproperlyConfigured):
        register("tests.bad_delivery", title="x", body="y", default_delivery="carrier_pigeon")


def test_chinese_reader_gets_the_zh_twin_of_a_context_value():
    kind = get_kind("company.verified")
    context = {"company": "Shanghai Lumina Biotherapeutics", "company_zh": "上海流明生物"}
    with translation.override("zh-hans"):
        rendering = kind.render(context, "zh-hans")
    assert rendering["title"] == "上海流明生物 已通过认证"
    with translation.override("en"):
        assert kind.render(context, "en")["title"] == "Shanghai Lumina Biotherapeutics is verified"


def test_missing_context_key_renders_empty_not_an_error():
    kind = get_kind("company.rejected")
    with translation.override("en"):
        assert kind.render({"company": "Jade"}, "en")["body"].endswith("Reason: ")


def test_role_is_shown_by_its_translated_label():
    kind = get_kind("membership.role_changed")
    with translation.override("zh-hans"):
        title = kind.render({"company": "L", "company_zh": "流明", "role": "admin", "previous_role": "member"},
                            "zh-hans")["title"]
    assert title == "您在流明的角色已变更为管理员"


def test_every_kind_has_a_valid_default():
    assert all(kind.default_delivery in Delivery.values for kind in all_kinds())


def test_a_coded_context_value_reads_as_its_label_in_the_readers_language():
    kind = Kind(code="tests.labelled", title="{delivery}", body="{other}",
                prepare=choice_labels(delivery=("delivery_code", Delivery), other=("other_code", Delivery)))
    with translation.override("en"):
        rendering = kind.render({"delivery_code": "email", "other_code": "carrier_pigeon"}, "en")
    assert rendering["title"] == "In the app and by e-mail at once"
    assert rendering["body"] == ""  # a code the choices do not know reads empty


def test_an_unknown_code_can_read_as_itself():
    prepare = choice_labels(unknown_as_code=("shown",), shown=("a", Delivery), hidden=("b", Delivery))
    assert prepare({"a": "carrier_pigeon", "b": "carrier_pigeon"}, "en") == {"shown": "carrier_pigeon"}
    assert prepare({"a": ""}, "en") == {}


def test_a_company_is_named_in_chinese_or_else_in_english():
    class Company:
        name_en, name_zh = "Lumina", ""

    assert company_context("requester", Company) == {"requester": "Lumina", "requester_zh": "Lumina"}
    Company.name_zh = "流明"
    assert company_context("requester", Company)["requester_zh"] == "流明"
