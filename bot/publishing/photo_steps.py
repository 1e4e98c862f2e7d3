"""The photo steps of a run: fetch, convert, serve, and let TikTok pull them."""

from __future__ import annotations

import logging
import secrets

from bot.media.photo_errors import PhotoUnusable
from bot.media.pool import in_photo_pool
from bot.publishing.events import (
    PreparingPhotos,
)
from bot.publishing.jobs import JobState
from bot.publishing.outcomes import JobEnds
from bot.publishing.post_info import (
    photo_post_info,
    photo_post_mode,
    photo_source_info,
)
from bot.publishing.run_state import RunState
from bot.publishing.sources import (
    download_to,
    remove_spool,
)

log = logging.getLogger(__name__)


class PhotoSteps(RunState):
    """Getting a carousel's photos to TikTok (PULL_FROM_URL)."""

    # -- photos ----------------------------------------------------------------

    async def _photos(self) -> None:
        choices = self._request.choices
        post_info = photo_post_info(choices)  # fail before touching anything
        # A new token for every attempt: if an earlier init reached TikTok
        # without us hearing back, its URLs are dead and it cannot post.
        await self._remove_media()
        token = secrets.token_urlsafe(24)
        await self._save(state=JobState.DOWNLOADING.value, media_token=token)
        media = self._request.media
        for number, ref in enumerate(media):
            self._events.emit(PreparingPhotos(self.job, self._label, done=number, total=len(media)))
            location = await self._ctx.files.locate(ref.file_id)
            download = self._ctx.spool_dir / f"{self.job.id}-photo-{number}.part"
            prepared = self._ctx.spool_dir / f"{self.job.id}-photo-{number}.jpg"
            try:
                await download_to(
                    self._ctx.http, location, download, buffer_size=self._ctx.tuning.buffer_size
                )
                from bot.media.photos import prepare_photo  # Pillow loads with the first photo

                await in_photo_pool(prepare_photo, download, prepared)
                await self._ctx.media.put(token, f"{number}.jpg", prepared)
            except PhotoUnusable:
                raise JobEnds.failed(f"photo_unusable:{number + 1}") from None
            finally:
                remove_spool(download)
                prepared.unlink(missing_ok=True)  # stored (moved or copied) by now
        self._events.emit(PreparingPhotos(self.job, self._label, done=len(media), total=len(media)))
        base = self._ctx.public_base_url.rstrip("/")
        urls = [f"{base}/media/{token}/{n}.jpg" for n in range(len(media))]
        await self._ctx.pacer.wait_init(self.job.account_id)
        ticket = await self._tiktok(
            lambda access: self._ctx.api.init_photos(
                access,
                post_mode=photo_post_mode(choices),
                post_info=post_info,
                source_info=photo_source_info(urls, choices.cover_index),
            )
        )
        await self._save(
            publish_id=ticket.publish_id,
            state=JobState.PROCESSING.value,
            processing_since=self._ctx.clock(),
            inits=self.job.inits + 1,
            attempts=0,
        )
