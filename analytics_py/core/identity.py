"""Who the visitor is: user and group ids, the anonymous id and cached traits, over stores.

The rules are analytics-next's ``core/user`` (behaviour.md section 1.6).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .args import number_text
from .stores import UniversalStore

ANONYMOUS_ID_KEY = "ajs_anonymous_id"


class _Unset:
    """Marks an argument that was not passed, which is not the same as an explicit None."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass(frozen=True)
class Keys:
    id: str
    traits: str


USER_KEYS = Keys(id="ajs_user_id", traits="ajs_user_traits")
GROUP_KEYS = Keys(id="ajs_group_id", traits="ajs_group_properties")


def _as_id(value: object) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number_text(value)
    return None


class Group:
    """A group: an id and traits, cached like a user's (``analytics.group()``)."""

    def __init__(self, ids: UniversalStore, traits: UniversalStore, keys: Keys = GROUP_KEYS) -> None:
        self._ids = ids
        self._traits = traits
        self._keys = keys

    def id(self, value: Any = UNSET) -> str | None:
        """Read the id, or set it when a value is given (None clears it)."""
        if value is not UNSET:
            self._set_id(_as_id(value))
        return _as_id(self._ids.get_and_sync(self._keys.id))

    def _set_id(self, value: str | None) -> None:
        if value is None:
            self._ids.remove(self._keys.id)
        else:
            self._ids.set(self._keys.id, value)

    def traits(self, value: Any = UNSET) -> dict[str, Any]:
        """Read the cached traits, or replace them when a value is given (``{}``/None clear)."""
        if value is not UNSET:
            self._traits.set(self._keys.traits, dict(value) if isinstance(value, dict) else {})
        stored = self._traits.get(self._keys.traits)
        return dict(stored) if isinstance(stored, dict) else {}

    def identify(self, new_id: str | None, traits: dict[str, Any] | None) -> None:
        """Merge traits for the same (or no) id; replace them when the id changes.

        ``new_id`` None means the current id, as in ``identify({email})``.
        """
        current = self.id()
        same = current is None or new_id is None or new_id == current
        merged = {**self.traits(), **(traits or {})} if same else dict(traits or {})
        if new_id:
            self.id(new_id)
        self.traits(merged)

    def reset(self) -> None:
        """Forget the id and the traits in every store."""
        self._ids.remove(self._keys.id)
        self._traits.remove(self._keys.traits)


class User(Group):
    """The visitor: a group with an anonymous id that is minted on first need."""

    def __init__(
        self, ids: UniversalStore, traits: UniversalStore, new_id: Callable[[], str],
        keys: Keys = USER_KEYS,
    ) -> None:
        super().__init__(ids, traits, keys)
        self._new_id = new_id

    def _set_id(self, value: str | None) -> None:
        previous = _as_id(self._ids.get(self._keys.id))
        if previous is not None and value is not None and value != previous:
            self._ids.remove(ANONYMOUS_ID_KEY)
        super()._set_id(value)

    def anonymous_id(self, value: Any = UNSET) -> str | None:
        """Read the anonymous id (minting and persisting one if none), set it, or clear it (None)."""
        if value is not UNSET:
            chosen = _as_id(value)
            if chosen is None:
                self._ids.remove(ANONYMOUS_ID_KEY)
                return None
            self._ids.set(ANONYMOUS_ID_KEY, chosen)
        stored = _as_id(self._ids.get_and_sync(ANONYMOUS_ID_KEY))
        if stored is None:
            stored = self._new_id()
            self._ids.set(ANONYMOUS_ID_KEY, stored)
        return stored

    def reset(self) -> None:
        super().reset()
        self._ids.remove(ANONYMOUS_ID_KEY)
