"""Shared by every test folder: the collector running in this process."""

from collector.background import RunningCollector, running_collector

__all__ = ["RunningCollector", "running_collector"]
