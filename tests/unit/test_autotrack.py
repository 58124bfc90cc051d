"""trackLink's rule for which clicks it holds back (behaviour.md section 8)."""

import pytest

from analytics_py.core.autotrack import Click, should_hold_navigation


@pytest.mark.parametrize("click, held", [
    (Click("/next", None), True),
    (Click("/next", "_self"), True),
    (Click("/next", "_blank"), False),
    (Click("/next", None, ctrl=True), False),
    (Click("/next", None, shift=True), False),
    (Click("/next", None, meta=True), False),
    (Click("/next", None, button=1), False),
    (Click(None, None), False),
    (Click("", "_blank"), False),
])
def test_only_same_tab_links_with_an_href_are_held(click, held):
    assert should_hold_navigation(click) is held
