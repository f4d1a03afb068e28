"""A one-line progress bar on the terminal, redrawn at most a few times a second."""

from __future__ import annotations

import time
from typing import TextIO


class ProgressBar:
    """`[#####.....] 120/400 files` on stderr, only when it is a terminal."""

    def __init__(self, stream: TextIO, width: int = 30):
        self.stream = stream
        self.width = width
        self._last = 0.0

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        filled = int(self.width * done / total) if total else self.width
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} files")
        self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r" + " " * (self.width + 30) + "\r")
        self.stream.flush()
