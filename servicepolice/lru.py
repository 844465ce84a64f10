"""A per-process store that drops the least recently used items first (imports no app)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any


class LRU:
    """A per-process store, least recently used dropped first once it holds more than
    `max_entries` items or `max_bytes` (each value's size given by `size`)."""

    def __init__(self, max_bytes: int, max_entries: int | None = None, size=len) -> None:
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self.sizeof = size
        self.items: OrderedDict[tuple, Any] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Any:
        with self.lock:
            item = self.items.get(key)
            if item is not None:
                self.items.move_to_end(key)
            return item

    def put(self, key: tuple, value: Any) -> None:
        with self.lock:
            old = self.items.pop(key, None)
            self.size -= self.sizeof(old) if old is not None else 0
            self.items[key] = value
            self.size += self.sizeof(value)
            while self.items and (
                self.size > self.max_bytes
                or (self.max_entries is not None and len(self.items) > self.max_entries)
            ):
                _, dropped = self.items.popitem(last=False)
                self.size -= self.sizeof(dropped)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0
