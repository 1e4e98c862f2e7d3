"""Media an editor drops in the team's group: kept as their draft, continued in private.

The group sees one short reply with a deep link; the composer (the
editor's account choices, the preview) opens only in the private chat.
An album gets one reply too: its items are collected like a private album
(bot/publishing/albums.py, once across processes) into one draft, and the
reply comes when the album is complete. Media from anyone else in the group
is chatter and gets no answer.
"""

from __future__ import annotations

from typing import Any, cast

from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop, ContextTypes, JobQueue

from bot.publishing.choices import MediaKind
from bot.publishing.drafts import media_refs
from bot.teams.roles import Role, at_least
from bot.texts import composer as tc
from handlers.boundary import job_in_unit_of_work
from handlers.context import services
from handlers.intake import classify
from handlers.media_checks import photo_problem
from handlers.team_links import continue_private


async def group_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A video or photo in a group: a team editor's becomes a draft; the rest is ignored."""
    await _keep_for_private(update, context)
    raise ApplicationHandlerStop  # group media never reaches the private intake


async def _keep_for_private(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc = services(context)
    assert svc.teams is not None
    team = await svc.teams.team_of_chat(message.chat_id)
    if team is None or team.status != "active":
        return
    if not at_least(await svc.teams.role_of(team.id, user.id), Role.EDITOR):
        return
    incoming = await classify(message, context)
    if incoming.problem or incoming.kind is None or incoming.ref is None:
        return
    group = message.media_group_id
    if group is not None and await svc.albums.add(
        telegram_user_id=user.id,
        chat_id=message.chat_id,  # replies go to the group; the draft opens in private
        media_group_id=group,
        message_id=message.message_id,
        kind=incoming.kind,
        ref=incoming.ref,
        caption=message.caption,
    ):
        assert context.job_queue is not None, "the job-queue extra is a dependency"
        _arm(context.job_queue, user.id, group, message, svc.albums.settle_seconds)
        return
    if group is not None:
        return  # a straggler of an album already answered: no second reply
    result = await svc.drafts.add_media(
        telegram_user_id=user.id,
        chat_id=user.id,  # the composer lives in the private chat
        kind=incoming.kind,
        ref=incoming.ref,
        caption=message.caption,
        media_group_id=None,
    )
    await continue_private(context.bot, message.chat_id, message.message_id, result.draft.id)


def _arm(queue: JobQueue[Any], uid: int, group: str, message: Message, seconds: float) -> None:
    # The private intake's name: its check for albums without a timer leaves this one alone.
    name = f"album-{uid}-{group}"
    for job in queue.get_jobs_by_name(name):
        job.schedule_removal()
    data = (uid, group, message.chat_id, message.message_id)
    queue.run_once(job_in_unit_of_work(_album_quiet), seconds, data=data, name=name)


async def _album_quiet(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The group album stopped arriving: one draft, one reply in the group (or one refusal)."""
    job = context.job
    assert job is not None and context.job_queue is not None
    uid, group, chat_id, reply_to = cast(tuple[int, str, int, int], job.data)
    svc = services(context)
    settled = await svc.albums.settle(uid, group)
    if settled.wait is not None:
        queue, seconds = context.job_queue, settled.wait
        name = f"album-{uid}-{group}"
        queue.run_once(job_in_unit_of_work(_album_quiet), seconds, data=job.data, name=name)
        return
    bot = context.bot
    if settled.refused == "mixed":
        await bot.send_message(
            chat_id, tc.MIXED_ALBUM, parse_mode="HTML", reply_to_message_id=reply_to
        )
        return
    if settled.refused == "several_videos":
        await bot.send_message(chat_id, tc.SEVERAL_VIDEOS, reply_to_message_id=reply_to)
        return
    draft = settled.draft
    if draft is None:
        return  # another process finished it (and answered)
    if draft.kind == MediaKind.PHOTO:
        photos = [(ref.file_id, ref.file_name) for ref in media_refs(draft)]
        problem = await photo_problem(bot, svc, photos)
        if problem:
            await svc.drafts.discard(draft.id)
            await bot.send_message(
                chat_id, problem, parse_mode="HTML", reply_to_message_id=reply_to
            )
            return
    await continue_private(bot, chat_id, reply_to, draft.id)
