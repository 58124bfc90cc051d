"""The Video Spec state machine: which spec events each media DOM event makes."""

import math

from analytics_py.core.media import MediaSession, PlayerState


def at(position, duration=10.0, volume=0.5, muted=False, full_screen=False):
    return PlayerState(position, duration, volume, muted, full_screen)


def run(steps, properties=None):
    session = MediaSession("s-1", properties or {"title": "Intro"})
    return [name for dom, state in steps for name, _ in session.on(dom, state)], session


def test_a_whole_session_in_order():
    names, _ = run([("play", at(0)), ("playing", at(0)), ("timeupdate", at(2.4)), ("pause", at(2.4)),
                    ("seeking", at(7)), ("timeupdate", at(7)), ("seeked", at(7)), ("play", at(7)),
                    ("waiting", at(8)), ("playing", at(8)), ("pause", at(10)), ("ended", at(10))])
    assert names == ["Video Playback Started", "Video Content Started", "Video Playback Paused",
                     "Video Playback Seek Started", "Video Playback Seek Completed",
                     "Video Playback Resumed", "Video Playback Buffer Started",
                     "Video Playback Buffer Completed", "Video Content Completed",
                     "Video Playback Completed"]


def test_playback_properties_follow_the_spec():
    session = MediaSession("s-9", {"content_asset_id": "a1", "title": "Intro"})
    (started, content) = session.on("play", at(0.7, volume=0.25))
    assert started == ("Video Playback Started", {
        "content_asset_id": "a1", "title": "Intro", "session_id": "s-9", "position": 0,
        "total_length": 10, "sound": 25, "full_screen": False, "video_player": "html5",
        "livestream": False})
    assert content[0] == "Video Content Started" and content[1]["title"] == "Intro"
    session.on("timeupdate", at(3.2))
    ((name, seek),) = session.on("seeking", at(8.9, muted=True))
    assert (name, seek["position"], seek["seek_position"], seek["sound"]) == (
        "Video Playback Seek Started", 3, 8, 0)


def test_unknown_lengths_and_live_streams():
    session = MediaSession("s", {})
    ((_, started), _) = session.on("play", at(0, duration=math.nan))
    assert started["total_length"] is None and started["livestream"] is False
    live = MediaSession("s", {})
    ((_, started), _) = live.on("play", at(0, duration=math.inf))
    assert started["total_length"] is None and started["livestream"] is True


def test_repeats_and_events_out_of_place_make_nothing():
    names, session = run([("pause", at(0)), ("waiting", at(0)), ("ended", at(0)), ("seeked", at(0)),
                          ("play", at(0)), ("play", at(1)), ("pause", at(2)), ("pause", at(2)),
                          ("playing", at(2))])
    assert names == ["Video Playback Started", "Video Content Started", "Video Playback Paused"]


def test_playing_again_after_the_end_starts_a_new_round():
    names, _ = run([("play", at(0)), ("ended", at(10)), ("play", at(0))])
    assert names.count("Video Playback Started") == 2
