"""``AsyncArtifactsClient``: every endpoint the player uses, typed, on one ``httpx.AsyncClient``.

>>> import httpx
>>> from guildmaster.clock import VirtualClock
>>> client = AsyncArtifactsClient(
...     "http://test", "token", transport=httpx.MockTransport(lambda r: httpx.Response(500)),
...     clock=VirtualClock())
>>> client.limiter.limits("action")[0]
Window(limit=10, seconds=1.0)

Actions are in :class:`~guildmaster.api.actions.ActionEndpoints`; this module adds the data
and account reads, the catalogue fetch used by the knowledge layer, and account management.
Catalogue list methods fetch every page (size 100, a few pages concurrently through the
limiter); ``*_page`` methods return one :class:`~guildmaster.api.models.Page`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import httpx

from guildmaster.api.actions import ActionEndpoints
from guildmaster.api.core import _segment
from guildmaster.api.errors import MalformedResponse
from guildmaster.api.models import (
    AccountAchievementSchema,
    AccountDetails,
    AccountLeaderboardSchema,
    AchievementSchema,
    ActiveEventSchema,
    BankSchema,
    CharacterLeaderboardSchema,
    CharacterSchema,
    CharacterStatsSchema,
    CombatSimulationDataSchema,
    DropRateSchema,
    EffectSchema,
    EventSchema,
    FakeCharacterSchema,
    GEOrderHistorySchema,
    GEOrderSchema,
    ItemSchema,
    LogSchema,
    MapSchema,
    MonsterSchema,
    MyAccountDetails,
    NPCItemSchema,
    NPCSchema,
    Page,
    PendingItemSchema,
    RateLimitsDataSchema,
    ResourceSchema,
    ResponseSchema,
    SimpleItemSchema,
    StatusSchema,
    TaskFullSchema,
    TokenResponseSchema,
)

__all__ = ["CATALOGUES", "AsyncArtifactsClient"]

#: Catalogue names accepted by :meth:`AsyncArtifactsClient.fetch_catalogue` (= their paths).
CATALOGUES: Final[tuple[str, ...]] = (
    "items",
    "monsters",
    "resources",
    "maps",
    "npcs/details",
    "npcs/items",
    "tasks/list",
    "tasks/rewards",
    "events",
    "events/active",
    "effects",
    "achievements",
)


class AsyncArtifactsClient(ActionEndpoints):
    """Async client of the ArtifactsMMO v8 API (real server or our local one).

    ``AsyncArtifactsClient(base_url, token, *, transport=None, clock=None, limiter=None,
    timeout=30.0, max_attempts=5, backoff_base=0.5, backoff_cap=30.0, max_rate_limited=50,
    busy_pause=1.0, page_concurrency=4, seed=0)``. Share one ``limiter`` between every client
    of an account. Use as ``async with`` or call :meth:`aclose`.

    Raises (every method): the :mod:`guildmaster.api.errors` classes.
    """

    # --- server and account --------------------------------------------------------------

    async def status(self) -> StatusSchema:
        """``GET /``: server version, time, max levels, season and rate limits."""
        return await self.get_data(StatusSchema, "/")

    async def create_account(self, username: str, password: str, email: str) -> ResponseSchema:
        """Create an account (no token needed)."""
        body = {"username": username, "password": password, "email": email}
        raw = await self.request("POST", "/accounts/create", json=body)
        return self._validate(
            ResponseSchema, raw.get("data", raw) if isinstance(raw, dict) else raw
        )

    async def generate_token(self, username: str, password: str, *, use: bool = True) -> str:
        """Exchange credentials for a token (HTTP Basic); by default start using it.

        Raises:
            TokenGenerationFailed: for wrong credentials (455).
        """
        raw = await self.request("POST", "/token", auth=httpx.BasicAuth(username, password))
        token = self._validate(TokenResponseSchema, raw).token
        if use:
            self.set_token(token)
        return token

    async def create_character(self, name: str, skin: str) -> CharacterSchema:
        """Create a character on the account."""
        body = {"name": name, "skin": skin}
        character = await self.post_data(CharacterSchema, "/characters/create", json=body)
        self.cooldowns.record_character(character)
        return character

    async def delete_character(self, name: str) -> CharacterSchema:
        """Delete a character of the account."""
        return await self.post_data(CharacterSchema, "/characters/delete", json={"name": name})

    async def get_character(self, name: str) -> CharacterSchema:
        """``GET /characters/{name}`` (also seeds the cooldown tracker)."""
        character = await self.get_data(CharacterSchema, f"/characters/{_segment(name)}")
        self.cooldowns.record_character(character)
        return character

    async def character_stats(self, name: str) -> CharacterStatsSchema:
        """``GET /characters/{name}/stats``."""
        return await self.get_data(CharacterStatsSchema, f"/characters/{_segment(name)}/stats")

    async def my_characters(self) -> list[CharacterSchema]:
        """``GET /my/characters`` (also seeds the cooldown tracker).

        Raises:
            MalformedResponse: if ``data`` is not a list.
        """
        raw = self._data(await self.request("GET", "/my/characters"))
        if not isinstance(raw, list):
            raise MalformedResponse("/my/characters: data is not a list")
        characters = [self._validate(CharacterSchema, item) for item in raw]
        for character in characters:
            self.cooldowns.record_character(character)
        return characters

    async def my_details(self) -> MyAccountDetails:
        """``GET /my/details``."""
        return await self.get_data(MyAccountDetails, "/my/details")

    async def my_rates(self) -> RateLimitsDataSchema:
        """``GET /my/rates``: the live limits of every scope."""
        return await self.get_data(RateLimitsDataSchema, "/my/rates")

    async def configure_rate_limits(self) -> RateLimitsDataSchema:
        """Read ``/my/rates`` and configure the shared limiter from it."""
        rates = await self.my_rates()
        self.limiter.configure_from_rates(rates)
        return rates

    async def account(self, account: str) -> AccountDetails:
        """``GET /accounts/{account}``."""
        return await self.get_data(AccountDetails, f"/accounts/{_segment(account)}")

    async def account_achievements(
        self, account: str, *, type: str | None = None, completed: bool | None = None
    ) -> list[AccountAchievementSchema]:
        """Every achievement of ``account`` with its progress."""
        params = {"type": type, "completed": completed}
        path = f"/accounts/{_segment(account)}/achievements"
        return await self.get_all(AccountAchievementSchema, path, params=params)

    # --- bank, logs, GE, pending items of my account --------------------------------------

    async def my_bank(self) -> BankSchema:
        """``GET /my/bank``: slots, expansions, next expansion cost and gold."""
        return await self.get_data(BankSchema, "/my/bank")

    async def my_bank_items(self, *, item_code: str | None = None) -> list[SimpleItemSchema]:
        """Every item stack in the bank (all pages)."""
        params = {"item_code": item_code}
        return await self.get_all(SimpleItemSchema, "/my/bank/items", params=params)

    async def my_logs(
        self, name: str | None = None, *, page: int = 1, size: int = 100
    ) -> Page[LogSchema]:
        """One page of the account's (or one character's) action log, newest first."""
        path = "/my/logs" if name is None else f"/my/logs/{_segment(name)}"
        return await self.get_page(LogSchema, path, page=page, size=size)

    async def my_ge_orders(
        self, *, code: str | None = None, type: str | None = None
    ) -> list[GEOrderSchema]:
        """The account's active GE orders (all pages)."""
        params = {"code": code, "type": type}
        return await self.get_all(GEOrderSchema, "/my/grandexchange/orders", params=params)

    async def my_ge_history(
        self, *, order_id: str | None = None, code: str | None = None
    ) -> list[GEOrderHistorySchema]:
        """The account's GE transaction history (all pages)."""
        params = {"id": order_id, "code": code}
        return await self.get_all(GEOrderHistorySchema, "/my/grandexchange/history", params=params)

    async def my_pending_items(self) -> list[PendingItemSchema]:
        """Unclaimed pending items (all pages)."""
        return await self.get_all(PendingItemSchema, "/my/pending_items")

    # --- catalogue -----------------------------------------------------------------------

    async def fetch_catalogue(self, name: str) -> list[dict[str, Any]]:
        """Every page of a catalogue as raw dicts (for the knowledge layer's cache).

        Raises:
            ValueError: if ``name`` is not one of :data:`CATALOGUES`.
        """
        if name not in CATALOGUES:
            raise ValueError(f"unknown catalogue {name!r}; expected one of {sorted(CATALOGUES)}")
        return await self.get_all_raw(f"/{name}")

    async def items(
        self,
        *,
        name: str | None = None,
        min_level: int | None = None,
        max_level: int | None = None,
        type: str | None = None,
        craft_skill: str | None = None,
        craft_material: str | None = None,
    ) -> list[ItemSchema]:
        """Every item matching the filters (all pages)."""
        params = {
            "name": name,
            "min_level": min_level,
            "max_level": max_level,
            "type": type,
            "craft_skill": craft_skill,
            "craft_material": craft_material,
        }
        return await self.get_all(ItemSchema, "/items", params=params)

    async def item(self, code: str) -> ItemSchema:
        """One item by code."""
        return await self.get_data(ItemSchema, f"/items/{_segment(code)}")

    async def monsters(
        self,
        *,
        name: str | None = None,
        min_level: int | None = None,
        max_level: int | None = None,
        drop: str | None = None,
    ) -> list[MonsterSchema]:
        """Every monster matching the filters (all pages)."""
        params = {"name": name, "min_level": min_level, "max_level": max_level, "drop": drop}
        return await self.get_all(MonsterSchema, "/monsters", params=params)

    async def monster(self, code: str) -> MonsterSchema:
        """One monster by code."""
        return await self.get_data(MonsterSchema, f"/monsters/{_segment(code)}")

    async def resources(
        self,
        *,
        min_level: int | None = None,
        max_level: int | None = None,
        skill: str | None = None,
        drop: str | None = None,
    ) -> list[ResourceSchema]:
        """Every resource matching the filters (all pages)."""
        params = {"min_level": min_level, "max_level": max_level, "skill": skill, "drop": drop}
        return await self.get_all(ResourceSchema, "/resources", params=params)

    async def resource(self, code: str) -> ResourceSchema:
        """One resource by code."""
        return await self.get_data(ResourceSchema, f"/resources/{_segment(code)}")

    async def maps(
        self,
        *,
        layer: str | None = None,
        content_type: str | None = None,
        content_code: str | None = None,
        hide_blocked_maps: bool | None = None,
    ) -> list[MapSchema]:
        """Every map tile matching the filters (all pages); ``layer`` uses ``/maps/{layer}``."""
        params = {
            "content_type": content_type,
            "content_code": content_code,
            "hide_blocked_maps": hide_blocked_maps,
        }
        path = "/maps" if layer is None else f"/maps/{_segment(layer)}"
        return await self.get_all(MapSchema, path, params=params)

    async def map_at(self, layer: str, x: int, y: int) -> MapSchema:
        """The tile at ``(layer, x, y)``."""
        return await self.get_data(MapSchema, f"/maps/{_segment(layer)}/{x}/{y}")

    async def map_by_id(self, map_id: int) -> MapSchema:
        """The tile with ``map_id``."""
        return await self.get_data(MapSchema, f"/maps/id/{map_id}")

    async def npcs(self, *, type: str | None = None) -> list[NPCSchema]:
        """Every NPC (all pages)."""
        return await self.get_all(NPCSchema, "/npcs/details", params={"type": type})

    async def npc(self, code: str) -> NPCSchema:
        """One NPC by code."""
        return await self.get_data(NPCSchema, f"/npcs/details/{_segment(code)}")

    async def npc_items(
        self, npc: str | None = None, *, code: str | None = None, currency: str | None = None
    ) -> list[NPCItemSchema]:
        """Every NPC offer, or the offers of one ``npc`` (all pages)."""
        if npc is not None:
            return await self.get_all(NPCItemSchema, f"/npcs/items/{_segment(npc)}")
        params = {"code": code, "currency": currency}
        return await self.get_all(NPCItemSchema, "/npcs/items", params=params)

    async def tasks(
        self,
        *,
        min_level: int | None = None,
        max_level: int | None = None,
        skill: str | None = None,
        type: str | None = None,
    ) -> list[TaskFullSchema]:
        """Every task definition (all pages)."""
        params = {"min_level": min_level, "max_level": max_level, "skill": skill, "type": type}
        return await self.get_all(TaskFullSchema, "/tasks/list", params=params)

    async def task(self, code: str) -> TaskFullSchema:
        """One task definition by code."""
        return await self.get_data(TaskFullSchema, f"/tasks/list/{_segment(code)}")

    async def task_rewards(self) -> list[DropRateSchema]:
        """Every task-exchange reward with its rate (all pages)."""
        return await self.get_all(DropRateSchema, "/tasks/rewards")

    async def task_reward(self, code: str) -> DropRateSchema:
        """One task-exchange reward by code."""
        return await self.get_data(DropRateSchema, f"/tasks/rewards/{_segment(code)}")

    async def events(self, *, type: str | None = None) -> list[EventSchema]:
        """Every event definition (all pages)."""
        return await self.get_all(EventSchema, "/events", params={"type": type})

    async def active_events(self) -> list[ActiveEventSchema]:
        """The events active now (all pages)."""
        return await self.get_all(ActiveEventSchema, "/events/active")

    async def effects(self) -> list[EffectSchema]:
        """Every effect (all pages)."""
        return await self.get_all(EffectSchema, "/effects")

    async def effect(self, code: str) -> EffectSchema:
        """One effect by code."""
        return await self.get_data(EffectSchema, f"/effects/{_segment(code)}")

    async def achievements(self, *, type: str | None = None) -> list[AchievementSchema]:
        """Every achievement definition (all pages)."""
        return await self.get_all(AchievementSchema, "/achievements", params={"type": type})

    async def achievement(self, code: str) -> AchievementSchema:
        """One achievement by code."""
        return await self.get_data(AchievementSchema, f"/achievements/{_segment(code)}")

    # --- Grand Exchange (public) and leaderboards ----------------------------------------

    async def ge_orders(
        self,
        *,
        code: str | None = None,
        account: str | None = None,
        type: str | None = None,
        item_type: str | None = None,
    ) -> list[GEOrderSchema]:
        """Every open GE order matching the filters (all pages)."""
        params = {"code": code, "account": account, "type": type, "item_type": item_type}
        return await self.get_all(GEOrderSchema, "/grandexchange/orders", params=params)

    async def ge_order(self, order_id: str) -> GEOrderSchema:
        """One GE order by id."""
        return await self.get_data(GEOrderSchema, f"/grandexchange/orders/{_segment(order_id)}")

    async def ge_history(
        self, code: str, *, account: str | None = None
    ) -> list[GEOrderHistorySchema]:
        """The sale history of ``code`` (all pages)."""
        path = f"/grandexchange/history/{_segment(code)}"
        return await self.get_all(GEOrderHistorySchema, path, params={"account": account})

    async def leaderboard_characters(
        self, *, sort: str | None = None, name: str | None = None, page: int = 1, size: int = 100
    ) -> Page[CharacterLeaderboardSchema]:
        """One page of the characters leaderboard."""
        params = {"sort": sort, "name": name}
        path = "/leaderboard/characters"
        return await self.get_page(
            CharacterLeaderboardSchema, path, params=params, page=page, size=size
        )

    async def leaderboard_accounts(
        self, *, sort: str | None = None, name: str | None = None, page: int = 1, size: int = 100
    ) -> Page[AccountLeaderboardSchema]:
        """One page of the accounts leaderboard."""
        params = {"sort": sort, "name": name}
        path = "/leaderboard/accounts"
        return await self.get_page(
            AccountLeaderboardSchema, path, params=params, page=page, size=size
        )

    # --- simulation ----------------------------------------------------------------------

    async def simulate_fight(
        self,
        characters: Sequence[FakeCharacterSchema | Mapping[str, Any]],
        monster: str,
        *,
        iterations: int = 1,
    ) -> CombatSimulationDataSchema:
        """Simulate ``iterations`` fights of 1-3 fake characters against ``monster`` (members).

        Raises:
            ValueError: for 0 or more than 3 characters, or iterations outside 1..100.
        """
        if not 1 <= len(characters) <= 3:
            raise ValueError("between 1 and 3 fake characters")
        if not 1 <= iterations <= 100:
            raise ValueError("iterations must be in 1..100")
        fakes = [
            c.model_dump(exclude_none=True) if isinstance(c, FakeCharacterSchema) else dict(c)
            for c in characters
        ]
        body = {"characters": fakes, "monster": monster, "iterations": iterations}
        return await self.post_data(CombatSimulationDataSchema, "/simulation/fight", json=body)
