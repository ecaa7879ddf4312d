"""A progress line with an estimate of the time left (redrawn on a terminal, logged
every few percent elsewhere, e.g. in CI)."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, stream=sys.stderr, width: int = 30):
        self.total, self.done, self.flagged, self.failed = total, 0, 0, 0
        self.stream, self.width = stream, width
        self.start = time.monotonic()
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self._last_logged = -1

    def update(self, status: str) -> None:
        self.done += 1
        self.flagged += status == "flagged"
        self.failed += status == "failed"
        self._draw()

    def line(self) -> str:
        elapsed = time.monotonic() - self.start
        left = elapsed / self.done * (self.total - self.done) if self.done else 0
        filled = int(self.width * self.done / self.total) if self.total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        return (
            f"[{bar}] {self.done}/{self.total} graded, {self.flagged} flagged, "
            f"{self.failed} failed, {_clock(elapsed)} elapsed, about {_clock(left)} left"
        )

    def _draw(self) -> None:
        if self.tty:
            end = "\n" if self.done == self.total else ""
            self.stream.write("\r" + self.line() + end)
        else:
            step = max(1, self.total // 20)
            if self.done % step and self.done != self.total:
                return
            self.stream.write(self.line() + "\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds + 0.5), 60)
    return f"{minutes}m{seconds:02d}s" if minutes else f"{seconds}s"
