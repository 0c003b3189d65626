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

The root and the branches live in :mod:`guildmaster.api.errorkinds`, the classes of the codes
in :mod:`guildmaster.api.errorcodes`; import them all from here.

Every instance carries ``.code`` (``None`` for non-game failures), ``.character`` (the
character the request was for, if any), ``.response`` (the ``httpx.Response``, if any),
``.message`` and ``.data`` (the envelope's optional ``data``). Programming mistakes in calls
raise ``ValueError``/``TypeError`` instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import httpx

from guildmaster.api.errorcodes import (
    ActionInProgress,
    AlreadyAtDestination,
    AlreadyEquipped,
    AssistantLimitReached,
    BankFull,
    BankGoldInsufficient,
    BankTransactionInProgress,
    CannotTradeWithSelf,
    CharacterNameTaken,
    CharacterNotFound,
    ConditionsNotMet,
    ContentNotOnMap,
    CooldownActive,
    EmailTaken,
    EquipmentSlotConflict,
    EventAlreadyActive,
    EventNotPurchasable,
    EventOnCooldown,
    GEInsufficientStock,
    GEMaxQuantity,
    GENoOrders,
    GEWrongPrice,
    InsufficientGems,
    InsufficientGold,
    InsufficientMemberTokens,
    InvalidEquipment,
    InvalidPayload,
    InventoryFull,
    ItemNotConsumable,
    ItemNotRecyclable,
    ItemNotTradeable,
    ItemQuantityInsufficient,
    MapBlocked,
    MapNotFound,
    MaxCharactersReached,
    MembersOnly,
    MissingItem,
    NoPathToDestination,
    NoTaskAssigned,
    NotEnoughHpToUnequip,
    NotFound,
    NpcDoesNotBuy,
    NpcDoesNotSell,
    OrderNotOwned,
    OrderQuantityTooHigh,
    OrderTransactionInProgress,
    PasswordResetTokenExpired,
    PasswordResetTokenInvalid,
    PasswordResetTokenUsed,
    RaidPhaseInactive,
    RateLimited,
    SameEmail,
    SamePassword,
    SkillTooLow,
    SkinAlreadyOwned,
    SkinNotOwned,
    SkinNotPurchasable,
    StripeSubscriptionActive,
    SubscriptionActive,
    TaskAlreadyAssigned,
    TaskAlreadyCompleted,
    TaskNotCompleted,
    TaskNotOwned,
    TokenExpired,
    TokenGenerationFailed,
    TokenInvalid,
    TokenMissing,
    TooManyOrders,
    UsernameTaken,
    UtilitySlotFull,
    WrongPassword,
)
from guildmaster.api.errorkinds import (
    AccountError,
    ActionOutcomeUnknown,
    ActionRefused,
    ArtifactsError,
    AuthError,
    GameError,
    MalformedResponse,
    RequestError,
    ServerUnavailable,
    TransientError,
    TransportFailure,
    UnknownGameError,
)

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
