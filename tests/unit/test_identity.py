"""User and group identity rules over stores (behaviour.md section 1.6)."""

from analytics_py.core.identity import ANONYMOUS_ID_KEY, Group, User
from analytics_py.core.stores import MemoryStore, UniversalStore

from .fakes import counting_ids


def make_user() -> tuple[User, MemoryStore, MemoryStore]:
    first, second = MemoryStore(), MemoryStore()
    return User(UniversalStore([first, second]), UniversalStore([first]), counting_ids("anon")), first, second


def test_anonymous_id_is_minted_once_and_persisted_everywhere():
    user, first, second = make_user()
    assert user.anonymous_id() == "anon-1"
    assert user.anonymous_id() == "anon-1"
    assert first.get(ANONYMOUS_ID_KEY) == second.get(ANONYMOUS_ID_KEY) == "anon-1"


def test_identifying_keeps_the_anonymous_id_and_switching_users_refreshes_it():
    user, *_ = make_user()
    anon = user.anonymous_id()
    user.identify("u1", {"a": 1})
    assert user.anonymous_id() == anon
    user.identify("u2", {"b": 2})
    assert user.anonymous_id() != anon
    assert user.traits() == {"b": 2}


def test_traits_merge_for_the_same_user_and_clear_with_an_empty_object():
    user, *_ = make_user()
    user.identify(None, {"nickname": "Amazing Grace"})
    user.identify("12091906-01011992", {"name": "Grace Hopper"})
    assert user.traits() == {"nickname": "Amazing Grace", "name": "Grace Hopper"}
    assert user.traits({}) == {}


def test_traits_without_an_id_merge_into_the_identified_user():
    user, *_ = make_user()
    user.identify("user-42", {"plan": "Pro"})
    user.identify(None, {"email": "grace@example.com"})
    assert (user.id(), user.traits()) == ("user-42", {"plan": "Pro", "email": "grace@example.com"})


def test_a_value_found_in_a_lower_store_is_copied_up():
    user, first, second = make_user()
    second.set("ajs_user_id", 123)
    assert user.id() == "123"
    assert first.get("ajs_user_id") == 123


def test_reset_forgets_ids_and_traits_but_a_group_keeps_its_own_keys():
    user, first, _ = make_user()
    group = Group(UniversalStore([first]), UniversalStore([first]))
    user.identify("u1", {"a": 1})
    group.identify("g1", {"size": 3})
    user.reset()
    assert (user.id(), user.traits(), first.get(ANONYMOUS_ID_KEY)) == (None, {}, None)
    assert (group.id(), group.traits()) == ("g1", {"size": 3})
    assert user.anonymous_id(None) is None


def test_the_cookie_wins_when_stores_disagree_and_the_others_are_repaired():
    local, cookie, memory = MemoryStore(), MemoryStore(), MemoryStore()
    user = User(UniversalStore([local, cookie, memory], authority=cookie),
                UniversalStore([local, memory]), counting_ids("anon"))
    local.set(ANONYMOUS_ID_KEY, "from-this-subdomain")
    cookie.set(ANONYMOUS_ID_KEY, "shared-by-all-subdomains")
    assert user.anonymous_id() == "shared-by-all-subdomains"
    assert local.get(ANONYMOUS_ID_KEY) == memory.get(ANONYMOUS_ID_KEY) == "shared-by-all-subdomains"


def test_an_expired_cookie_is_restored_from_local_storage():
    local, cookie = MemoryStore(), MemoryStore()
    user = User(UniversalStore([local, cookie], authority=cookie), UniversalStore([local]), counting_ids())
    local.set(ANONYMOUS_ID_KEY, "kept")
    local.set("ajs_user_id", "u1")
    assert (user.anonymous_id(), user.id()) == ("kept", "u1")
    assert (cookie.get(ANONYMOUS_ID_KEY), cookie.get("ajs_user_id")) == ("kept", "u1")
