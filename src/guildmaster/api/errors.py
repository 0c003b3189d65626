"""Errors raised by the API client: one root, one class per game error code, one table.

Classes are named by the recovery they need. The tree::

    ArtifactsError                      root of everything the client raises
    ├── TransportFailure                network errors (timeouts, resets) left after retries
    │   └── ActionOutcomeUnknown        an action's outcome is unknown (lost answer, 500,
    │                                   504): never resent, re-read the state
    ├── ServerUnavailable               HTTP 5xx left after retries
    ├── MalformedResponse               body is not the JSON the spec promises
    └── GameError                       the server answered with an error envelope/status
        ├── UnknownGameError            a code missing from ERROR_CLASSES (kept, not lost)
        ├── TransientError              wait and try again
        │   ├── RateLimited                 429
        │   ├── OrderTransactionInProgress  436
        │   ├── BankTransactionInProgress   461
        │   ├── ActionInProgress            486
        │   └── CooldownActive              499
        ├── RequestError                the request itself is wrong
        │   ├── NotFound                    404
        │   │   ├── CharacterNotFound       498
        │   │   └── MapNotFound             597 (legacy)
        │   └── InvalidPayload              422
        ├── AuthError                   451 members only, 452 453 454 455 token problems
        ├── AccountError                456 457 458 459 463 494 495 550 551 552 560 561 562
        │                               563 564 565 566 570 571 572 573
        └── ActionRefused               the game rules refuse the action (state must change)
            ├── GE: 431 433 434 435 437 438 479 480 482
            ├── NPC: 441 442
            ├── bank: 460 462
            ├── items/equipment: 471 472 473 476 478 483 484 485 491 497
            ├── tasks: 474 475 487 488 489
            ├── movement: 490 595 596
            └── others: 492 gold, 493 skill, 496 conditions, 567 raid, 598 content not on map

Every instance carries ``.code`` (``None`` for non-game failures), ``.character`` (the
character the request was for, if any), ``.response`` (the ``httpx.Response``, if any),
``.message`` and ``.data`` (the envelope's optional ``data``). Programming mistakes in calls
raise ``ValueError``/``TypeError`` instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import httpx

__all__ = [
    "ERROR_CLASSES",
    "AccountError",
    "ActionInProgress",
    "ActionOutcomeUnknown",
    "ActionRefused",
    "AlreadyAtDestination",
    "AlreadyEquipped",
    "ArtifactsError",
    "AssistantLimitReached",
    "AuthError",
    "BankFull",
    "BankGoldInsufficient",
    "BankTransactionInProgress",
    "CannotTradeWithSelf",
    "CharacterNameTaken",
    "CharacterNotFound",
    "ConditionsNotMet",
    "ContentNotOnMap",
    "CooldownActive",
    "EmailTaken",
    "EquipmentSlotConflict",
    "EventAlreadyActive",
    "EventNotPurchasable",
    "EventOnCooldown",
    "GEInsufficientStock",
    "GEMaxQuantity",
    "GENoOrders",
    "GEWrongPrice",
    "GameError",
    "InsufficientGems",
    "InsufficientGold",
    "InsufficientMemberTokens",
    "InvalidEquipment",
    "InvalidPayload",
    "InventoryFull",
    "ItemNotConsumable",
    "ItemNotRecyclable",
    "ItemNotTradeable",
    "ItemQuantityInsufficient",
    "MalformedResponse",
    "MapBlocked",
    "MapNotFound",
    "MaxCharactersReached",
    "MembersOnly",
    "MissingItem",
    "NoPathToDestination",
    "NoTaskAssigned",
    "NotEnoughHpToUnequip",
    "NotFound",
    "NpcDoesNotBuy",
    "NpcDoesNotSell",
    "OrderNotOwned",
    "OrderQuantityTooHigh",
    "OrderTransactionInProgress",
    "PasswordResetTokenExpired",
    "PasswordResetTokenInvalid",
    "PasswordResetTokenUsed",
    "RaidPhaseInactive",
    "RateLimited",
    "RequestError",
    "SameEmail",
    "SamePassword",
    "ServerUnavailable",
    "SkillTooLow",
    "SkinAlreadyOwned",
    "SkinNotOwned",
    "SkinNotPurchasable",
    "StripeSubscriptionActive",
    "SubscriptionActive",
    "TaskAlreadyAssigned",
    "TaskAlreadyCompleted",
    "TaskNotCompleted",
    "TaskNotOwned",
    "TokenExpired",
    "TokenGenerationFailed",
    "TokenInvalid",
    "TokenMissing",
    "TooManyOrders",
    "TransientError",
    "TransportFailure",
    "UnknownGameError",
    "UsernameTaken",
    "UtilitySlotFull",
    "WrongPassword",
    "error_for_status",
]


class ArtifactsError(Exception):
    """Root of every error the API client raises."""

    #: The game code a class stands for (None for failures that are not game codes).
    default_code: ClassVar[int | None] = None

    def __init__(
        self,
        message: str = "",
        *,
        code: int | None = None,
        character: str | None = None,
        response: httpx.Response | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        self.message = message or (self.__doc__ or type(self).__name__).strip().splitlines()[0]
        self.code = code if code is not None else self.default_code
        self.character = character
        self.response = response
        self.data: Mapping[str, Any] = data or {}
        super().__init__(self.message)

    def __str__(self) -> str:
        where = f" [{self.character}]" if self.character else ""
        code = f"{self.code} " if self.code is not None else ""
        return f"{code}{self.message}{where}"


class TransportFailure(ArtifactsError):
    """The request could not be completed (timeout, connection error) after retries."""


class ActionOutcomeUnknown(TransportFailure):
    """An action may have been performed but its outcome is unknown; re-read the state.

    Raised for a lost answer (read timeout, dropped connection) or a 500/504 during an action.

    Never retried automatically: resending could perform the action twice.
    """


class ServerUnavailable(ArtifactsError):
    """The server kept answering 5xx after retries."""


class MalformedResponse(ArtifactsError):
    """The response body is not the JSON shape the v8 spec promises."""


class GameError(ArtifactsError):
    """The server answered with a game error code."""


class UnknownGameError(GameError):
    """A game error code this client does not know (kept with its code)."""


class TransientError(GameError):
    """A temporary refusal: wait and retry the same request."""


class RequestError(GameError):
    """The request is wrong (unknown entity, invalid payload)."""


class AuthError(GameError):
    """Authentication or membership problem."""


class AccountError(GameError):
    """Account management refused (names, passwords, gems, subscriptions, skins)."""


class ActionRefused(GameError):
    """The game rules refuse this action in the current state."""


# --- transient -------------------------------------------------------------------------------


class RateLimited(TransientError):
    """429: too many requests; honour ``retry_after`` seconds."""

    default_code = 429

    def __init__(self, message: str = "", *, retry_after: float | None = None, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class OrderTransactionInProgress(TransientError):
    """436: another character is transacting on this GE order."""

    default_code = 436


class BankTransactionInProgress(TransientError):
    """461: the bank items or gold are already part of another transaction."""

    default_code = 461


class ActionInProgress(TransientError):
    """486: an action is already in progress for this character (or a non-boss multi-fight)."""

    default_code = 486


class CooldownActive(TransientError):
    """499: the character is in cooldown; ``remaining_seconds`` when the message says it."""

    default_code = 499

    def __init__(
        self, message: str = "", *, remaining_seconds: float | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.remaining_seconds = remaining_seconds


# --- request ---------------------------------------------------------------------------------


class NotFound(RequestError):
    """404: the item, map, order, character, ... does not exist."""

    default_code = 404


class CharacterNotFound(NotFound):
    """498: character not found or not yours."""

    default_code = 498


class MapNotFound(NotFound):
    """597: map not found (legacy code)."""

    default_code = 597


class InvalidPayload(RequestError):
    """422: the request body failed validation."""

    default_code = 422


# --- auth ------------------------------------------------------------------------------------


class MembersOnly(AuthError):
    """451: members only."""

    default_code = 451


class TokenInvalid(AuthError):
    """452: the token is invalid."""

    default_code = 452


class TokenExpired(AuthError):
    """453: the token has expired."""

    default_code = 453


class TokenMissing(AuthError):
    """454: no token was sent."""

    default_code = 454


class TokenGenerationFailed(AuthError):
    """455: failed to generate a token (bad credentials)."""

    default_code = 455


# --- account ---------------------------------------------------------------------------------


class UsernameTaken(AccountError):
    """456: this username is already taken."""

    default_code = 456


class EmailTaken(AccountError):
    """457: this email is already in use."""

    default_code = 457


class SamePassword(AccountError):
    """458: use a different password."""

    default_code = 458


class WrongPassword(AccountError):
    """459: the current password is invalid."""

    default_code = 459


class SameEmail(AccountError):
    """463: use a different email."""

    default_code = 463


class CharacterNameTaken(AccountError):
    """494: this character name is already in use."""

    default_code = 494


class MaxCharactersReached(AccountError):
    """495: the account already has the maximum number of characters."""

    default_code = 495


class SkinNotOwned(AccountError):
    """550: this skin is not owned."""

    default_code = 550


class SkinAlreadyOwned(AccountError):
    """551: this skin is already owned."""

    default_code = 551


class SkinNotPurchasable(AccountError):
    """552: this skin is not available for purchase."""

    default_code = 552


class PasswordResetTokenInvalid(AccountError):
    """560: the password reset token is invalid."""

    default_code = 560


class PasswordResetTokenExpired(AccountError):
    """561: the password reset token has expired."""

    default_code = 561


class PasswordResetTokenUsed(AccountError):
    """562: the password reset token has already been used."""

    default_code = 562


class InsufficientGems(AccountError):
    """563: not enough gems."""

    default_code = 563


class EventAlreadyActive(AccountError):
    """564: event already active or maximum active events reached."""

    default_code = 564


class SubscriptionActive(AccountError):
    """565: a subscription is already active."""

    default_code = 565


class EventOnCooldown(AccountError):
    """566: this event is on cooldown and cannot be spawned yet."""

    default_code = 566


class AssistantLimitReached(AccountError):
    """570: daily limit of assistant questions reached."""

    default_code = 570


class EventNotPurchasable(AccountError):
    """571: this event is not available for purchase."""

    default_code = 571


class InsufficientMemberTokens(AccountError):
    """572: not enough member tokens."""

    default_code = 572


class StripeSubscriptionActive(AccountError):
    """573: an active Stripe subscription cannot be extended this way."""

    default_code = 573


# --- refused actions -------------------------------------------------------------------------


class GENoOrders(ActionRefused):
    """431: no orders (legacy GE code)."""

    default_code = 431


class TooManyOrders(ActionRefused):
    """433: more than 100 GE orders at the same time."""

    default_code = 433


class OrderQuantityTooHigh(ActionRefused):
    """434: the order does not hold that many items."""

    default_code = 434


class CannotTradeWithSelf(ActionRefused):
    """435: cannot trade with yourself."""

    default_code = 435


class ItemNotTradeable(ActionRefused):
    """437: this item cannot be sold on the Grand Exchange."""

    default_code = 437


class OrderNotOwned(ActionRefused):
    """438: cannot cancel an order that is not yours."""

    default_code = 438


class NpcDoesNotSell(ActionRefused):
    """441: the NPC does not sell this item."""

    default_code = 441


class NpcDoesNotBuy(ActionRefused):
    """442: the NPC does not buy this item."""

    default_code = 442


class BankGoldInsufficient(ActionRefused):
    """460: not enough gold in the bank."""

    default_code = 460


class BankFull(ActionRefused):
    """462: the bank is full."""

    default_code = 462


class ItemQuantityInsufficient(ActionRefused):
    """471: insufficient item quantity (legacy code)."""

    default_code = 471


class InvalidEquipment(ActionRefused):
    """472: invalid equipment (legacy code)."""

    default_code = 472


class ItemNotRecyclable(ActionRefused):
    """473: this item cannot be recycled."""

    default_code = 473


class TaskNotOwned(ActionRefused):
    """474: the character does not have this task."""

    default_code = 474


class TaskAlreadyCompleted(ActionRefused):
    """475: task already completed or too many items submitted."""

    default_code = 475


class ItemNotConsumable(ActionRefused):
    """476: this item is not a consumable."""

    default_code = 476


class MissingItem(ActionRefused):
    """478: missing required item(s)."""

    default_code = 478


class GEMaxQuantity(ActionRefused):
    """479: maximum quantity exceeded (legacy GE code)."""

    default_code = 479


class GEInsufficientStock(ActionRefused):
    """480: not in stock (legacy GE code)."""

    default_code = 480


class GEWrongPrice(ActionRefused):
    """482: not the price (legacy GE code)."""

    default_code = 482


class NotEnoughHpToUnequip(ActionRefused):
    """483: not enough HP to unequip this item."""

    default_code = 483


class UtilitySlotFull(ActionRefused):
    """484: cannot equip more than 100 utilities in the same slot."""

    default_code = 484


class AlreadyEquipped(ActionRefused):
    """485: this item is already equipped."""

    default_code = 485


class NoTaskAssigned(ActionRefused):
    """487: the character has no task assigned."""

    default_code = 487


class TaskNotCompleted(ActionRefused):
    """488: the character has not completed the task."""

    default_code = 488


class TaskAlreadyAssigned(ActionRefused):
    """489: the character already has a task."""

    default_code = 489


class AlreadyAtDestination(ActionRefused):
    """490: the character is already at the destination."""

    default_code = 490


class EquipmentSlotConflict(ActionRefused):
    """491: the equipment slot is not empty (equip) or empty (unequip)."""

    default_code = 491


class InsufficientGold(ActionRefused):
    """492: the character does not have enough gold."""

    default_code = 492


class SkillTooLow(ActionRefused):
    """493: the character's skill level is too low."""

    default_code = 493


class ConditionsNotMet(ActionRefused):
    """496: conditions not met (level, achievement, access)."""

    default_code = 496


class InventoryFull(ActionRefused):
    """497: the character's inventory is full."""

    default_code = 497


class RaidPhaseInactive(ActionRefused):
    """567: this raid phase is not currently active."""

    default_code = 567


class NoPathToDestination(ActionRefused):
    """595: no path available to the destination map."""

    default_code = 595


class MapBlocked(ActionRefused):
    """596: the map is blocked and cannot be accessed."""

    default_code = 596


class ContentNotOnMap(ActionRefused):
    """598: the monster/resource/workshop/bank/GE/NPC/tasks master is not on this map."""

    default_code = 598


def _build_table() -> Mapping[int, type[ArtifactsError]]:
    table: dict[int, type[ArtifactsError]] = {}
    pending: list[type[ArtifactsError]] = [ArtifactsError]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        code = cls.__dict__.get("default_code")
        if code is not None:
            if code in table:
                raise RuntimeError(f"two error classes for code {code}")
            table[code] = cls
    return MappingProxyType(dict(sorted(table.items())))


#: Game error code -> class (HTTP status = code). Read-only.
ERROR_CLASSES: Mapping[int, type[ArtifactsError]] = _build_table()


def error_for_status(
    code: int,
    message: str = "",
    *,
    character: str | None = None,
    response: httpx.Response | None = None,
    data: Mapping[str, Any] | None = None,
) -> ArtifactsError:
    """Build (not raise) the error instance for a game ``code``."""
    cls = ERROR_CLASSES.get(code)
    if cls is None:
        if code >= 500 and code < 550:
            return ServerUnavailable(message, code=code, character=character, response=response)
        return UnknownGameError(
            message or f"unknown game error {code}",
            code=code,
            character=character,
            response=response,
            data=data,
        )
    return cls(message, code=code, character=character, response=response, data=data)
