"""The pure rules of trackLink / trackForm (behaviour.md section 8)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Click:
    """What matters about a click on a tracked link."""

    href: str | None
    target: str | None
    ctrl: bool = False
    shift: bool = False
    meta: bool = False
    button: int = 0


def opens_elsewhere(click: Click) -> bool:
    """The browser opens the link in a new tab or window: leave the click alone."""
    new_tab = click.target == "_blank" and bool(click.href)
    return new_tab or click.ctrl or click.shift or click.meta or click.button == 1


def should_hold_navigation(click: Click) -> bool:
    """Prevent the navigation, track, then navigate: only for a same-tab link with an href."""
    return bool(click.href) and not opens_elsewhere(click)
