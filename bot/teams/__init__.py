"""Teams: a group chat shares TikTok accounts; editors submit, the account owner approves."""

from bot.teams.roles import Role
from bot.teams.service import (
    ApprovalCard,
    Closed,
    Submission,
    TeamRefused,
    TeamService,
)

__all__ = ["ApprovalCard", "Closed", "Role", "Submission", "TeamRefused", "TeamService"]
