package dev.nemobot.core.spec;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Choice;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.store.Results;
import dev.nemobot.core.testing.RecordingPlatform.RecordingPress;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import dev.nemobot.core.testing.SpecFixture;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * {@code /videos}: the user's delivered results, newest first, five to a page, each with its link and an Again button
 * for that result; the paging buttons turn the list in place; private only; pruned with the results.
 */
class VideoHistorySpec {
    final ChatUser ann = user("telegram", "1", Locale.ENGLISH);
    final ChatUser bob = user("telegram", "2", Locale.ENGLISH);

    /** Sends {@code n} requests one after the other, each delivered before the next. */
    private static void deliver(SpecFixture s, ChatUser who, int n) {
        for (int i = 1; i <= n; i++) {
            long before = s.videos();
            s.send(i == 1 ? file(who, "video number " + i, png("photo.png")) : text(who, "video number " + i));
            s.until(() -> s.videos() > before, "video " + i);
            s.untilIdle();
        }
    }

    private static Sent.Choices lastList(SpecFixture s) {
        return (Sent.Choices) s.platform().sent().stream().filter(x -> x instanceof Sent.Choices)
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no list in " + s.platform().texts()));
    }

    @Test
    void theListPagesNewestFirstAndItsButtonsTurnItInPlace() {
        try (SpecFixture s = SpecFixture.start()) {
            deliver(s, ann, 6);
            deliver(s, bob, 1);
            s.send(text(ann, "/videos"));
            Sent.Choices first = lastList(s);
            assertThat(first.text()).startsWith("Your videos of the last 30 days, newest first (page 1):")
                    .contains("1. ").contains("“video number 6”").contains("5. ").contains("“video number 2”")
                    .doesNotContain("video number 1”").doesNotContain("6. ")
                    .containsPattern("Video: https://cdn\\.nemovideo\\.test/renders/\\S+\\.mp4")
                    .containsPattern("1\\. Delivered \\w{3} \\d{1,2}, \\d{4}, \\d{1,2}:\\d{2}\\W*[AP]M UTC: “video number 6”");
            assertThat(first.text().indexOf("video number 6")).isLessThan(first.text().indexOf("video number 5"));
            assertThat(first.rows()).hasSize(2);
            assertThat(first.rows().getFirst()).extracting(Choice::label)
                    .containsExactly("Again #1", "Again #2", "Again #3", "Again #4", "Again #5");
            assertThat(first.rows().get(1)).extracting(Choice::label).containsExactly("Older ▶");
            assertThat(first.rows().getFirst()).allSatisfy(c -> assertThat(c.action()).isEqualTo(Action.AGAIN));

            RecordingPress older = s.platform().pressOn(first);
            s.press(press(ann, first.button("Older ▶")), older);
            Sent.Choices second = lastList(s);
            assertThat(second.replaced()).as("the same message, turned").contains(first.ref());
            assertThat(second.text()).contains("(page 2)").contains("6. ").contains("“video number 1”")
                    .doesNotContain("video number 2”").doesNotContain("Bob").doesNotContain("User 2");
            assertThat(second.rows().getFirst()).extracting(Choice::label).containsExactly("Again #6");
            assertThat(second.rows().get(1)).extracting(Choice::label).containsExactly("◀ Newer");
            assertThat(older.answers()).as("the press ended without a word").containsOnly("");
            s.press(press(ann, second.button("◀ Newer")), s.platform().pressOn(second));
            assertThat(lastList(s).text()).isEqualTo(first.text());
            assertThat(s.platform().sent()).filteredOn(x -> x instanceof Sent.Choices c && c.replaced().isEmpty())
                    .as("one list message").hasSize(1);
        }
    }

    @Test
    void againOnAnEntryMakesAnotherTakeOfThatEntrysRequest() {
        try (SpecFixture s = SpecFixture.start()) {
            deliver(s, ann, 2);
            s.send(text(ann, "/videos"));
            Choice oldest = lastList(s).button("Again #2");
            assertThat(oldest.argument()).isPresent();
            long before = s.videos();
            s.press(press(ann, oldest), s.platform().pressOn(lastList(s)));
            s.until(() -> s.videos() > before, "another take");
            s.untilIdle();
            List<String> turns = s.backend().messages();
            assertThat(turns).hasSize(3);
            assertThat(turns.get(2)).contains("new take").contains("video number 1").doesNotContain("video number 2");
        }
    }

    @Test
    void nobodyElseSeesTheListInAGroup() {
        try (SpecFixture s = SpecFixture.start()) {
            deliver(s, ann, 1);
            Conversation group = new Conversation("telegram", "group-1", true);
            s.send(new Incoming("g-1", ann, group, "/videos", List.of()));
            assertThat(s.untilText(t -> t.contains("only for you"), "the answer"))
                    .isEqualTo("Your list of videos is only for you: send /videos in a private chat with me.");
            assertThat(s.platform().sent()).noneMatch(x -> x instanceof Sent.Choices);
            assertThat(s.platform().texts()).noneMatch(t -> t.contains("Your videos of"));

            s.platform().privateInGroups(true); // a platform that answers this request privately (Discord's command)
            s.send(new Incoming("g-2", ann, group, "/videos", List.of()).answering("interaction-1"));
            assertThat(lastList(s).text()).contains("“video number 1”");
        }
    }

    @Test
    void noVideosYetSaysHowToMakeOneAndHowLongTheyAreListed() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(text(ann, "/videos"));
            assertThat(s.untilText(t -> t.startsWith("You have no videos"), "the answer"))
                    .contains("last 30 days");
        }
    }

    @Test
    void aResultIsListedForAsLongAsItIsKept() {
        try (SpecFixture s = SpecFixture.start()) {
            deliver(s, ann, 1);
            s.time().jump(Results.KEEP.minus(Duration.ofDays(1)));
            s.store().pruneExpired();
            s.send(text(ann, "/videos"));
            assertThat(lastList(s).text()).contains("“video number 1”");
            s.time().jump(Duration.ofDays(2));
            s.store().pruneExpired();
            s.send(text(ann, "/videos 1"));
            s.untilText(t -> t.startsWith("You have no videos"), "the list after the prune");
        }
    }

    /** A press of {@code button} by {@code who}, as the platform hands it on (its command as the text). */
    private static Incoming press(ChatUser who, Choice button) {
        return text(who, button.command());
    }
}
