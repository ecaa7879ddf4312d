"""A simulated clock: the mock's notion of "now".

Time stands still unless a lab advances it, so timestamps, statuses and costs are
the same on every run. Each stamp handed out is at least 1 ms after the previous one,
so resources created in a row still sort by CreationTime.

When the clock advances it stops at every moment something is scheduled to change (an
app becoming InService, an idle app being shut down), so that whoever listens (the
cost meter) sees each stretch of time with the state that held during it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

_MS = dt.timedelta(milliseconds=1)

Listener = Callable[[dt.datetime, dt.datetime], None]
Schedule = Callable[[dt.datetime], "dt.datetime | None"]


class SimulatedClock:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._schedules: list[Schedule] = []
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
        target = self.now() + step
        while True:
            start = self.now()
            upcoming = [
                moment
                for schedule in self._schedules
                if (moment := schedule(start)) is not None and start < moment < target
            ]
            end = min(upcoming, default=target)
            for listener in list(self._listeners):
                listener(start, end)  # the clock still reads ``start``
            self._offset = end - self._start
            if end >= target:
                return self.now()

    def on_advance(self, listener: Listener) -> None:
        """Call ``listener(start, end)`` for each stretch the clock moves through; nothing
        scheduled changes between ``start`` and ``end``, and ``now()`` is still ``start``."""
        if listener not in self._listeners:
            self._listeners.append(listener)

    def on_schedule(self, schedule: Schedule) -> None:
        """``schedule(now)`` names the next moment after ``now`` at which something changes
        (or None); ``advance`` stops there."""
        if schedule not in self._schedules:
            self._schedules.append(schedule)


clock = SimulatedClock()
