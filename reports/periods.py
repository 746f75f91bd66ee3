"""Report periods: calendar months named "YYYY-MM"."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import dateformat

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        """Parse "YYYY-MM"; raise ValueError with a message a user can act on."""
        match = _PERIOD.match(text.strip()) if isinstance(text, str) else None
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(
                f"Period must be a month written YYYY-MM (e.g. 2017-03), not {text!r}."
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> "Month":
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def next(self) -> "Month":
        return Month(self.year + (self.month == 12), self.month % 12 + 1)

    def previous(self) -> "Month":
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @property
    def label(self) -> str:
        """ "March 2017", "مارس 2017": in the active language."""
        return dateformat.format(self.first_day, "F Y")


def month_range(first: Month, last: Month) -> list[Month]:
    """The months from `first` to `last`, both included."""
    months = []
    while first <= last:
        months.append(first)
        first = first.next()
    return months
