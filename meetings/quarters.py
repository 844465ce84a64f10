"""Calendar quarters in local time (settings.TIME_ZONE, Asia/Almaty by default).

A meeting belongs to the quarter of its local date: 23:30 on 31 March in Almaty is 18:30 UTC
and still the first quarter. Bounds are computed here, in Python, and queries compare instants,
so the database's own time-zone tables never decide which quarter a meeting falls in.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

QUARTER_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")
MSG_QUARTER = _("Квартал в виде ГГГГQН, например 2026Q3 (год от 2000 до 2100, квартал от 1 до 4).")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """ "2026Q3" (also "2026-Q3", lower case); ValueError with MSG_QUARTER otherwise."""
        match = QUARTER_RE.match(text or "")
        if not match or not 2000 <= int(match.group(1)) <= 2100:
            raise ValueError(str(MSG_QUARTER))
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, moment: datetime.date | datetime.datetime) -> Quarter:
        """The quarter of a local date, or of an aware datetime's local date."""
        if isinstance(moment, datetime.datetime):
            moment = timezone.localdate(moment)
        return cls(moment.year, (moment.month - 1) // 3 + 1)

    @classmethod
    def current(cls) -> Quarter:
        return cls.of(timezone.localdate())

    def shift(self, by: int) -> Quarter:
        index = self.year * 4 + self.number - 1 + by
        return Quarter(index // 4, index % 4 + 1)

    def previous(self) -> Quarter:
        return self.shift(-1)

    def next(self) -> Quarter:
        return self.shift(1)

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> datetime.date:
        return self.next().first_day - datetime.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def start(self) -> datetime.datetime:
        """Local midnight of the first day (aware)."""
        return _local_midnight(self.first_day)

    @property
    def end(self) -> datetime.datetime:
        """Local midnight after the last day (aware, exclusive)."""
        return self.next().start

    def contains(self, moment: datetime.datetime) -> bool:
        return self.start <= moment < self.end

    def days_left(self, today: datetime.date) -> int:
        """Whole days after `today` until the quarter ends: 0 on its last day and after it,
        all of its days before it starts."""
        if today < self.first_day:
            return self.days
        return max((self.last_day - today).days, 0)

    @property
    def label(self) -> str:
        return _("%(roman)s квартал %(year)s г.") % {"roman": ROMAN[self.number], "year": self.year}

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day))
