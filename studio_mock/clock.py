"""A simulated clock: the mock's notion of "now".

Time stands still unless a lab advances it, so timestamps, statuses and costs are
the same on every run. Each stamp handed out is at least 1 ms after the previous one,
so resources created in a row still sort by CreationTime.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

_MS = dt.timedelta(milliseconds=1)


class SimulatedClock:
    def __init__(self) -> None:
        self._listeners: list[Callable[[dt.datetime, dt.datetime], None]] = []
        self.reset()

    def reset(self) -> None:
        self._start = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self._offset = dt.timedelta(0)
        self._last_stamp = self._start - _MS

    def now(self) -> dt.datetime:
        return self._start + self._offset

    def stamp(self) -> dt.datetime:
        """A timestamp for a new event: now, but strictly after the last stamp."""
        self._last_stamp = max(self.now(), self._last_stamp + _MS)
        return self._last_stamp

    @property
    def elapsed(self) -> dt.timedelta:
        return self._offset

    def advance(self, *, hours: float = 0, minutes: float = 0, seconds: float = 0) -> dt.datetime:
        step = dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)
        if step < dt.timedelta(0):
            raise ValueError("The simulated clock only moves forward; pass a positive duration.")
        before = self.now()
        self._offset += step
        for listener in list(self._listeners):
            listener(before, self.now())
        return self.now()

    def on_advance(self, listener: Callable[[dt.datetime, dt.datetime], None]) -> None:
        """Call ``listener(start, end)`` each time the clock moves."""
        if listener not in self._listeners:
            self._listeners.append(listener)


clock = SimulatedClock()
