"""Which part of a name a string is: surname, given name or patronymic.

The role decides which dictionary pool a part is looked up in and how its key is normalised
(a surname loses its gender ending, a patronymic its linking vowel); the same string can
play several roles (Сергій the given name, Сергієнко the surname, Роман both).
"""

from __future__ import annotations

from enum import StrEnum


class NamePart(StrEnum):
    SURNAME = "surname"
    GIVEN = "given"
    PATRONYMIC = "patronymic"

    @property
    def pool(self) -> str:
        """The names_translator dictionary pool for this part."""
        return _POOLS[self]


_POOLS = {NamePart.SURNAME: "last", NamePart.GIVEN: "first", NamePart.PATRONYMIC: "patronymic"}
