"""Destinations written in Python that ship with analytics_py, chosen by the source's settings."""
