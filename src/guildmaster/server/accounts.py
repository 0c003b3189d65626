"""Account and character management: sign-up, tokens, character creation and deletion.

The service mutates :class:`~guildmaster.server.state.ServerState` and persists through the
game's store; every check happens before anything changes.
"""

from __future__ import annotations

import logging

from guildmaster.server.auth import TokenRegistry, hash_password, verify_password
from guildmaster.server.errors import (
    CharacterNameTaken,
    EmailTaken,
    MaxCharactersReached,
    SkinNotOwned,
    TokenGenerationFailed,
    UsernameTaken,
)
from guildmaster.server.game import GameServer
from guildmaster.server.settings import ServerSettings
from guildmaster.server.state import Account, BankState, Character

__all__ = ["SPAWN", "AccountService"]

logger = logging.getLogger(__name__)

#: Where new characters appear (and dead ones respawn): overworld (0, 0).
SPAWN = ("overworld", 0, 0)


class AccountService:
    """Accounts, tokens and characters of one game."""

    def __init__(self, game: GameServer, tokens: TokenRegistry, settings: ServerSettings) -> None:
        self.game = game
        self.tokens = tokens
        self.settings = settings

    # -- accounts ----------------------------------------------------------------------------
    def create_account(self, username: str, password: str, email: str) -> Account:
        """Register an account with an empty bank.

        Raises:
            UsernameTaken: The username is taken.
            EmailTaken: The email is already used.
        """
        state = self.game.state
        if username.lower() in {name.lower() for name in state.accounts}:
            raise UsernameTaken("This username is already taken.")
        if email.lower() in {account.email.lower() for account in state.accounts.values()}:
            raise EmailTaken("This email is already used.")
        account = Account(
            username=username,
            password_hash=hash_password(password),
            email=email,
            created_at=self.game.now_iso(),
        )
        state.accounts[username] = account
        bank = self.game.world.starting_bank
        state.banks[username] = BankState(
            slots=int(bank["slots"]),
            expansions=int(bank["expansions"]),
            next_expansion_cost=int(bank["next_expansion_cost"]),
            gold=int(bank["gold"]),
        )
        self._save(username)
        logger.info("account %s created", username)
        return account

    def issue_token(self, username: str, password: str) -> str:
        """A new token for valid credentials.

        Raises:
            TokenGenerationFailed: The username or password is wrong.
        """
        account = self.game.state.accounts.get(username)
        if account is None or not verify_password(password, account.password_hash):
            raise TokenGenerationFailed("Token generation failed: invalid username or password.")
        token, _ = self.tokens.issue(username)
        self._save(username)
        return token

    def account_of(self, token: str) -> str | None:
        """The account a token belongs to (None if unknown or the account is gone)."""
        account = self.tokens.account_of(token)
        if account is None or account not in self.game.state.accounts:
            return None
        return account

    # -- characters --------------------------------------------------------------------------
    def starter_items(self) -> list[str]:
        """Codes a new character receives: the world's list, else the settings default."""
        world = self.game.world
        if "starter_items" in world.meta:
            return world.starter_items
        return [code for code in self.settings.default_starter_items if code in world.items]

    def create_character(self, account: str, name: str, skin: str) -> Character:
        """Create a character at the spawn tile with full HP and the starter items.

        Raises:
            CharacterNameTaken: Name taken.
            MaxCharactersReached: Too many characters.
            SkinNotOwned: Unknown skin.
        """
        state = self.game.state
        if name.lower() in {existing.lower() for existing in state.characters}:
            raise CharacterNameTaken("This name is already in use.")
        if len(state.characters_of(account)) >= self.settings.max_characters:
            raise MaxCharactersReached("You have reached the maximum number of characters.")
        if skin not in self.settings.skins:
            raise SkinNotOwned("You cannot choose this skin.")
        layer, x, y = SPAWN
        tile = self.game.world.maps.get(layer, x, y)
        char = Character(
            name=name,
            account=account,
            skin=skin,
            x=x,
            y=y,
            layer=layer,
            map_id=int(tile["map_id"]) if tile else 0,
            created_at=self.game.now_iso(),
        )
        for code in self.starter_items():
            item = self.game.world.items[code]
            if item.get("type") == "weapon" and not char.equipment["weapon"]:
                char.equipment["weapon"] = code
            else:
                char.add_item(code, 1)
        char.refresh_stats(self.game.world, self.game.rules)
        char.hp = char.max_hp
        state.characters[name] = char
        self._save(account)
        logger.info("character %s created for %s", name, account)
        return char

    def delete_character(self, account: str, name: str) -> Character:
        """Delete one of the account's characters.

        Raises:
            CharacterNotFound: The character does not exist or belongs to another account.
        """
        char = self.game.owned_character(account, name)
        del self.game.state.characters[name]
        self._save(account)
        logger.info("character %s deleted", name)
        return char

    def _save(self, account: str) -> None:
        if self.game.store is not None:
            self.game.store.save(self.game, accounts={account})
