"""The small mistakes a list picks up between a document and a keyboard.

A captor's clerk copies from a damaged document, from dictation or from another list: a
letter slips, day and month trade places, only the year survives, a digit is misread. These
are the mistakes matching has to survive, so each is kept small and plausible.
"""

from __future__ import annotations

import random
from datetime import date

from parley.domain.dates import PartialDate
from parley.domain.errors import InvalidDate

# Letters that are misheard or mistyped for one another (sound or keyboard neighbours).
_SIMILAR = {
    "а": "о",
    "о": "а",
    "е": "и",
    "и": "е",
    "і": "и",
    "я": "а",
    "ю": "у",
    "у": "ю",
    "ш": "щ",
    "щ": "ш",
    "с": "з",
    "з": "с",
    "т": "д",
    "д": "т",
    "к": "г",
    "г": "к",
    "н": "м",
    "м": "н",
    "б": "п",
    "п": "б",
    "в": "ф",
    "ф": "в",
    "ч": "щ",
    "л": "н",
    "ь": "",
    "й": "и",
    "є": "е",
    "ї": "і",
    "a": "o",
    "o": "a",
    "e": "i",
    "i": "y",
    "y": "i",
    "k": "c",
    "c": "k",
    "s": "z",
    "z": "s",
    "v": "w",
    "w": "v",
    "t": "d",
    "d": "t",
    "g": "h",
    "h": "g",
}


def typo(word: str, rng: random.Random) -> str:
    """One letter substituted, dropped or doubled; the first letter, which lists are filed
    by, is left alone."""
    if len(word) < 4:
        return word
    pos = rng.randrange(1, len(word))
    ch = word[pos]
    operation = rng.choice(("substitute", "drop", "double"))
    if operation == "substitute" and ch.lower() in _SIMILAR:
        replacement = _SIMILAR[ch.lower()]
        return word[:pos] + (replacement.upper() if ch.isupper() else replacement) + word[pos + 1 :]
    if operation == "drop" and ch.isalpha():
        return word[:pos] + word[pos + 1 :]
    if ch.isalpha():
        return word[:pos] + ch + word[pos:]
    return word


def misread_digit(value: str, rng: random.Random) -> str:
    """One digit one off (3 read as 2 or 4): the commonest slip in copied numbers."""
    positions = [i for i, ch in enumerate(value) if ch.isdigit()]
    if not positions:
        return value
    pos = rng.choice(positions)
    digit = (int(value[pos]) + rng.choice((1, 9))) % 10
    return value[:pos] + str(digit) + value[pos + 1 :]


def birth_date_as_listed(born: date, rng: random.Random) -> PartialDate | None:
    """The birth date as the holding side lists it: usually right, sometimes not."""
    roll = rng.random()
    if roll < 0.04:
        return None
    if roll < 0.12:
        return PartialDate(born.year)
    if roll < 0.20 and born.day <= 12 and born.day != born.month:
        return PartialDate(born.year, born.day, born.month)  # DD.MM read as MM.DD
    if roll < 0.26:
        return _one_digit_off(born, rng)
    return PartialDate.of(born)


def _one_digit_off(born: date, rng: random.Random) -> PartialDate:
    for _ in range(5):
        field = rng.choice(("year", "day", "month"))
        step = rng.choice((1, -1))
        year, month, day = born.year, born.month, born.day
        if field == "year":
            year += step
        elif field == "month":
            month += step
        else:
            day += step
        try:
            return PartialDate(year, month, day)
        except InvalidDate:
            continue
    return PartialDate(born.year + 1, born.month, min(born.day, 28))
