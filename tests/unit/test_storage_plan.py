"""Load options to the stores, keys and cookie attributes identity uses."""

import pytest

from analytics_py.core.identity import Keys
from analytics_py.core.storage_plan import CookieOptions, storage_plan


def test_defaults_are_analytics_js_ones():
    plan = storage_plan({})
    assert plan.identity == ("localStorage", "cookie", "memory")
    assert plan.traits == ("localStorage", "memory")
    assert (plan.user_keys, plan.group_keys) == (Keys("ajs_user_id", "ajs_user_traits"),
                                                 Keys("ajs_group_id", "ajs_group_properties"))
    assert plan.cookie == CookieOptions(None, 365, "/", "Lax", False)


@pytest.mark.parametrize("options, identity", [
    ({"storage": {"stores": ["cookie", "localStorage"]}}, ("cookie", "localStorage", "memory")),
    ({"storage": {"stores": ["memory"]}}, ("memory",)),
    ({"storage": {"stores": ["cookie", "bogus"]}}, ("localStorage", "cookie", "memory")),
    ({"user": {"localStorageFallbackDisabled": True}}, ("cookie", "memory")),
    ({"user": {"persist": False}}, ("memory",)),
    ({"disableClientPersistence": True}, ("memory",)),
])
def test_store_order_options(options, identity):
    assert storage_plan(options).identity == identity


def test_custom_keys_and_cookie_attributes():
    plan = storage_plan({
        "user": {"cookie": {"key": "my_uid"}, "localStorage": {"key": "my_traits"}},
        "group": {"cookie": {"key": "my_gid"}},
        "cookie": {"domain": "example.test", "maxage": 7, "path": "/app", "sameSite": "Strict",
                   "secure": True},
    })
    assert plan.user_keys == Keys("my_uid", "my_traits")
    assert plan.group_keys == Keys("my_gid", "ajs_group_properties")
    assert plan.cookie == CookieOptions("example.test", 7.0, "/app", "Strict", True)
