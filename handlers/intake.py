"""Media intake: videos, photos, files and albums become drafts.

Albums arrive as separate messages sharing `media_group_id`, with no count
and no "last" marker, possibly on different processes: each item is stored
by AlbumService (bot/publishing/albums.py) and arms a timer here; the draft
opens once the album has been quiet for its settle time, finished by whichever
process's check wins.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

import httpx
from telegram import Message, Update
from telegram.ext import Application, ContextTypes, JobQueue

from bot.media.reader import read_head
from bot.media.sniff import Container, sniff
from bot.publishing.drafts import media_refs
from bot.publishing.requests import MediaKind, MediaRef
from bot.publishing.sources import FileTooBig, FileUnavailable
from bot.services import Services
from bot.texts import composer as t
from handlers.boundary import job_in_unit_of_work
from handlers.composer import show_composer
from handlers.context import SERVICES_KEY, services, user_id
from handlers.files import telegram_file
from handlers.intake_burst import note_added
from handlers.media_checks import checked_video, photo_problem
from handlers.team_links import continue_private

log = logging.getLogger(__name__)

ALBUM_SETTLE_SECONDS = 1.5
ALBUM_CHECK_SECONDS = 10.0  # how soon an album left by a stopped process is finished here
CLOUD_DOWNLOAD_LIMIT = 20 * 1024 * 1024  # the cloud Bot API's getFile limit
LOCAL_DOWNLOAD_LIMIT = 2000 * 1024 * 1024  # a local Bot API server's limit
TIKTOK_VIDEO_LIMIT = 4 * 1024**3


@dataclass(frozen=True, slots=True)
class Incoming:
    """A classified media message: what to post, or what to tell the user."""

    kind: MediaKind | None
    ref: MediaRef | None
    problem: str | None = None


def _download_limit(svc: Services) -> int:
    return LOCAL_DOWNLOAD_LIMIT if svc.settings.telegram_local_mode else CLOUD_DOWNLOAD_LIMIT


def _too_big(svc: Services, size: int | None) -> str | None:
    if size is None:
        return None
    if size > TIKTOK_VIDEO_LIMIT:
        return t.FILE_TOO_BIG.format(
            size=t.human_size(size), limit=t.human_size(TIKTOK_VIDEO_LIMIT)
        )
    if size > _download_limit(svc):
        if not svc.settings.telegram_local_mode:
            return t.FILE_TOO_BIG_CLOUD.format(size=t.human_size(size))
        return t.FILE_TOO_BIG.format(
            size=t.human_size(size), limit=t.human_size(LOCAL_DOWNLOAD_LIMIT)
        )
    return None


def _seconds(value: object) -> int | None:
    # PTB 22 is moving durations from int to timedelta; accept both.
    if value is None:
        return None
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    assert isinstance(value, int)
    return value


async def classify(message: Message, context: ContextTypes.DEFAULT_TYPE) -> Incoming:
    """Decide what a media message is, by content where Telegram cannot tell."""
    svc = services(context)
    if message.animation is not None:
        return Incoming(None, None, t.GIF_NOT_SUPPORTED)
    if message.video is not None or message.video_note is not None:
        video = message.video
        note = message.video_note
        file = video or note
        assert file is not None
        ref = MediaRef(
            file_id=file.file_id,
            file_unique_id=file.file_unique_id,
            file_size=file.file_size,
            mime_type=video.mime_type if video else "video/mp4",
            file_name=video.file_name if video else None,
            width=video.width if video else (note.length if note else None),
            height=video.height if video else (note.length if note else None),
            duration=_seconds(file.duration),
        )
        problem = _too_big(svc, file.file_size)
        if problem:
            return Incoming(MediaKind.VIDEO, ref, problem)
        probed, problem = await checked_video(context.bot, svc, ref)
        return Incoming(MediaKind.VIDEO if probed else None, probed, problem)
    if message.photo:
        best = max(message.photo, key=lambda p: p.width * p.height)
        ref = MediaRef(
            file_id=best.file_id,
            file_unique_id=best.file_unique_id,
            file_size=best.file_size,
            mime_type="image/jpeg",
            width=best.width,
            height=best.height,
        )
        return Incoming(MediaKind.PHOTO, ref, _too_big(svc, best.file_size))
    document = message.document
    if document is None:
        return Incoming(None, None, t.UNSUPPORTED_FILE)
    problem = _too_big(svc, document.file_size)
    if problem:
        return Incoming(None, None, problem)
    try:
        source = await telegram_file(context.bot, svc, document.file_id, document.file_size or 0)
        container = sniff(await read_head(source))
    except FileTooBig:
        return Incoming(None, None, t.FILE_TOO_BIG_CLOUD.format(size="over 20 MB"))
    except (FileUnavailable, httpx.HTTPError, OSError):
        return Incoming(None, None, t.FILE_UNREADABLE)
    base = {
        "file_id": document.file_id,
        "file_unique_id": document.file_unique_id,
        "file_size": document.file_size,
        "file_name": document.file_name,
        "mime_type": container.value,
        "as_document": True,
    }
    if container.is_video:
        ref = MediaRef(**base)  # type: ignore[arg-type]
        probed, problem = await checked_video(context.bot, svc, ref, source)
        return Incoming(MediaKind.VIDEO if probed else None, probed, problem)
    if container.is_photo:
        return Incoming(MediaKind.PHOTO, MediaRef(**base))  # type: ignore[arg-type]
    if container is Container.GIF:
        return Incoming(None, None, t.GIF_NOT_SUPPORTED)
    return Incoming(None, None, t.UNSUPPORTED_FILE)


async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """File a video, photo or document into a draft and open the composer."""
    message = update.effective_message
    if message is None:
        return
    incoming = await classify(message, context)
    if incoming.problem or incoming.kind is None or incoming.ref is None:
        await message.reply_html(incoming.problem or t.UNSUPPORTED_FILE)
        return
    svc = services(context)
    uid = user_id(update)
    group = message.media_group_id
    if group is not None and await svc.albums.add(
        telegram_user_id=uid,
        chat_id=message.chat_id,
        media_group_id=group,
        message_id=message.message_id,
        kind=incoming.kind,
        ref=incoming.ref,
        caption=message.caption,
    ):
        _arm_album_timer(context, uid, group, svc.albums.settle_seconds)
        return
    if incoming.kind is MediaKind.PHOTO and message.media_group_id is None:
        problem = await photo_problem(
            context.bot, svc, [(incoming.ref.file_id, incoming.ref.file_name)]
        )
        if problem:
            await message.reply_html(problem)
            return
    # A single item, or a straggler of an album already finished: the usual intake.
    result = await svc.drafts.add_media(
        telegram_user_id=uid,
        chat_id=message.chat_id,
        kind=incoming.kind,
        ref=incoming.ref,
        caption=message.caption,
        media_group_id=None,
    )
    if result.added or result.truncated:
        # Photos joining an open post: one note and one composer per burst.
        note_added(
            context,
            draft_id=result.draft.id,
            chat_id=message.chat_id,
            telegram_user_id=uid,
            added=result.added,
            truncated=result.truncated,
        )
        return
    await show_composer(context.bot, svc, uid, result.draft.id)


def _arm_album_timer(
    context: ContextTypes.DEFAULT_TYPE, uid: int, group: str, seconds: float
) -> None:
    queue = context.job_queue
    assert queue is not None, "the job-queue extra is a dependency"
    _arm_album(queue, uid, group, seconds)


def _arm_album(queue: JobQueue[Any], uid: int, group: str, seconds: float) -> None:
    name = f"album-{uid}-{group}"
    for job in queue.get_jobs_by_name(name):
        job.schedule_removal()
    queue.run_once(job_in_unit_of_work(_album_quiet), seconds, data=(uid, group), name=name)


async def _album_quiet(context: ContextTypes.DEFAULT_TYPE) -> None:
    """An album may have stopped arriving: finish it here unless it grew or another process did."""
    job = context.job
    assert job is not None and context.job_queue is not None
    uid, group = cast(tuple[int, str], job.data)
    svc = services(context)
    settled = await svc.albums.settle(uid, group)
    if settled.wait is not None:
        _arm_album(context.job_queue, uid, group, settled.wait)
        return
    if settled.chat_id is None:
        return  # another process finished it
    if settled.refused == "mixed":
        await context.bot.send_message(settled.chat_id, t.MIXED_ALBUM, parse_mode="HTML")
    elif settled.refused == "several_videos":
        await context.bot.send_message(settled.chat_id, t.SEVERAL_VIDEOS)
    elif settled.draft is not None:
        draft = settled.draft
        if draft.kind == MediaKind.PHOTO:
            photos = [(ref.file_id, ref.file_name) for ref in media_refs(draft)]
            problem = await photo_problem(context.bot, svc, photos)
            if problem:
                await svc.drafts.discard(draft.id)
                await context.bot.send_message(settled.chat_id, problem, parse_mode="HTML")
                return
        if settled.chat_id != uid:  # a team group's album, left over by a restart
            await continue_private(context.bot, settled.chat_id, None, draft.id)
            return
        if settled.truncated:
            await context.bot.send_message(settled.chat_id, t.TOO_MANY_PHOTOS)
        await show_composer(context.bot, svc, uid, draft.id)


async def _check_albums(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Albums whose timer died with another process: check them here."""
    assert context.job_queue is not None
    svc = services(context)
    for uid, group in await svc.albums.collecting():
        if not context.job_queue.get_jobs_by_name(f"album-{uid}-{group}"):
            _arm_album(context.job_queue, uid, group, 0)


async def resume_albums(application: Application[Any, Any, Any, Any, Any, Any]) -> int:
    """After a restart, open the albums whose debounce timer was lost with the process."""
    queue = application.job_queue
    assert queue is not None
    svc = application.bot_data[SERVICES_KEY]
    assert isinstance(svc, Services)
    stale = await svc.drafts.collecting()  # albums collected by an older release
    for draft in stale:
        _arm(queue, draft.id, draft.telegram_user_id)
    pending = await svc.albums.collecting()
    for uid, group in pending:
        _arm_album(queue, uid, group, 0)
    queue.run_repeating(
        job_in_unit_of_work(_check_albums), ALBUM_CHECK_SECONDS, first=ALBUM_CHECK_SECONDS
    )
    return len(stale) + len(pending)


def _arm(queue: JobQueue[Any], draft_id: int, uid: int) -> None:
    name = f"album-{draft_id}"
    for job in queue.get_jobs_by_name(name):
        job.schedule_removal()
    queue.run_once(
        job_in_unit_of_work(_album_settled), ALBUM_SETTLE_SECONDS, data=(draft_id, uid), name=name
    )


async def _album_settled(context: ContextTypes.DEFAULT_TYPE) -> None:
    """An album collected by an older release stopped arriving: open its draft."""
    job = context.job
    assert job is not None
    draft_id, uid = cast(tuple[int, int], job.data)
    svc = services(context)
    draft = await svc.drafts.finish_album(draft_id)
    if draft is None:
        return
    if draft.kind == MediaKind.MIXED:
        await svc.drafts.discard(draft.id)
        await context.bot.send_message(draft.chat_id, t.MIXED_ALBUM, parse_mode="HTML")
        return
    if draft.kind == MediaKind.VIDEO and len(draft.media) > 1:
        await svc.drafts.discard(draft.id)
        await context.bot.send_message(draft.chat_id, t.SEVERAL_VIDEOS)
        return
    if draft.kind == MediaKind.PHOTO:
        photos = [(ref.file_id, ref.file_name) for ref in media_refs(draft)]
        problem = await photo_problem(context.bot, svc, photos)
        if problem:
            await svc.drafts.discard(draft.id)
            await context.bot.send_message(draft.chat_id, problem, parse_mode="HTML")
            return
    await show_composer(context.bot, svc, uid, draft.id)
