"""Group /stats: the public counters of each account shared with a team.

Reuses the /stats service (bot/insights), which calls TikTok with the
owner's stored token; only counters and names come back, never tokens. An
account TikTok cannot answer for gets its own "unavailable" line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.errors import AccountNeedsRelink
from bot.insights import InsightsService
from bot.insights.service import Numbers
from bot.teams.service import TeamService
from bot.tiktok import TikTokError
from storage.repositories import LinkedAccount

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AccountLine:
    """One shared account's line: its counters, or why there are none."""

    display_name: str
    label: str
    numbers: Numbers | None
    problem: str | None = None  # "unavailable" (TikTok did not answer) | "relink"


class TeamStats:
    """The counters of a team's shared accounts, one account at a time."""

    def __init__(self, teams: TeamService, insights: InsightsService) -> None:
        self._teams = teams
        self._insights = insights

    async def lines(self, team_id: int) -> list[AccountLine]:
        """A line per shared account; one failing account never hides the others."""
        return [await self._line(a) for a in await self._teams.shared_accounts(team_id)]

    async def _line(self, account: LinkedAccount) -> AccountLine:
        try:
            numbers = await self._insights.numbers(account)
        except AccountNeedsRelink:
            return AccountLine(account.display_name, account.label, None, "relink")
        except TikTokError as exc:
            log.info("team stats: account %s unavailable (%s)", account.id, type(exc).__name__)
            return AccountLine(account.display_name, account.label, None, "unavailable")
        return AccountLine(account.display_name, account.label, numbers)
