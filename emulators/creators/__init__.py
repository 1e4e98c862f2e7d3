"""Local, strict emulators of the two public-data providers behind /stats @anyone.

- `VideoListEmulator`: a creator's posts with cursor paging and video details
  (Bearer API key, limit 1-35, 3 requests/s then a 15 s block with a 429).
- `UserInfoEmulator`: a profile by username and followings with cursors.

Both serve one `CreatorWorld` (`seeded_world(now)` builds a realistic one)
and record every request; `down = True` plays an outage (503). They import
nothing from the bot, so tests compare the bot's output with their data::

    world = seeded_world(clock.now())
    videos = VideoListEmulator(world, api_keys={"key"}, now=clock.now)
    base = await videos.start()
"""

from emulators.creators.serving import EmulatorServer, Recorded
from emulators.creators.user_info import FOLLOWINGS_PATH, USER_INFO_PATH, UserInfoEmulator
from emulators.creators.video_list import DETAIL_PATH, LIST_PATH, VideoListEmulator
from emulators.creators.world import (
    CreatorWorld,
    Following,
    SeededCreator,
    SeededVideo,
    raw_video,
    seeded_world,
)

__all__ = [
    "DETAIL_PATH",
    "FOLLOWINGS_PATH",
    "LIST_PATH",
    "USER_INFO_PATH",
    "CreatorWorld",
    "EmulatorServer",
    "Following",
    "Recorded",
    "SeededCreator",
    "SeededVideo",
    "UserInfoEmulator",
    "VideoListEmulator",
    "raw_video",
    "seeded_world",
]
