"""Photo carousels: converted to JPEG <= 1080 px, pulled by TikTok from our /media route."""

from __future__ import annotations

from pathlib import Path

import httpx

from bot.publishing.jobs import JobState
from bot.publishing.requests import PostMode
from emulators.tiktok.paths import CONTENT_INIT
from storage.repositories import PublishJobRecord
from tests.integration.support import linked, photo_request, publishing, wait_for_job
from tests.support.harness import Harness
from tests.support.media import image_bytes


def final(job: PublishJobRecord) -> bool:
    return JobState(job.state).final


async def test_photos_are_converted_and_pulled_from_our_media_route(harness: Harness) -> None:
    user = harness.user()
    account = await linked(harness, user)
    photos = [
        harness.tg.add_file(image_bytes("JPEG", 640, 480), file_name="a.jpg", kind="photo"),
        harness.tg.add_file(
            image_bytes("PNG", 800, 600, mode="RGBA"), file_name="b.png", kind="photo"
        ),
        # 4000 x 3000 shot with the phone turned: EXIF says "rotate 90°".
        harness.tg.add_file(
            image_bytes("JPEG", 4000, 3000, exif_orientation=6), file_name="c.jpg", kind="photo"
        ),
    ]
    service = publishing(harness)

    job = await wait_for_job(
        service,
        await service.submit(photo_request(user, account, photos, photo_cover_index=1)),
        final,
        within=30,
    )

    assert job.state == JobState.PUBLISHED and job.inits == 1
    [publish] = harness.sandbox.publishes.values()
    assert [(i.format, i.width, i.height) for i in publish.images] == [
        ("JPEG", 640, 480),
        ("JPEG", 800, 600),
        ("JPEG", 810, 1080),
    ]
    urls = [i.url for i in publish.images]
    base = harness.settings.public_base_url + f"/media/{job.media_token}/"
    assert urls == [base + f"{n}.jpg" for n in range(3)]
    assert publish.source_info["photo_cover_index"] == 1
    assert publish.post_info == {
        "title": "Weekend",
        "description": "Three photos from the weekend",
        "auto_add_music": True,
        "brand_content_toggle": False,
        "brand_organic_toggle": False,
        "privacy_level": "PUBLIC_TO_EVERYONE",
        "disable_comment": True,
    }
    share_url = job.share_url
    assert share_url is not None
    await user.wait_for(lambda m: share_url in (m.text or ""))
    # The job is over: the photos are gone from disk and from the web.
    for url in urls:
        assert (await harness.browser.get(url)).status_code == 404
    assert not (harness.data_dir / "media" / str(job.media_token)).exists()
    assert not list((harness.data_dir / "spool").iterdir())


async def test_one_unreadable_photo_fails_the_album_before_init(harness: Harness) -> None:
    user = harness.user()
    account = await linked(harness, user)
    photos = [
        harness.tg.add_file(image_bytes("JPEG", 300, 300), file_name="a.jpg", kind="photo"),
        harness.tg.add_file(b"this is not an image at all", file_name="b.jpg", kind="photo"),
    ]
    service = publishing(harness)

    job = await wait_for_job(
        service, await service.submit(photo_request(user, account, photos)), final, within=30
    )

    assert job.state == JobState.FAILED and job.outcome_code == "photo_unusable:2"
    assert [r for r in harness.sandbox.requests if r.path == CONTENT_INIT] == []
    told = await user.wait_for(lambda m: "Photo 2" in (m.text or ""))
    assert "nothing was posted" in (told.text or "")
    assert not list((harness.data_dir / "media").iterdir())


async def test_inbox_photos(harness: Harness) -> None:
    user = harness.user()
    account = await linked(harness, user)
    photos = [harness.tg.add_file(image_bytes("WEBP", 1200, 900), file_name="a.webp", kind="photo")]
    service = publishing(harness)
    request = photo_request(user, account, photos, mode=PostMode.INBOX, privacy_level=None)

    job = await wait_for_job(service, await service.submit(request), final, within=30)

    assert job.state == JobState.IN_INBOX
    [publish] = harness.sandbox.publishes.values()
    [init] = [r for r in harness.sandbox.requests if r.path == CONTENT_INIT]
    assert init.json["post_mode"] == "MEDIA_UPLOAD"
    assert "privacy_level" not in init.json["post_info"]
    assert [(i.width, i.height) for i in publish.images] == [(1080, 810)]
    await user.wait_for(lambda m: "TikTok inbox" in (m.text or ""))


async def test_media_route_serves_ranges_and_head_only_while_present(harness: Harness) -> None:
    store = publishing(harness).media  # files on disk, or rows with PostgreSQL
    data = image_bytes("JPEG", 200, 100)
    photo = harness.data_dir / "prepared.jpg"
    photo.write_bytes(data)
    await store.put("T" * 32, "0.jpg", photo)
    base = harness.settings.public_base_url + "/media/"
    browser = harness.browser

    whole = await browser.get(base + "T" * 32 + "/0.jpg")
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["Content-Type"] == "image/jpeg"
    part = await browser.get(base + "T" * 32 + "/0.jpg", headers={"Range": "bytes=2-11"})
    assert part.status_code == 206 and part.content == data[2:12]
    assert part.headers["Content-Range"] == f"bytes 2-11/{len(data)}"
    head = await browser.head(base + "T" * 32 + "/0.jpg")
    assert head.status_code == 200 and head.headers["Content-Length"] == str(len(data))
    for bad in ("T" * 32 + "/1.jpg", "T" * 32 + "/0.png", "short/0.jpg", "T" * 32 + "/..%2f0.jpg"):
        assert (await browser.get(base + bad)).status_code == 404, bad

    await store.delete("T" * 32)
    assert (await browser.get(base + "T" * 32 + "/0.jpg")).status_code == 404


__all__ = ["Path", "httpx"]
