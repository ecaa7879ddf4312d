"""How long each status lasts before it settles, on the simulated clock.

In *realistic* mode (labs and the book) a new app stays ``Pending`` for two simulated
minutes, a stopping one ``Deleting`` for one, and so on: code that must wait on AWS must
wait here too, by polling Describe while the clock moves (``studio_mock.wait_for_status``
or a botocore waiter). In *instant* mode (the conformance tests) every status settles at
once. Nothing ever sleeps for real.

AWS publishes no durations. The figures below are the course's assumptions, chosen in
the range a Studio user sees in the console; only their order of magnitude matters.
"""

from __future__ import annotations

import datetime as dt

MODES = ("realistic", "instant")

_MIN = dt.timedelta(minutes=1)
_SEC = dt.timedelta(seconds=1)

# (resource kind, transient status) -> how long that status lasts (course assumption)
REALISTIC = {
    ("domain", "Pending"): 5 * _MIN,
    ("domain", "Updating"): 1 * _MIN,
    ("domain", "Deleting"): 5 * _MIN,
    ("user-profile", "Pending"): 30 * _SEC,
    ("user-profile", "Updating"): 30 * _SEC,
    ("user-profile", "Deleting"): 30 * _SEC,
    ("space", "Pending"): 30 * _SEC,
    ("space", "Updating"): 30 * _SEC,
    ("space", "Deleting"): 1 * _MIN,
    ("app", "Pending"): 2 * _MIN,
    ("app", "Deleting"): 1 * _MIN,
    ("image", "CREATING"): 30 * _SEC,
    ("image", "UPDATING"): 30 * _SEC,
    ("image", "DELETING"): 30 * _SEC,
    ("image-version", "CREATING"): 2 * _MIN,
    ("image-version", "DELETING"): 30 * _SEC,
}


class Timing:
    """The process-wide timing mode; ``default`` is what a reset returns to."""

    def __init__(self) -> None:
        self.default = "instant"  # plain moto with the extension: moto's own convention
        self.mode = self.default

    def set(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"timing must be one of {MODES}, not {mode!r}")
        self.mode = mode

    def duration(
        self, kind: str, status: str, extra: dt.timedelta = dt.timedelta(0)
    ) -> dt.timedelta:
        """How long ``status`` lasts; ``extra`` is time the resource's own work adds (a
        lifecycle script), which instant mode skips as well."""
        if self.mode == "instant":
            return dt.timedelta(0)
        return REALISTIC.get((kind, status), dt.timedelta(0)) + extra


timing = Timing()
