"""The composer when the chat is out of step with it: a tap on a deleted composer,
and a caption longer than a Telegram message can hold."""

from __future__ import annotations

from emulators.telegram import BotMessage
from tests.e2e.test_composer import buttons, linked_user, open_video_composer
from tests.support.harness import Harness

GENERIC_ERROR = "Something went wrong"


def no_generic_error(messages: list[BotMessage]) -> bool:
    return not any(GENERIC_ERROR in m.visible_text for m in messages)


async def test_tap_on_a_deleted_composer_sends_a_fresh_one(harness: Harness) -> None:
    user = await linked_user(harness)
    composer = await open_video_composer(harness, user)
    # The tap is on its way when the user deletes the composer (another device).
    query = await user.tap(composer, "👥 Friends")
    await user.delete(composer.message_id)
    fresh = await user.wait_for(lambda m: "✅ 👥 Friends" in buttons(m))
    assert fresh.message_id != composer.message_id and not fresh.deleted
    assert (await user.wait_for_answer(query)).text is None  # answered, no alert

    # A tap that reaches the bot after the deletion (an inaccessible message) too.
    stale = await user.tap_data(composer.message_id, f"{_draft_prefix(fresh)}:tg:c")
    again = await user.wait_for(lambda m: "✅ Comment" in buttons(m))
    assert again.message_id not in (composer.message_id, fresh.message_id)
    await user.wait_for_answer(stale)
    assert no_generic_error(user.messages())
    rejected = {call.params.get("message_id") for call in harness.tg.errors}
    assert rejected <= {composer.message_id}


def _draft_prefix(composer: BotMessage) -> str:
    data = next(b.callback_data for row in composer.buttons for b in row if b.callback_data)
    return ":".join(data.split(":")[:2])


async def test_caption_longer_than_a_telegram_message_gets_a_trimmed_preview(
    harness: Harness,
) -> None:
    user = await linked_user(harness)
    caption = "Long story " + "x" * 4090 + " THE-END"  # 4109 characters (Premium)
    composer = await open_video_composer(harness, user, caption=caption)
    text = composer.visible_text
    assert len(text.encode("utf-16-le")) // 2 <= 4096
    assert "Long story" in text and "THE-END" not in text
    assert f"{len(caption)}/2200" in text and "TikTok allows 2200" in text
    # The full text stays in the draft: over the limit, so Post stays blocked.
    await user.tap(composer, "👥 Friends")
    composer = await user.wait_for(lambda m: "✅ 👥 Friends" in buttons(m))
    assert "⛔ Post — text too long" in buttons(composer)
    assert no_generic_error(user.messages()) and harness.tg.errors == []


async def test_composer_words_follow_the_choices(harness: Harness) -> None:
    user = await linked_user(harness)
    composer = await open_video_composer(harness, user)
    assert "Allow users to comment, duet or stitch? Tap to switch on." in composer.visible_text
    # The mode reads as a choice of two, the chosen one marked.
    assert ["✅ Post now", "Save as draft in TikTok"] in [
        [b.text for b in row] for row in composer.buttons
    ]
    await user.tap(composer, "⬜ Comment")
    composer = await user.wait_for(lambda m: "✅ Comment" in buttons(m))
    assert "Tap to switch on" not in composer.visible_text
    assert "Users can comment" in composer.visible_text
    query = await user.tap(composer, "✅ Post now")  # already chosen: nothing changes
    assert (await user.wait_for_answer(query)).text == "Already chosen."
    await user.tap(composer, "Save as draft in TikTok")
    composer = await user.wait_for(lambda m: "✅ Save as draft in TikTok" in buttons(m))
    assert "Post now" in buttons(composer)
    # One emoji, one meaning: ✅ marks what is chosen, never an action or a badge.
    actions = [b for b in buttons(composer) if "TikTok" in b and "draft" not in b]
    assert actions and not any(b.startswith(("✅", "☑️")) for b in actions)
    assert not any(b.startswith("☑️") for b in buttons(composer))
