"""``CoordinatorSettings``: the tuning of the whole coordinator, one frozen object per desk.

Each desk's settings live beside the desk (:class:`~.access.BankSettings`,
:class:`~.partydesk.PartySettings`, :class:`~.disposaldesk.DisposalSettings`,
:class:`~.erranddesk.ErrandSettings`, :class:`~.stagedesk.PlanSettings`,
:class:`~.roles.RoleSettings`); this groups them for the :class:`~.coordinator.Coordinator`.
What pays on a bench (generated worlds and the real snapshot, 5 characters, 24 h) is on by
default: claims, bank-craft errands, plans and disposals; boss parties are switched on by the
harness.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from guildmaster.coordinator.access import BankSettings
from guildmaster.coordinator.disposaldesk import DisposalSettings
from guildmaster.coordinator.erranddesk import ErrandSettings
from guildmaster.coordinator.partydesk import PartySettings
from guildmaster.coordinator.roles import RoleSettings
from guildmaster.coordinator.stagedesk import PlanSettings

__all__ = ["CoordinatorSettings"]


@dataclass(frozen=True)
class CoordinatorSettings:
    """Tuning of a :class:`~.coordinator.Coordinator`.

    ``enabled``: whether it advises at first (a team store remembers the switch across
    restarts); the others tune one desk each.

    >>> settings = CoordinatorSettings(parties=PartySettings(enabled=True))
    >>> settings.parties.enabled, settings.plans.solo_margin, settings.roles.fighters
    (True, 1.0, 3)
    """

    enabled: bool = True
    bank: BankSettings = field(default_factory=BankSettings)
    parties: PartySettings = field(default_factory=PartySettings)
    disposals: DisposalSettings = field(default_factory=DisposalSettings)
    errands: ErrandSettings = field(default_factory=ErrandSettings)
    plans: PlanSettings = field(default_factory=PlanSettings)
    roles: RoleSettings = field(default_factory=RoleSettings)
