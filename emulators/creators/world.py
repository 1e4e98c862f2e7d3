"""The creators both public-data emulators serve: profiles, videos, followings.

Plain dataclasses, so tests compute what the bot should show from the same
objects the emulators answer with. `seeded_world` builds a realistic,
deterministic world (the same every run for one `now`).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Any

DAY = 86_400


@dataclass
class SeededVideo:
    """One video as the video-list provider knows it."""

    aweme_id: str
    desc: str
    create_time: int  # Unix seconds
    duration_ms: int
    play_count: int
    digg_count: int
    comment_count: int
    share_count: int
    collect_count: int
    hashtags: list[str]  # what `text_extra` carries (not always every #word of desc)
    music: dict[str, str] | None = None  # music_id, title, author, cover; None: no music
    width: int = 1080
    height: int = 1920
    is_private: bool = False

    @property
    def create_ms(self) -> int:
        """The listing cursor of this video (create time in milliseconds)."""
        return self.create_time * 1000


@dataclass
class Following:
    """One account a creator follows, and when they followed it (the paging cursor)."""

    unique_id: str
    followed_at: int


@dataclass
class SeededCreator:
    """A TikTok creator with public numbers."""

    unique_id: str
    nickname: str
    signature: str = ""
    followers: int = 0
    following_count: int = 0
    likes: int = 0
    verified: bool = False
    private: bool = False
    uid: str = ""
    sec_uid: str = ""
    videos: list[SeededVideo] = field(default_factory=list)  # newest first
    followings: list[Following] = field(default_factory=list)  # newest follow first

    def __post_init__(self) -> None:
        digest = hashlib.sha256(self.unique_id.encode()).hexdigest()
        if not self.uid:
            self.uid = str(int(digest[:12], 16))
        if not self.sec_uid:
            # Real sec_user_ids are base64url, start with MS4wLjABAAAA and run 55-76 chars.
            tail = hashlib.sha256(digest.encode()).hexdigest()
            self.sec_uid = "MS4wLjABAAAA" + (digest + tail)[:64]

    @property
    def avatar(self) -> str:
        """The profile picture URL."""
        return f"https://p16-sign-va.tiktokcdn.com/tos-maliva-avt-0068/{self.uid}~c5_100x100.jpeg"

    def public_videos(self) -> list[SeededVideo]:
        """What the video list shows: nothing for a private account, else non-private posts."""
        if self.private:
            return []
        ordered = sorted(self.videos, key=lambda v: v.create_time, reverse=True)
        return [v for v in ordered if not v.is_private]

    def add_video(self, video: SeededVideo) -> None:
        """A new post (tests use this to make a creator post between two days)."""
        self.videos.insert(0, video)


class CreatorWorld:
    """Every creator, by username and by sec_uid."""

    def __init__(self, creators: list[SeededCreator] | None = None) -> None:
        self.creators: dict[str, SeededCreator] = {}
        for creator in creators or []:
            self.add(creator)

    def add(self, creator: SeededCreator) -> None:
        """Add (or replace) a creator."""
        self.creators[creator.unique_id] = creator

    def by_username(self, unique_id: str) -> SeededCreator | None:
        """The creator with this username (TikTok usernames are case-insensitive)."""
        wanted = unique_id.lower()
        return next((c for c in self.creators.values() if c.unique_id.lower() == wanted), None)

    def by_sec_uid(self, sec_uid: str) -> SeededCreator | None:
        """The creator with this sec_uid."""
        return next((c for c in self.creators.values() if c.sec_uid == sec_uid), None)

    def video(self, aweme_id: str) -> tuple[SeededCreator, SeededVideo] | None:
        """A public video by id, with its author."""
        for creator in self.creators.values():
            for video in creator.public_videos():
                if video.aweme_id == aweme_id:
                    return creator, video
        return None


def raw_author(creator: SeededCreator) -> dict[str, Any]:
    """The `author` object of a listed video."""
    return {
        "uid": creator.uid,
        "unique_id": creator.unique_id,
        "nickname": creator.nickname,
        "avatar": creator.avatar,
        "signature": creator.signature,
        "is_verified": creator.verified,
    }


def raw_video(creator: SeededCreator, video: SeededVideo) -> dict[str, Any]:
    """A video exactly in the provider's raw shape."""
    item: dict[str, Any] = {
        "aweme_id": video.aweme_id,
        "desc": video.desc,
        "create_time": video.create_time,
        "is_private": video.is_private,
        "author": raw_author(creator),
        "video": {
            "duration": video.duration_ms,
            "width": video.width,
            "height": video.height,
            "cover": {
                "url_list": [
                    f"https://p3.tiktokcdn.com/tos-maliva-video/{video.aweme_id}.jpg",
                    f"https://p16.tiktokcdn.com/tos-maliva-video/{video.aweme_id}.jpg",
                ]
            },
            "play_addr": {
                "url_list": [
                    f"https://v16-web.tiktok.com/{video.aweme_id}.mp4",
                    f"https://v19-web.tiktok.com/{video.aweme_id}.mp4",
                ]
            },
        },
        "statistics": {
            "digg_count": video.digg_count,
            "comment_count": video.comment_count,
            "share_count": video.share_count,
            "collect_count": video.collect_count,
            "play_count": video.play_count,
        },
    }
    # Real replies drop empty parts instead of sending empty values.
    if video.music is not None:
        item["music"] = dict(video.music)
    if video.hashtags:
        item["text_extra"] = [
            {
                "hashtag_name": tag,
                "hashtag_id": str(int(hashlib.sha256(tag.encode()).hexdigest()[:8], 16)),
            }
            for tag in video.hashtags
        ]
    return item


_NICHES: list[tuple[str, str, str, list[str]]] = [
    (
        "chef.marco",
        "Marco Cooks",
        "15-minute dinners 🍝 | Milan → NYC",
        ["food", "recipe", "pasta", "dinner", "easy"],
    ),
    (
        "runwithpriya",
        "Priya Runs",
        "Marathoner, coach, coffee addict",
        ["running", "fitness", "marathon", "motivation"],
    ),
    (
        "techtok.sam",
        "Sam Explains Tech",
        "Gadgets in 60 seconds",
        ["tech", "gadgets", "iphone", "review"],
    ),
    (
        "plantmom.jo",
        "Jo & 200 Plants",
        "Houseplant care without the guilt 🌿",
        ["plants", "houseplants", "plantcare"],
    ),
    ("daily.dose.dan", "Dan", "Comedy skits every day", ["comedy", "skit", "funny", "relatable"]),
]
_MUSIC = [
    ("7489562135987", "Sunny Day Vibe", "DJ Mark"),
    ("7489561236954", "Shopping Mood", "Luna Band"),
    ("7412003398811", "Late Night Drive", "Nova"),
    ("7401119823310", "original sound", ""),
]


def _videos(
    rng: random.Random, now: int, tags: list[str], count: int, scale: int
) -> list[SeededVideo]:
    videos = []
    moment = now - rng.randint(3_600, DAY)
    for index in range(count):
        picked = rng.sample(tags, k=rng.randint(0, min(3, len(tags))))
        plays = int(scale * rng.lognormvariate(0, 0.6))
        music = None
        if rng.random() < 0.8:
            music_id, title, author = rng.choice(_MUSIC)
            music = {
                "music_id": music_id,
                "title": title,
                "author": author,
                "cover": f"https://p3.tiktokcdn.com/tos-maliva-music/{music_id}.jpg",
            }
        desc_tags = " ".join(f"#{t}" for t in picked)
        videos.append(
            SeededVideo(
                aweme_id=str(7_500_000_000_000_000_000 + rng.randrange(10**17)),
                desc=f"Part {count - index} {desc_tags}".strip(),
                create_time=moment,
                duration_ms=rng.randint(6, 180) * 100 * 10 + rng.randint(0, 9) * 100,
                play_count=plays,
                digg_count=int(plays * rng.uniform(0.03, 0.12)),
                comment_count=int(plays * rng.uniform(0.001, 0.008)),
                share_count=int(plays * rng.uniform(0.0005, 0.004)),
                collect_count=int(plays * rng.uniform(0.002, 0.01)),
                hashtags=picked,
                music=music,
            )
        )
        moment -= rng.randint(DAY // 3, 3 * DAY)
    return videos


def lily(now: int) -> SeededCreator:
    """The creator of the provider's own documentation, with its two sample videos on top."""
    rng = random.Random("lily_fashion_us")
    newest = [
        SeededVideo(
            aweme_id="7528963259874125698",
            desc="Summer daily outfit✨ #fashion #ootd #summerlook",
            create_time=now - 5 * 3_600,
            duration_ms=12_800,
            play_count=215_689,
            digg_count=12_589,
            comment_count=892,
            share_count=326,
            collect_count=1_563,
            hashtags=["fashion", "ootd"],  # as documented: text_extra misses #summerlook
            music={
                "music_id": "7489562135987",
                "title": "Sunny Day Vibe",
                "author": "DJ Mark",
                "cover": "https://p3.tiktokcdn.com/tos-maliva-music/msc.jpg",
            },
        ),
        SeededVideo(
            aweme_id="7528959874125369852",
            desc="Affordable casual clothes haul🛒 #clothes #shopping",
            create_time=now - 9 * 3_600,
            duration_ms=9_600,
            play_count=159_632,
            digg_count=9_856,
            comment_count=632,
            share_count=215,
            collect_count=986,
            hashtags=["clothes", "shopping"],
            music={
                "music_id": "7489561236954",
                "title": "Shopping Mood",
                "author": "Luna Band",
                "cover": "https://p3.tiktokcdn.com/tos-maliva-music/msc2.jpg",
            },
        ),
    ]
    older = _videos(rng, now - DAY, ["fashion", "ootd", "haul", "style", "shopping"], 45, 120_000)
    return SeededCreator(
        unique_id="lily_fashion_us",
        nickname="Lily Fashion",
        signature="Daily fashion sharing | US blogger",
        followers=1_284_300,
        following_count=0,  # set from followings below
        likes=38_912_000,
        verified=True,
        videos=newest + older,
    )


def seeded_world(now: float) -> CreatorWorld:
    """A realistic world: a documented fashion creator, five niches, a private account, minors."""
    at = int(now)
    rng = random.Random(20261201)
    world = CreatorWorld()
    main = lily(at)
    world.add(main)
    for unique_id, nickname, bio, tags in _NICHES:
        scale = rng.choice([8_000, 40_000, 150_000, 600_000])
        videos = _videos(random.Random(unique_id), at, tags, rng.randint(18, 40), scale)
        total = sum(v.digg_count for v in videos)
        world.add(
            SeededCreator(
                unique_id=unique_id,
                nickname=nickname,
                signature=bio,
                followers=scale * rng.randint(3, 12),
                following_count=rng.randint(20, 900),
                likes=total * rng.randint(3, 6),
                verified=scale >= 150_000,
                videos=videos,
            )
        )
    world.add(
        SeededCreator(
            unique_id="quiet.corner",
            nickname="Quiet Corner",
            signature="friends only",
            followers=312,
            following_count=190,
            likes=4_020,
            private=True,
            videos=_videos(random.Random("quiet"), at, ["life"], 6, 300),
        )
    )
    minors = []
    for index in range(40):
        first = rng.choice(["style", "daily", "shop", "look", "vibe"])
        name = f"{first}.{rng.choice(['nyc', 'la', 'uk', 'by.mia', 'studio'])}{index}"
        minors.append(
            SeededCreator(
                unique_id=name,
                nickname=name.replace(".", " ").title(),
                signature="",
                followers=rng.randint(900, 250_000),
                following_count=rng.randint(10, 2_000),
                likes=rng.randint(10_000, 9_000_000),
                verified=rng.random() < 0.1,
            )
        )
    for creator in minors:
        world.add(creator)
    followed = [c.unique_id for c in world.creators.values() if c is not main]
    moment = at - DAY
    for unique_id in followed:
        main.followings.append(Following(unique_id, moment))
        moment -= rng.randint(DAY, 20 * DAY)
    main.following_count = len(main.followings)
    return world
