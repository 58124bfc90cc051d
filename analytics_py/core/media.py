"""Segment's Video Spec from an HTML5 media element's events: a pure state machine.

The browser adapter feeds it each media DOM event with a snapshot of the player; it answers
with the spec events to track. Names and properties follow Segment's Video Spec: Playback
Started / Paused / Resumed / Completed, Seek Started / Completed, Buffer Started / Completed,
and Content Started / Completed (the element plays one piece of content, no ads).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

PLAYER = "html5"
Tracked = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class PlayerState:
    """What the element says at the moment of an event."""

    position: float  # currentTime, seconds
    duration: float  # NaN before metadata, inf for a live stream
    volume: float  # 0..1
    muted: bool
    full_screen: bool


def _seconds(value: float) -> int | None:
    return int(value) if math.isfinite(value) else None


class MediaSession:
    """One element's playback session: turns its DOM events into spec events."""

    def __init__(self, session_id: str, properties: Mapping[str, Any]) -> None:
        self.session_id = session_id
        self._properties = dict(properties)
        self._started = False
        self._paused = False
        self._buffering = False
        self._seeking_from: float | None = None
        self._last_position = 0.0

    def on(self, dom_event: str, state: PlayerState) -> list[Tracked]:
        """The spec events for one media DOM event (``play``, ``pause``, ``seeking`` …)."""
        handler = getattr(self, f"_{dom_event}", None)
        tracked: list[Tracked] = handler(state) if handler is not None else []
        if dom_event in ("timeupdate", "seeked", "play"):
            self._last_position = state.position
        return tracked

    def _play(self, state: PlayerState) -> list[Tracked]:
        if not self._started:
            self._started = True
            return [self._playback("Video Playback Started", state),
                    self._content("Video Content Started", state)]
        if self._paused:
            self._paused = False
            return [self._playback("Video Playback Resumed", state)]
        return []

    def _pause(self, state: PlayerState) -> list[Tracked]:
        # A pause that ends the media (or comes with a seek) is not the user pausing.
        ended = math.isfinite(state.duration) and state.position >= state.duration
        if not self._started or self._paused or ended or self._seeking_from is not None:
            return []
        self._paused = True
        return [self._playback("Video Playback Paused", state)]

    def _seeking(self, state: PlayerState) -> list[Tracked]:
        if self._seeking_from is not None:
            return []
        self._seeking_from = self._last_position
        event = self._playback("Video Playback Seek Started", state)
        event[1]["position"] = _seconds(self._last_position)
        event[1]["seek_position"] = _seconds(state.position)
        return [event]

    def _seeked(self, state: PlayerState) -> list[Tracked]:
        if self._seeking_from is None:
            return []
        self._seeking_from = None
        return [self._playback("Video Playback Seek Completed", state)]

    def _waiting(self, state: PlayerState) -> list[Tracked]:
        if not self._started or self._buffering or self._seeking_from is not None:
            return []
        self._buffering = True
        return [self._playback("Video Playback Buffer Started", state)]

    def _playing(self, state: PlayerState) -> list[Tracked]:
        if not self._buffering:
            return []
        self._buffering = False
        return [self._playback("Video Playback Buffer Completed", state)]

    def _ended(self, state: PlayerState) -> list[Tracked]:
        if not self._started:
            return []
        self._started = self._paused = self._buffering = False  # playing again starts a new round
        return [self._content("Video Content Completed", state),
                self._playback("Video Playback Completed", state)]

    def _playback(self, name: str, state: PlayerState) -> Tracked:
        return name, {
            **self._properties,
            "session_id": self.session_id,
            "position": _seconds(state.position),
            "total_length": _seconds(state.duration),
            "sound": 0 if state.muted else round(state.volume * 100),
            "full_screen": state.full_screen,
            "video_player": PLAYER,
            "livestream": math.isinf(state.duration),
        }

    def _content(self, name: str, state: PlayerState) -> Tracked:
        return name, {
            **self._properties,
            "session_id": self.session_id,
            "position": _seconds(state.position),
            "total_length": _seconds(state.duration),
            "livestream": math.isinf(state.duration),
        }


MEDIA_EVENTS = ("play", "pause", "playing", "waiting", "seeking", "seeked", "ended", "timeupdate")
