"""Achievement progress (MECHANICS §20.1): per-account counters fed by the action services.

Progress lives in ``Account.achievements`` as ``{achievement_code: {objective_index: progress}}``
(the index is the objective's position in the catalogue entry, as a string). When every objective
of an achievement reaches its total the achievement is completed (``completed_achievements``
records the ISO time) and its rewards are queued as a pending item with source ``achievement``.
"""

from __future__ import annotations

import logging

from guildmaster.server.actions.common import add_pending_item
from guildmaster.server.game import GameServer

__all__ = [
    "objective_progress",
    "record_achievement",
]

logger = logging.getLogger(__name__)


def objective_progress(game: GameServer, account: str, code: str, index: int) -> int:
    """Progress of one objective of an achievement for an account (0 if untouched)."""
    owner = game.state.accounts.get(account)
    if owner is None:
        return 0
    return owner.achievements.get(code, {}).get(str(index), 0)


def record_achievement(
    game: GameServer,
    account: str,
    kind: str,
    target: str | None = None,
    amount: int = 1,
    *,
    absolute: bool = False,
) -> list[str]:
    """Count ``amount`` towards every objective of type ``kind`` (matching ``target``).

    ``absolute`` objectives (``combat_level``) take the maximum instead of adding. Returns the
    codes of achievements completed by this call.
    """
    owner = game.state.accounts.get(account)
    if owner is None or amount <= 0:
        return []
    completed: list[str] = []
    for code, achievement in game.world.achievements.items():
        if code in owner.completed_achievements:
            continue
        objectives = achievement.get("objectives") or []
        touched = False
        for index, objective in enumerate(objectives):
            if objective.get("type") != kind:
                continue
            wanted = objective.get("target")
            if wanted is not None and wanted != target:
                continue
            total = int(objective.get("total", 1))
            progress = owner.achievements.setdefault(code, {})
            old = progress.get(str(index), 0)
            new = max(old, amount) if absolute else old + amount
            progress[str(index)] = min(total, new)
            touched = True
        if touched and _is_done(owner.achievements.get(code, {}), objectives):
            owner.completed_achievements[code] = game.now_iso()
            rewards = achievement.get("rewards") or {}
            items = [(str(i["code"]), int(i["quantity"])) for i in rewards.get("items") or []]
            gold = int(rewards.get("gold") or 0)
            if gold or items:
                add_pending_item(
                    game,
                    account,
                    source="achievement",
                    source_id=code,
                    description=f"Achievement reward: {achievement.get('name', code)}",
                    gold=gold,
                    items=items,
                )
            logger.info("account %s completed achievement %s", account, code)
            completed.append(code)
    return completed


def _is_done(progress: dict[str, int], objectives: list[dict[str, object]]) -> bool:
    for index, objective in enumerate(objectives):
        total = objective.get("total", 1)
        if progress.get(str(index), 0) < (total if isinstance(total, int) else 1):
            return False
    return True
