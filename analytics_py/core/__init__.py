"""The pure core of analytics_py: Segment-spec logic that touches no browser API.

Nothing under ``analytics_py.core`` imports ``js``, ``pyodide`` or ``analytics_py.browser``;
``tests/unit/test_layering.py`` keeps it that way.
"""
