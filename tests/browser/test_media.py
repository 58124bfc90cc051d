"""The opt-in HTML5 media plugin on real <video> and <audio> elements playing a generated clip."""

from __future__ import annotations

import math
import struct
import wave

import pytest

from .conftest import wait_for_ready

PLAYER = """
<video id="clip" src="/pages/clip.wav" preload="auto"></video>
<button id="play" onclick="document.getElementById('clip').play()">Play</button>
<button id="pause" onclick="document.getElementById('clip').pause()">Pause</button>
"""


@pytest.fixture(scope="module")
def clip(site):
    """Three seconds of a quiet tone, written with the standard library (8 kHz, 8-bit mono)."""
    with wave.open(str(site.pages_dir / "clip.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(8000)
        out.writeframes(bytes(128 + int(20 * math.sin(2 * math.pi * 440 * i / 8000)) for i in range(24_000)))
    return "/pages/clip.wav"


def test_a_video_session_is_tracked_with_the_video_spec(page, site, collector, write_key, clip, page_errors):
    page.goto(site.page(write_key=write_key, body=PLAYER, setup="""
        window.addEventListener('DOMContentLoaded', () => analytics.register(
          analytics.plugins.html5Media(document.getElementById('clip'), {title: 'Intro', asset_id: 'c-1'})));
    """))
    wait_for_ready(page)
    page.click("#play")
    collector.wait_for(write_key, 1, named="Video Playback Started")
    page.wait_for_timeout(600)
    page.click("#pause")
    collector.wait_for(write_key, 1, named="Video Playback Paused")
    page.evaluate("document.getElementById('clip').currentTime = 2")
    collector.wait_for(write_key, 1, named="Video Playback Seek Completed")
    page.click("#play")
    events = {e["event"]: e["properties"] for e in collector.wait_for(write_key, 1, named="Video Playback Completed")}
    assert set(events) == {"Video Playback Started", "Video Content Started", "Video Playback Paused",
                           "Video Playback Seek Started", "Video Playback Seek Completed",
                           "Video Playback Resumed", "Video Content Completed", "Video Playback Completed"}
    started = events["Video Playback Started"]
    assert {k: started[k] for k in ("title", "asset_id", "position", "total_length", "video_player",
                                    "livestream", "full_screen", "sound")} == {
        "title": "Intro", "asset_id": "c-1", "position": 0, "total_length": 3, "video_player": "html5",
        "livestream": False, "full_screen": False, "sound": 100}
    assert events["Video Playback Seek Started"]["seek_position"] == 2
    # The seek starts where playback was paused (how far it got depends on this machine's load).
    assert events["Video Playback Seek Started"]["position"] == events["Video Playback Paused"]["position"] < 2
    assert events["Video Playback Resumed"]["position"] == 2
    assert events["Video Playback Completed"]["position"] == 3
    assert len({p["session_id"] for p in events.values()}) == 1 and page_errors == []


PYTHON_AUDIO = """
<audio id="song" src="/pages/clip.wav" preload="auto" muted></audio>
<button id="play" onclick="document.getElementById('song').play()">Play</button>
<script type="py">
import js
from analytics_py import analytics
from analytics_py.browser.media import Html5Media

analytics.register(Html5Media(js.document.getElementById("song"), {"title": "Song"}))
</script>
"""


def test_an_audio_element_from_python(page, site, collector, write_key, clip):
    page.goto(site.page(write_key=write_key, body=PYTHON_AUDIO))
    wait_for_ready(page)
    page.click("#play")
    events = collector.wait_for(write_key, 1, named="Video Content Completed")
    started = next(e for e in events if e["event"] == "Video Playback Started")
    assert started["properties"]["title"] == "Song" and started["properties"]["sound"] == 0
