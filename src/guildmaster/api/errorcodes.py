"""One error class per game error code, under the branches of :mod:`guildmaster.api.errorkinds`.

Each class's ``default_code`` is its code; :data:`guildmaster.api.errors.ERROR_CLASSES` is the
table built from them. Import every error class from :mod:`guildmaster.api.errors`.
"""

from __future__ import annotations

from typing import Any

from guildmaster.api.errorkinds import (
    AccountError,
    ActionRefused,
    AuthError,
    RequestError,
    TransientError,
)

__all__ = [
    "ActionInProgress",
    "AlreadyAtDestination",
    "AlreadyEquipped",
    "AssistantLimitReached",
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
    "SameEmail",
    "SamePassword",
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
    "UsernameTaken",
    "UtilitySlotFull",
    "WrongPassword",
]


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
