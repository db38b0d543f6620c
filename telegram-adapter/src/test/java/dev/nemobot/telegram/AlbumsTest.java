package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Albums put together on a clock and a timer driven by hand: parts in any order, the caption on any of them, late
 * parts, two people's albums interleaved in a group, and the bounds.
 */
class AlbumsTest {
    private static final Albums.Window WINDOW = new Albums.Window(Duration.ofSeconds(1), Duration.ofSeconds(4));
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T06:00:00Z"));
    private final List<Incoming> out = new ArrayList<>();
    /** The scheduled tasks, each due at an instant of {@link #clock}. */
    private final List<Object[]> tasks = new ArrayList<>();
    private final Albums albums = new Albums(WINDOW, clock, (delay, task) ->
            tasks.add(new Object[] {clock.instant().plus(delay), task}), out::add);

    private static final ChatUser ANN = new ChatUser("telegram", "1", "Ann", Locale.ENGLISH);
    private static final ChatUser BO = new ChatUser("telegram", "2", "Bo", Locale.ENGLISH);
    private static final Conversation GROUP = new Conversation("telegram", "-100777", true);

    /** Moves the clock on by {@code d}, running each task that comes due on the way. */
    private void advance(Duration d) {
        Instant until = clock.instant().plus(d);
        while (true) {
            Object[] next = tasks.stream().filter(t -> !((Instant) t[0]).isAfter(until))
                    .min(Comparator.comparing(t -> (Instant) t[0])).orElse(null);
            if (next == null) {
                break;
            }
            tasks.remove(next);
            clock.set((Instant) next[0]);
            ((Runnable) next[1]).run();
        }
        clock.set(until);
    }

    private static Albums.Part part(ChatUser who, String group, int messageId, String caption, boolean addressed) {
        Attachment photo = Attachment.unnamedPhoto("photo-" + messageId + ".jpg", "image/jpeg", 3,
                () -> new ByteArrayInputStream(new byte[] {1, 2, 3}));
        return new Albums.Part(GROUP.id(), group, messageId, who, GROUP, caption, List.of(photo), addressed,
                Optional.empty());
    }

    private static List<String> names(Incoming m) {
        return m.attachments().stream().map(Attachment::name).toList();
    }

    @Test
    void anAlbumIsOneMessageWithItsPhotosInTheOrderSentAndTheCaptionFromWhicheverCarriesIt() {
        albums.add(part(ANN, "g1", 12, "", false));
        albums.add(part(ANN, "g1", 11, "animate these", true));
        advance(Duration.ofMillis(600));
        albums.add(part(ANN, "g1", 10, "", false)); // the first photo comes last, in a later poll
        advance(Duration.ofMillis(900));
        assertThat(out).as("the parts are still coming: 1 s after the last").isEmpty();
        advance(Duration.ofMillis(200));
        assertThat(out).hasSize(1);
        Incoming m = out.getFirst();
        assertThat(names(m)).containsExactly("photo-10.jpg", "photo-11.jpg", "photo-12.jpg");
        assertThat(m.text()).isEqualTo("animate these");
        assertThat(m.request()).as("the answers quote the captioned photo").isEqualTo("11");
        assertThat(m.messageId()).isEqualTo("album:-100777:1:g1");
        assertThat(albums.open()).isZero();
    }

    @Test
    void twoPeoplesAlbumsInterleavedInABusyGroupStayEachTheirOwn() {
        albums.add(part(ANN, "g1", 20, "", false));
        albums.add(part(BO, "g2", 21, "make them move", true));
        albums.add(part(ANN, "g1", 22, "animate mine", true));
        albums.add(part(BO, "g2", 23, "", false));
        albums.add(part(ANN, "g1", 24, "", false));
        advance(Duration.ofSeconds(2));
        assertThat(out).hasSize(2);
        Incoming ann = out.stream().filter(m -> m.user().equals(ANN)).findFirst().orElseThrow();
        Incoming bo = out.stream().filter(m -> m.user().equals(BO)).findFirst().orElseThrow();
        assertThat(names(ann)).containsExactly("photo-20.jpg", "photo-22.jpg", "photo-24.jpg");
        assertThat(ann.text()).isEqualTo("animate mine");
        assertThat(names(bo)).containsExactly("photo-21.jpg", "photo-23.jpg");
        assertThat(bo.text()).isEqualTo("make them move");
    }

    @Test
    void anAlbumStillGrowingIsHandedOnAtTheLongestAndOneForNoOneIsDropped() {
        for (int i = 0; i < 8; i++) {
            albums.add(part(ANN, "g1", 30 + i, i == 0 ? "animate" : "", true)); // a private chat's: all for the bot
            advance(Duration.ofMillis(700));
        }
        assertThat(out).as("4 s after its first part, however it keeps coming").hasSize(1);
        assertThat(out.getFirst().attachments()).hasSize(6);
        advance(Duration.ofSeconds(2));
        assertThat(out).as("what came after is an album of its own").hasSize(2);

        albums.add(part(BO, "g9", 50, "", false));
        albums.add(part(BO, "g9", 51, "just chatting", false));
        advance(Duration.ofSeconds(5));
        assertThat(out).as("not addressed to the bot: dropped").hasSize(2);
    }

    @Test
    void theBoundsHoldAndAPartPastThemIsHandledOnItsOwn() {
        for (int i = 0; i < 14; i++) {
            albums.add(part(ANN, "big", 100 + i, i == 0 ? "animate" : "", i == 0));
        }
        for (int g = 0; g < Albums.MAX_OPEN_PER_CHAT; g++) {
            albums.add(part(BO, "g" + g, 200 + g, "go", true));
        }
        assertThat(albums.open()).isEqualTo(Albums.MAX_OPEN_PER_CHAT);
        assertThat(out).as("one album too many in this chat: that photo on its own").hasSize(1);
        assertThat(out.getFirst().messageId()).isEqualTo("message:-100777:215");
        advance(Duration.ofSeconds(2));
        Incoming big = out.stream().filter(m -> m.messageId().endsWith(":big")).findFirst().orElseThrow();
        assertThat(big.attachments()).as("one more than an album may have, for the engine to refuse")
                .hasSize(Albums.MAX_PARTS);
        assertThat(albums.open()).isZero();
    }
}
