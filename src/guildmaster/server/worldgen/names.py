"""Invented names for generated worlds: seeded syllable words, never names from the real game.

Every world gets its own vocabulary: a :class:`NameForge` built from a seed hands out unique
lowercase words (``"vorquel"``, ``"thessamire"``) that the generator turns into item, monster and
place codes. Codes are ``snake_case``; display names are title-cased from the code.

>>> forge = NameForge(7)
>>> word = forge.word()
>>> word.isalpha() and word.islower()
True
>>> display_name("vorquel_ore")
'Vorquel Ore'
"""

from __future__ import annotations

import random

__all__ = ["NameForge", "display_name"]

# Syllables chosen to read as fantasy words while avoiding the real game's vocabulary.
_ONSETS = (
    "b", "br", "d", "dr", "f", "g", "gl", "gr", "h", "k", "kr", "l", "m", "n", "p", "pr",
    "qu", "r", "s", "sk", "sl", "sn", "st", "t", "th", "tr", "v", "vr", "w", "z", "zh",
)  # fmt: skip
_VOWELS = ("a", "e", "i", "o", "u", "ae", "ai", "ei", "ia", "io", "ou", "y")
_CODAS = ("", "", "", "b", "d", "k", "l", "m", "n", "r", "s", "th", "x", "nd", "rn", "sk", "lt")
_ENDINGS = ("", "", "a", "en", "ix", "or", "ara", "eth", "ion", "ul", "ite", "ine", "ow", "ek")

# Substrings that would make an invented word collide with (or read as) a real game name.
_FORBIDDEN = (
    "ash", "copper", "iron", "gold", "coal", "mith", "adam", "spruce", "birch", "maple", "palm",
    "trout", "bass", "salmon", "shrimp", "slime", "ogre", "wolf", "bat", "rat", "imp", "lich",
    "orc", "pig", "cow", "sheep", "demon", "sand", "dusk", "ruby", "topaz", "sapph", "emerald",
    "pixie", "dragon", "snake", "goblin", "cult", "vamp", "skel", "owl", "cyclop", "spider",
    "fenn", "efreet", "grim", "nettle", "cactus", "mush", "sun", "moon", "steel", "egg", "hell",
    "dryad", "fairy", "king", "queen", "bandit", "magic", "strange", "sea", "dead", "glow",
    "rose", "lava", "torch", "algae", "shell", "sap", "kill", "die", "sex", "nig", "fag",
)  # fmt: skip


def display_name(code: str) -> str:
    """Turn a snake_case code into a title-cased display name."""
    return " ".join(part.capitalize() for part in code.split("_") if part)


class NameForge:
    """Hands out unique invented words from a seeded generator."""

    def __init__(self, seed: int) -> None:
        """Start a forge whose words depend only on ``seed``."""
        self._rng = random.Random(f"names:{seed}")
        self._used: set[str] = set()

    def word(self, *, syllables: int | None = None) -> str:
        """Return a new word of 2-3 syllables that was never returned before."""
        for _ in range(10_000):
            count = syllables if syllables is not None else self._rng.choice((2, 2, 2, 3))
            parts = []
            for index in range(count):
                coda = self._rng.choice(_CODAS) if index == count - 1 else ""
                parts.append(self._rng.choice(_ONSETS) + self._rng.choice(_VOWELS) + coda)
            word = "".join(parts) + self._rng.choice(_ENDINGS)
            if 4 <= len(word) <= 11 and word not in self._used and self._acceptable(word):
                self._used.add(word)
                return word
        raise RuntimeError("name space exhausted")  # pragma: no cover - 10k tries never fail

    def claim(self, code: str) -> str:
        """Reserve ``code`` (or a suffixed variant if taken) and return the code reserved."""
        candidate = code
        suffix = 2
        while candidate in self._used:
            candidate = f"{code}_{suffix}"
            suffix += 1
        self._used.add(candidate)
        return candidate

    @staticmethod
    def _acceptable(word: str) -> bool:
        return not any(bad in word for bad in _FORBIDDEN)
