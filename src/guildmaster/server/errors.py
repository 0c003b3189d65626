"""Game errors raised by the server's services and turned into HTTP responses.

Every failure the API reports is a :class:`GameError` with the game's code as HTTP status and the
body ``{"error": {"code": <int>, "message": <str>}}`` (``ErrorResponseSchema`` of the v8 spec).
Services raise the subclass named by the situation, with the message the client sees; routes
never build error bodies themselves. One class per game code (MECHANICS §22), and
:data:`ERROR_CLASSES` is the one table of code -> class. The tree::

    GameError                       root: ``.code`` (the class's), ``.message``, ``.data``
    ├── requests and auth
    │   ├── NotFound                    404 an item, map, order, account, ... does not exist
    │   ├── InvalidPayload              422 the request is malformed (validation, bad targets)
    │   ├── RateLimited                 429 a rate-limit window is exhausted
    │   ├── TokenInvalid                452
    │   ├── TokenMissing                454
    │   └── TokenGenerationFailed       455 bad or missing basic credentials
    ├── accounts and characters
    │   ├── UsernameTaken               456
    │   ├── EmailTaken                  457
    │   ├── CharacterNameTaken          494
    │   ├── MaxCharactersReached        495
    │   ├── CharacterNotFound           498 unknown or another account's character
    │   └── SkinNotOwned                550
    ├── the action frame
    │   ├── ActionInProgress            486 (also: participants for a non-boss fight)
    │   └── CharacterInCooldown         499
    ├── Grand Exchange and NPCs
    │   ├── TooManyOrders               433
    │   ├── OrderQuantityTooHigh        434
    │   ├── CannotTradeWithSelf         435
    │   ├── ItemNotTradeable            437
    │   ├── OrderNotOwned               438
    │   ├── NpcDoesNotSell              441
    │   └── NpcDoesNotBuy               442
    ├── bank: BankGoldInsufficient 460, BankFull 462
    ├── items and equipment
    │   ├── ItemNotRecyclable           473
    │   ├── ItemNotConsumable           476
    │   ├── MissingItem                 478
    │   ├── NotEnoughHpToUnequip        483
    │   ├── UtilitySlotFull             484
    │   ├── AlreadyEquipped             485
    │   ├── EquipmentSlotConflict       491 slot not empty (equip) or empty (unequip)
    │   └── InventoryFull               497
    ├── tasks: TaskNotOwned 474, TaskAlreadyCompleted 475, NoTaskAssigned 487,
    │          TaskNotCompleted 488, TaskAlreadyAssigned 489
    ├── movement: AlreadyAtDestination 490, NoPathToDestination 595, MapBlocked 596
    └── rules: InsufficientGold 492, SkillTooLow 493, ConditionsNotMet 496,
               RaidPhaseInactive 567, ContentNotOnMap 598

Each class's ``code`` is written once, on the class; the table is built from the classes.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

__all__ = [
    "ERROR_CLASSES",
    "ActionInProgress",
    "AlreadyAtDestination",
    "AlreadyEquipped",
    "BankFull",
    "BankGoldInsufficient",
    "CannotTradeWithSelf",
    "CharacterInCooldown",
    "CharacterNameTaken",
    "CharacterNotFound",
    "ConditionsNotMet",
    "ContentNotOnMap",
    "EmailTaken",
    "EquipmentSlotConflict",
    "GameError",
    "InsufficientGold",
    "InvalidPayload",
    "InventoryFull",
    "ItemNotConsumable",
    "ItemNotRecyclable",
    "ItemNotTradeable",
    "MapBlocked",
    "MaxCharactersReached",
    "MissingItem",
    "NoPathToDestination",
    "NoTaskAssigned",
    "NotEnoughHpToUnequip",
    "NotFound",
    "NpcDoesNotBuy",
    "NpcDoesNotSell",
    "OrderNotOwned",
    "OrderQuantityTooHigh",
    "RaidPhaseInactive",
    "RateLimited",
    "SkillTooLow",
    "SkinNotOwned",
    "TaskAlreadyAssigned",
    "TaskAlreadyCompleted",
    "TaskNotCompleted",
    "TaskNotOwned",
    "TokenGenerationFailed",
    "TokenInvalid",
    "TokenMissing",
    "TooManyOrders",
    "UsernameTaken",
    "UtilitySlotFull",
    "error_body",
]


class GameError(Exception):
    """A rule violation reported to the client with the game's error code.

    Never raised itself: raise the subclass named by the situation.

    >>> error = CharacterInCooldown("Character in cooldown: 12.00 seconds left.")
    >>> error.code, error.body()["error"]["message"]
    (499, 'Character in cooldown: 12.00 seconds left.')
    """

    #: The game code (and HTTP status) of the situation a subclass stands for.
    code: ClassVar[int]

    def __init__(self, message: str, *, data: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.data = data

    def body(self) -> dict[str, Any]:
        """The JSON body of the error response."""
        return error_body(self.code, self.message, data=self.data)


def error_body(code: int, message: str, *, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build an ``ErrorResponseSchema`` body."""
    error: dict[str, Any] = {"code": code, "message": message}
    if data is not None:
        error["data"] = data
    return {"error": error}


# --- requests and auth -----------------------------------------------------------------------


class NotFound(GameError):
    """404: the item, map, order, account, character, ... asked for does not exist."""

    code = 404


class InvalidPayload(GameError):
    """422: the request is malformed (schema validation, impossible targets)."""

    code = 422


class RateLimited(GameError):
    """429: a rate-limit window of the request's bucket is exhausted."""

    code = 429


class TokenInvalid(GameError):
    """452: the bearer token is unknown."""

    code = 452


class TokenMissing(GameError):
    """454: no bearer token was sent."""

    code = 454


class TokenGenerationFailed(GameError):
    """455: no token for missing or wrong basic credentials."""

    code = 455


# --- accounts and characters -----------------------------------------------------------------


class UsernameTaken(GameError):
    """456: this username is already taken."""

    code = 456


class EmailTaken(GameError):
    """457: this email is already in use."""

    code = 457


class CharacterNameTaken(GameError):
    """494: this character name is already in use."""

    code = 494


class MaxCharactersReached(GameError):
    """495: the account already has the maximum number of characters."""

    code = 495


class CharacterNotFound(GameError):
    """498: the character does not exist or belongs to another account."""

    code = 498


class SkinNotOwned(GameError):
    """550: the skin cannot be chosen."""

    code = 550


# --- the action frame ------------------------------------------------------------------------


class ActionInProgress(GameError):
    """486: an action is already in progress (or several fighters for a non-boss monster)."""

    code = 486


class CharacterInCooldown(GameError):
    """499: the character (or a fight participant) is in cooldown."""

    code = 499


# --- Grand Exchange and NPCs -----------------------------------------------------------------


class TooManyOrders(GameError):
    """433: more than 100 GE orders at the same time."""

    code = 433


class OrderQuantityTooHigh(GameError):
    """434: the order does not hold that many items."""

    code = 434


class CannotTradeWithSelf(GameError):
    """435: an order of one's own account cannot be traded."""

    code = 435


class ItemNotTradeable(GameError):
    """437: this item cannot be sold on the Grand Exchange."""

    code = 437


class OrderNotOwned(GameError):
    """438: an order that is not the account's cannot be cancelled."""

    code = 438


class NpcDoesNotSell(GameError):
    """441: the NPC does not sell this item."""

    code = 441


class NpcDoesNotBuy(GameError):
    """442: the NPC does not buy this item."""

    code = 442


# --- bank ------------------------------------------------------------------------------------


class BankGoldInsufficient(GameError):
    """460: not enough gold in the bank."""

    code = 460


class BankFull(GameError):
    """462: the bank has no free slot for a new item."""

    code = 462


# --- items and equipment ---------------------------------------------------------------------


class ItemNotRecyclable(GameError):
    """473: this item cannot be recycled."""

    code = 473


class ItemNotConsumable(GameError):
    """476: this item is not a consumable."""

    code = 476


class MissingItem(GameError):
    """478: the character (or the bank) holds fewer of an item than needed."""

    code = 478


class NotEnoughHpToUnequip(GameError):
    """483: unequipping would leave the character without HP."""

    code = 483


class UtilitySlotFull(GameError):
    """484: more than 100 utilities in one slot."""

    code = 484


class AlreadyEquipped(GameError):
    """485: this item is already equipped in another slot."""

    code = 485


class EquipmentSlotConflict(GameError):
    """491: the equipment slot is not empty (equip) or empty (unequip)."""

    code = 491


class InventoryFull(GameError):
    """497: the character's inventory has no room for the result."""

    code = 497


# --- tasks -----------------------------------------------------------------------------------


class TaskNotOwned(GameError):
    """474: the character does not have this task."""

    code = 474


class TaskAlreadyCompleted(GameError):
    """475: the task is already completed or would be over-fulfilled."""

    code = 475


class NoTaskAssigned(GameError):
    """487: the character has no task."""

    code = 487


class TaskNotCompleted(GameError):
    """488: the character has not completed the task."""

    code = 488


class TaskAlreadyAssigned(GameError):
    """489: the character already has a task."""

    code = 489


# --- movement --------------------------------------------------------------------------------


class AlreadyAtDestination(GameError):
    """490: the character already stands on the destination."""

    code = 490


class NoPathToDestination(GameError):
    """595: no path leads to the destination map."""

    code = 595


class MapBlocked(GameError):
    """596: the destination map is blocked."""

    code = 596


# --- rules -----------------------------------------------------------------------------------


class InsufficientGold(GameError):
    """492: the character does not have enough gold."""

    code = 492


class SkillTooLow(GameError):
    """493: the character's skill level is too low."""

    code = 493


class ConditionsNotMet(GameError):
    """496: a level, achievement, access or slot condition does not hold."""

    code = 496


class RaidPhaseInactive(GameError):
    """567: this raid phase is not currently active."""

    code = 567


class ContentNotOnMap(GameError):
    """598: the monster, resource, workshop, bank, GE, NPC or tasks master is not here."""

    code = 598


def _build_table() -> Mapping[int, type[GameError]]:
    table: dict[int, type[GameError]] = {}
    pending: list[type[GameError]] = [GameError]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        code = cls.__dict__.get("code")
        if code is not None:
            if code in table:
                raise RuntimeError(f"two error classes for code {code}")
            table[code] = cls
    return MappingProxyType(dict(sorted(table.items())))


#: Game error code -> class (HTTP status = code). Read-only.
ERROR_CLASSES: Mapping[int, type[GameError]] = _build_table()
