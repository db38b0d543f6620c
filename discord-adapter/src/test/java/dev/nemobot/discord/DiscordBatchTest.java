package dev.nemobot.discord;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.Frames;
import dev.nemobot.core.testing.Frames.Hue;
import dev.nemobot.discord.fake.FakeDiscord;
import dev.nemobot.discord.fake.FakeDiscord.Call;
import dev.nemobot.discord.fake.FakeDiscord.FilePart;
import dev.nemobot.discord.fake.FakeDiscord.User;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import net.dv8tion.jda.api.utils.data.DataArray;
import net.dv8tion.jda.api.utils.data.DataObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One Discord message with three images is one request: the real JDA against the fake Discord, the real engine and
 * client against nemo-simulator. One acknowledgement, a take per image, the three videos in the order attached, each
 * replying to the request and with buttons on its own result.
 */
class DiscordBatchTest {
    private static final Duration RENDER_WAIT = Duration.ofSeconds(120);
    private static final String PROMPT = "animate this image into a 5-second video with smooth motion";

    private EngineFixture backend;
    private Harness discord;
    private User alice;

    @BeforeEach
    void start() throws Exception {
        backend = EngineFixture.start();
        discord = Harness.start(backend.engine(), true, Duration.ofMillis(50), fake -> { });
        alice = discord.fake.user("100000000000000011", "alice");
    }

    @AfterEach
    void stop() {
        try {
            backend.close();
        } finally {
            discord.close();
        }
    }

    private static boolean isMp4(Call c) {
        return c.files().values().stream().anyMatch(f -> f.bytes().length > 12
                && new String(Arrays.copyOfRange(f.bytes(), 4, 8), StandardCharsets.US_ASCII).equals("ftyp"));
    }

    private List<Call> calls(Predicate<Call> p) {
        return discord.fake.calls().stream().filter(p).toList();
    }

    @Test
    void oneMessageWithThreeImagesIsThreeTakesWithTheirVideosInOrder() {
        List<DataObject> images = List.of(
                discord.fake.attachment("red.png", "image/png", Frames.png(Hue.RED)),
                discord.fake.attachment("green.png", "image/png", Frames.png(Hue.GREEN)),
                discord.fake.attachment("blue.png", "image/png", Frames.png(Hue.BLUE)));
        String request = discord.fake.guildMessage(alice, "<@" + FakeDiscord.BOT_ID + "> " + PROMPT, true, images);

        Poll.until(() -> calls(DiscordBatchTest::isMp4).size() >= 3, RENDER_WAIT,
                () -> "three videos; calls so far:\n" + discord.fake.describe());
        assertThat(backend.engine().awaitIdle(RENDER_WAIT)).isTrue();
        List<Call> videos = calls(DiscordBatchTest::isMp4);
        assertThat(videos).hasSize(3);
        assertThat(videos.stream().map(v -> Frames.hue(mp4(v))).toList()).as("in the order attached")
                .containsExactly(Hue.RED, Hue.GREEN, Hue.BLUE);
        List<String> resultButtons = new ArrayList<>();
        for (Call v : videos) {
            // the render's progress message, a reply to the request, edited to carry the video and its buttons
            assertThat(v.method()).isEqualTo("PATCH");
            resultButtons.add(againButton(v));
        }
        assertThat(calls(Call::isMessageCreate)).as("everything, the progress messages too, replies to the request")
                .hasSizeGreaterThanOrEqualTo(4).allSatisfy(c ->
                        assertThat(c.json().getObject("message_reference").getString("message_id")).isEqualTo(request));
        assertThat(resultButtons).as("each video's buttons act on its own result").doesNotHaveDuplicates();
        assertThat(calls(c -> c.isMessageCreate() && c.content() != null
                && c.content().contains("3 images: 3 takes, in order."))).as("one acknowledgement").hasSize(1);
    }

    private static byte[] mp4(Call c) {
        return c.files().values().stream().map(FilePart::bytes).filter(b -> b.length > 12).findFirst().orElseThrow();
    }

    private static String againButton(Call c) {
        DataArray rows = c.json().getArray("components");
        for (int i = 0; i < rows.length(); i++) {
            DataArray row = rows.getObject(i).getArray("components");
            for (int j = 0; j < row.length(); j++) {
                String id = row.getObject(j).getString("custom_id", "");
                if (id.contains("again")) {
                    return id;
                }
            }
        }
        throw new AssertionError("no Again button under " + c);
    }
}
