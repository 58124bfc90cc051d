"""Argument resolution for every Analytics.js call shape (behaviour.md section 3)."""

import pytest

from analytics_py.core.args import (
    AliasArgs, PageArgs, TrackArgs, UserArgs, ValidationError, resolve_alias, resolve_page,
    resolve_track, resolve_user,
)


def cb():
    return None


@pytest.mark.parametrize("args, expected", [
    (("Clicked",), TrackArgs("Clicked", {}, {}, None)),
    (("Clicked", {"a": 1}), TrackArgs("Clicked", {"a": 1}, {}, None)),
    (("Clicked", {"a": 1}, {"ip": "0"}), TrackArgs("Clicked", {"a": 1}, {"ip": "0"}, None)),
    (("Clicked", {"a": 1}, {"ip": "0"}, cb), TrackArgs("Clicked", {"a": 1}, {"ip": "0"}, cb)),
    (("Clicked", cb), TrackArgs("Clicked", {}, {}, cb)),
    (("Clicked", {"a": 1}, cb), TrackArgs("Clicked", {"a": 1}, {}, cb)),
    (("Clicked", None, {"ip": "0"}), TrackArgs("Clicked", {}, {"ip": "0"}, None)),
    (({"event": "Clicked", "properties": {"a": 1}}, {"ip": "0"}),
     TrackArgs("Clicked", {"a": 1}, {"ip": "0"}, None)),
])
def test_track_shapes(args, expected):
    assert resolve_track(*args) == expected


@pytest.mark.parametrize("event", [None, "", 42, ["x"], {"properties": {}}])
def test_track_without_a_string_event_is_refused(event):
    with pytest.raises(ValidationError, match="track"):
        resolve_track(event)


@pytest.mark.parametrize("args, expected", [
    ((), PageArgs(None, None, {}, {}, None)),
    (("Pricing",), PageArgs(None, "Pricing", {}, {}, None)),
    (("Docs", "Pricing"), PageArgs("Docs", "Pricing", {}, {}, None)),
    ((None, "Pricing"), PageArgs(None, "Pricing", {}, {}, None)),
    (({"a": 1},), PageArgs(None, None, {"a": 1}, {}, None)),
    (({"a": 1}, {"ip": "0"}), PageArgs(None, None, {"a": 1}, {"ip": "0"}, None)),
    (("Pricing", {"a": 1}), PageArgs(None, "Pricing", {"a": 1}, {}, None)),
    (("Pricing", {"a": 1}, {"ip": "0"}), PageArgs(None, "Pricing", {"a": 1}, {"ip": "0"}, None)),
    (("Docs", "Pricing", {"a": 1}, {"ip": "0"}, cb),
     PageArgs("Docs", "Pricing", {"a": 1}, {"ip": "0"}, cb)),
    (("Docs", "Pricing", cb), PageArgs("Docs", "Pricing", {}, {}, cb)),
    ((cb,), PageArgs(None, None, {}, {}, cb)),
    (("Docs", "Pricing", None, {"ip": "0"}), PageArgs("Docs", "Pricing", {}, {"ip": "0"}, None)),
    (("a", "b", "c"), PageArgs(None, None, {}, {}, None)),
])
def test_page_shapes(args, expected):
    assert resolve_page(*args) == expected


@pytest.mark.parametrize("args, expected", [
    ((), UserArgs(None, None, {}, None)),
    (("u1",), UserArgs("u1", None, {}, None)),
    ((123,), UserArgs("123", None, {}, None)),
    ((12.0,), UserArgs("12", None, {}, None)),
    (("u1", {"plan": "Pro"}), UserArgs("u1", {"plan": "Pro"}, {}, None)),
    (("u1", {"plan": "Pro"}, {"ip": "0"}, cb), UserArgs("u1", {"plan": "Pro"}, {"ip": "0"}, cb)),
    (({"plan": "Pro"},), UserArgs(None, {"plan": "Pro"}, {}, None)),
    (({"plan": "Pro"}, {"ip": "0"}), UserArgs(None, {"plan": "Pro"}, {"ip": "0"}, None)),
    (("u1", cb), UserArgs("u1", None, {}, cb)),
    ((None, {"plan": "Pro"}), UserArgs(None, {"plan": "Pro"}, {}, None)),
    ((cb,), UserArgs(None, None, {}, cb)),
    (("u1", {}, {}, cb), UserArgs("u1", {}, {}, cb)),
])
def test_identify_and_group_shapes(args, expected):
    assert resolve_user(*args) == expected


@pytest.mark.parametrize("args, expected", [
    (("new",), AliasArgs("new", None, {}, None)),
    (("new", "old"), AliasArgs("new", "old", {}, None)),
    ((7, 6), AliasArgs("7", "6", {}, None)),
    (("new", {"ip": "0"}), AliasArgs("new", None, {"ip": "0"}, None)),
    (("new", "old", {"ip": "0"}, cb), AliasArgs("new", "old", {"ip": "0"}, cb)),
    (("new", cb), AliasArgs("new", None, {}, cb)),
])
def test_alias_shapes(args, expected):
    assert resolve_alias(*args) == expected


def test_alias_without_an_id_is_refused():
    with pytest.raises(ValidationError, match="alias"):
        resolve_alias(None)


def test_numbers_become_ids_as_javascript_writes_them():
    from analytics_py.core.args import number_text

    assert [number_text(v) for v in (42, 12.0, 1.5, float("nan"), float("inf"), -float("inf"))] == [
        "42", "12", "1.5", "NaN", "Infinity", "-Infinity"]


def test_a_blank_event_name_is_refused():
    import pytest

    from analytics_py.core.args import ValidationError, resolve_track

    with pytest.raises(ValidationError, match="is blank"):
        resolve_track("  \t")
