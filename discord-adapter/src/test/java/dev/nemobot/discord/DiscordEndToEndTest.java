package dev.nemobot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.Frames;
import dev.nemobot.core.testing.Frames.Hue;
import dev.nemobot.core.testing.TestChats;
import dev.nemobot.discord.fake.FakeDiscord;
import dev.nemobot.discord.fake.FakeDiscord.Call;
import dev.nemobot.discord.fake.FakeDiscord.FilePart;
import dev.nemobot.discord.fake.FakeDiscord.User;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import net.dv8tion.jda.api.utils.data.DataArray;
import net.dv8tion.jda.api.utils.data.DataObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real engine (with the real backend client against nemo-simulator) behind the real JDA against the fake Discord;
 * also a message with several images (issue 21, point 4).
 */
class DiscordEndToEndTest {
    private static final Duration RENDER_WAIT = Duration.ofSeconds(30);
    private static final String PROMPT = "animate this image into a 5-second video with smooth motion";
    private static final byte[] PNG = TestChats.pngBytes(96, 64);

    private EngineFixture backend;
    private Harness discord;
    private User alice;
    private User bob;

    @BeforeEach
    void start() throws Exception {
        backend = EngineFixture.start();
        discord = Harness.start(backend.engine(), true, Duration.ofMillis(50), fake -> { });
        alice = discord.fake.user("100000000000000011", "alice");
        bob = discord.fake.user("100000000000000022", "bob");
    }

    @AfterEach
    void stop() {
        try {
            backend.close();
        } finally {
            discord.close();
        }
    }

    private static boolean isMp4(FilePart file) {
        byte[] b = file.bytes();
        return b.length > 12 && new String(Arrays.copyOfRange(b, 4, 8), StandardCharsets.US_ASCII).equals("ftyp");
    }


    /** A message (create or edit, channel or interaction) whose content contains {@code text}. */
    private static Predicate<Call> says(String text) {
        return c -> c.content() != null && c.content().contains(text);
    }

    private static Predicate<Call> answersInteraction(String interactionId) {
        return c -> c.path().startsWith("/api/v10/webhooks/" + FakeDiscord.APP_ID + "/interaction-token-" + interactionId);
    }

    private static Predicate<Call> videoFor(User user, String interactionId) {
        return c -> c.files().values().stream().anyMatch(DiscordEndToEndTest::isMp4)
                && (answersInteraction(interactionId).test(c)
                || c.content() != null && c.content().startsWith("<@" + user.id() + ">"));
    }

    @Test
    void animateWithAnImageAnswersInPlaceThenDeliversAPlayableMp4() {
        DataObject image = discord.fake.attachment("sunset.png", "image/png", PNG);
        String id = discord.fake.slashCommand(alice, true, "animate", Map.of("image", image, "prompt", PROMPT), "en-US");

        discord.awaitCall(answersInteraction(id).and(c -> c.path().endsWith("/messages/@original")),
                "the first answer replacing the deferred placeholder");
        Call video = discord.awaitCall(videoFor(alice, id), RENDER_WAIT, "the MP4");
        assertThat(video.files().values()).anyMatch(f -> f.fileName().endsWith(".mp4"));
    }

    private static List<String> customIds(Call call) {
        if (call.json() == null || !call.json().hasKey("components")) {
            return List.of();
        }
        return call.json().getArray("components").stream(net.dv8tion.jda.api.utils.data.DataArray::getObject)
                .flatMap(row -> row.getArray("components").stream(net.dv8tion.jda.api.utils.data.DataArray::getObject))
                .map(button -> button.getString("custom_id"))
                .toList();
    }

    @Test
    void theProgressAndTheVideoCarryTheOwnersButtons() {
        DataObject image = discord.fake.attachment("sunset.png", "image/png", PNG);
        String id = discord.fake.slashCommand(alice, true, "animate", Map.of("image", image, "prompt", PROMPT), "en-US");

        Call video = discord.awaitCall(videoFor(alice, id), RENDER_WAIT, "the MP4");
        List<String> under = customIds(video);
        assertThat(under).as("the quick edits name the video's result").hasSize(4);
        String result = under.getFirst().substring(("nemo:again:" + alice.id() + ":").length());
        assertThat(result).matches("[a-z0-9]{12}");
        assertThat(under).containsExactly("nemo:again:" + alice.id() + ":" + result,
                "nemo:longer:" + alice.id() + ":" + result, "nemo:add_music:" + alice.id() + ":" + result,
                "nemo:new:" + alice.id());
        assertThat(discord.fake.calls(says("Rendering"))).as("the render's progress")
                .anyMatch(c -> customIds(c).equals(List.of("nemo:cancel:" + alice.id(), "nemo:status:" + alice.id())));
        assertThat(discord.fake.calls(says("Uploading sunset.png"))).as("said at once, with Cancel")
                .anyMatch(c -> customIds(c).equals(List.of("nemo:cancel:" + alice.id())));

        String refused = discord.fake.buttonPress(bob, true, "nemo:again:" + alice.id(), discord.fake.snowflake(), "en-US");
        Call deferral = discord.awaitCall(c -> c.path().startsWith("/api/v10/interactions/" + refused + "/"),
                Duration.ofSeconds(10), "the acknowledgement");
        assertThat(deferral.json().getInt("type")).as("nothing shown").isEqualTo(6);
        // answered by the engine, after the access and rate checks, as a follow-up only bob sees
        Call refusal = discord.awaitCall(answersInteraction(refused), "the refusal");
        assertThat(refusal.content()).isEqualTo(DiscordTexts.notYours(Locale.US));
        assertThat(refusal.json().getInt("flags") & 64).as("ephemeral").isEqualTo(64);
    }

    @Test
    void statusIsAnsweredOnlyToTheAsker() {
        String id = discord.fake.slashCommand(alice, true, "status", Map.of(), "en-US");
        Call answer = discord.awaitCall(answersInteraction(id).and(says("project")), "the status");
        assertThat(answer.path()).as("the ephemeral placeholder is replaced").endsWith("/messages/@original");
        Call ack = discord.awaitCall(c -> c.path().startsWith("/api/v10/interactions/" + id + "/"),
                "the deferral");
        assertThat(ack.json().getObject("data").getInt("flags") & 64).isEqualTo(64);
    }

    @Test
    void anImageWithAMentionInAChannelGetsItsVideoInThatChannel() {
        DataObject image = discord.fake.attachment("sunset.png", "image/png", PNG);
        discord.fake.guildMessage(alice, "<@" + FakeDiscord.BOT_ID + "> " + PROMPT, true, List.of(image));

        Call video = discord.awaitCall(videoFor(alice, "none"), RENDER_WAIT, "the MP4 in the channel");
        // the render's progress message, which mentioned alice, edited to carry the video
        assertThat(video.method()).isEqualTo("PATCH");
        assertThat(video.path()).startsWith("/api/v10/channels/" + FakeDiscord.CHANNEL_ID + "/messages/");
        assertThat(video.content()).startsWith("<@" + alice.id() + ">");
        Call progress = discord.awaitCall(c -> c.isMessageCreate() && c.content() != null
                && c.content().contains("Rendering your clip"), RENDER_WAIT, "the progress message");
        assertThat(progress.json().getObject("allowed_mentions").getArray("users").getString(0)).isEqualTo(alice.id());
    }

    @Test
    void creditsAreAnsweredThroughTheInteraction() {
        String id = discord.fake.slashCommand(alice, true, "credits", Map.of(), "zh-CN");
        Call answer = discord.awaitCall(answersInteraction(id).and(says("积分")), "the credits");
        assertThat(answer.content()).contains("可用");
    }

    @Test
    void aUserWhoseDiscordIsInGermanIsAnsweredInGerman() {
        DataObject pdf = discord.fake.attachment("notes.pdf", "application/pdf", "%PDF-1.4".getBytes(StandardCharsets.US_ASCII));
        String refused = discord.fake.slashCommand(alice, true, "animate", Map.of("image", pdf, "prompt", PROMPT), "de");
        Call refusal = discord.awaitCall(answersInteraction(refused), "the adapter's refusal");
        assertThat(refusal.content())
                .isEqualTo("Die Datei notes.pdf ist kein Bild. Bitte schick ein PNG-, JPEG-, WebP- oder GIF-Bild.");

        DataObject image = discord.fake.attachment("sunset.png", "image/png", PNG);
        String id = discord.fake.slashCommand(alice, true, "animate", Map.of("image", image, "prompt", PROMPT), "de");
        Call video = discord.awaitCall(videoFor(alice, id), RENDER_WAIT, "the MP4");
        assertThat(video.content()).contains("Hier ist dein Video.");
        assertThat(backend.engine().awaitIdle(RENDER_WAIT)).isTrue();

        String credits = discord.fake.slashCommand(alice, true, "credits", Map.of(), "de");
        discord.awaitCall(answersInteraction(credits).and(says("verfügbar")), "the credits in German");
        String status = discord.fake.buttonPress(alice, true, "nemo:status:" + alice.id(), discord.fake.snowflake(), "de");
        Call timeline = discord.awaitCall(answersInteraction(status).and(says("Zeitleiste (")),
                "the status in German");
        assertThat(timeline.json().toString()).as("its buttons").contains("Exportieren");
    }

    @Test
    void theOwnersButtonRunsItsCommandAndSomeoneElsesPressIsRefused() {
        String pressed = discord.fake.buttonPress(alice, true, "nemo:status:" + alice.id(), discord.fake.snowflake(), "en-US");
        discord.awaitCall(answersInteraction(pressed).and(says("project")), "the status answer");

        String refused = discord.fake.buttonPress(bob, true, "nemo:new:" + alice.id(), discord.fake.snowflake(), "en-US");
        Call refusal = discord.awaitCall(answersInteraction(refused), "the refusal");
        assertThat(refusal.json().getInt("flags") & 64).as("only bob sees it").isEqualTo(64);
        assertThat(backend.engine().awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(discord.fake.calls(says("Started a new project"))).isEmpty();
    }

    @Test
    void aVideoOverTheChannelsUploadLimitArrivesAsTheBackendsLink() {
        discord.fake.attachmentSizeLimit(1024); // what Discord reports for this channel
        DataObject image = discord.fake.attachment("sunset.png", "image/png", PNG);
        discord.fake.slashCommand(alice, true, "animate", Map.of("image", image, "prompt", PROMPT), "en-US");

        Call link = discord.awaitCall(says("too large to send here"), RENDER_WAIT, "the download link");
        assertThat(link.content()).contains(backend.simulator().baseUrl().toString().replaceAll("/$", "")).contains(".mp4");
        assertThat(discord.fake.calls(c -> !c.files().isEmpty())).isEmpty();
    }

    @Test
    void whenDiscordRefusesTheUploadThe413BecomesTheLink() {
        discord.fake.rejectUploads(true);
        DataObject image = discord.fake.attachment("sunset.png", "image/png", PNG);
        discord.fake.guildMessage(alice, "<@" + FakeDiscord.BOT_ID + "> " + PROMPT, true, List.of(image));
        Call link = discord.awaitCall(says("too large to send here"), RENDER_WAIT, "the download link");
        assertThat(link.content()).startsWith("<@" + alice.id() + ">").contains(".mp4");
    }

    @Test
    void aNonImageOrOversizedAttachmentIsRefusedAndNeverReachesTheBackend() {
        DataObject pdf = discord.fake.attachment("notes.pdf", "application/pdf", "%PDF-1.4".getBytes(StandardCharsets.US_ASCII));
        String slash = discord.fake.slashCommand(alice, true, "animate", Map.of("image", pdf, "prompt", PROMPT), "en-US");
        Call ack = discord.awaitCall(c -> c.path().startsWith("/api/v10/interactions/" + slash + "/"),
                "the acknowledgement");
        assertThat(ack.json().getObject("data").getInt("flags") & 64).as("ephemeral").isEqualTo(64);
        // the engine says it through the interaction, once its access and rate checks let the user through
        discord.awaitCall(answersInteraction(slash).and(says("not an image")), "the refusal");

        DataObject huge = discord.fake.declaredAttachment("huge.png", "image/png", 21L * 1024 * 1024);
        discord.fake.guildMessage(bob, "<@" + FakeDiscord.BOT_ID + "> " + PROMPT, true, List.of(huge));
        discord.awaitCall(says("larger than 20 MB"), "the size refusal");

        assertThat(backend.engine().awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(backend.simulator().requests()).as("nothing reached the backend")
                .noneMatch(r -> r.path().startsWith("/api/upload-video/") || r.path().equals("/run_sse"));
    }

    @Test
    void twoUsersAnimatingAtOnceEachGetTheirOwnVideo() {
        DataObject first = discord.fake.attachment("a.png", "image/png", PNG);
        DataObject second = discord.fake.attachment("b.png", "image/png", TestChats.pngBytes(80, 80));
        String a = discord.fake.slashCommand(alice, true, "animate", Map.of("image", first, "prompt", PROMPT), "en-US");
        String b = discord.fake.slashCommand(bob, true, "animate", Map.of("image", second, "prompt", PROMPT), "zh-CN");

        Call forAlice = discord.awaitCall(videoFor(alice, a), RENDER_WAIT, "alice's video");
        Call forBob = discord.awaitCall(videoFor(bob, b), RENDER_WAIT, "bob's video");
        assertThat(forAlice).isNotSameAs(forBob);
        Optional<FilePart> aliceFile = forAlice.files().values().stream().findFirst();
        Optional<FilePart> bobFile = forBob.files().values().stream().findFirst();
        assertThat(aliceFile.orElseThrow().bytes()).isNotEqualTo(bobFile.orElseThrow().bytes());
    }

    /**
     * One message with three images is one request: one acknowledgement, a take per image, the three videos in the
     * order attached, each replying to the request and with buttons on its own result.
     */
    @Test
    void oneMessageWithThreeImagesIsThreeTakesWithTheirVideosInOrder() {
        List<DataObject> images = List.of(
                discord.fake.attachment("red.png", "image/png", Frames.png(Hue.RED)),
                discord.fake.attachment("green.png", "image/png", Frames.png(Hue.GREEN)),
                discord.fake.attachment("blue.png", "image/png", Frames.png(Hue.BLUE)));
        String request = discord.fake.guildMessage(alice, "<@" + FakeDiscord.BOT_ID + "> " + PROMPT, true, images);

        Duration wait = Duration.ofSeconds(120); // three renders, one after the other, on a loaded machine
        await().atMost(wait)
                .untilAsserted(() -> assertThat(discord.fake.calls(DiscordEndToEndTest::carriesMp4).size() >= 3)
                        .as(() -> "three videos; calls so far:\n" + discord.fake.describe()).isTrue());
        assertThat(backend.engine().awaitIdle(wait)).isTrue();
        List<Call> videos = discord.fake.calls(DiscordEndToEndTest::carriesMp4);
        assertThat(videos).hasSize(3);
        assertThat(videos.stream().map(v -> Frames.hue(v.files().values().stream().filter(DiscordEndToEndTest::isMp4)
                .findFirst().orElseThrow().bytes())).toList()).as("in the order attached")
                .containsExactly(Hue.RED, Hue.GREEN, Hue.BLUE);
        // each the render's progress message, a reply to the request, edited to carry the video and its buttons
        assertThat(videos).allSatisfy(v -> assertThat(v.method()).isEqualTo("PATCH"));
        assertThat(videos.stream().map(DiscordEndToEndTest::againButton)).as("each on its own result")
                .doesNotHaveDuplicates();
        assertThat(discord.fake.calls(Call::isMessageCreate)).as("everything replies to the request")
                .hasSizeGreaterThanOrEqualTo(4).allSatisfy(c ->
                        assertThat(c.json().getObject("message_reference").getString("message_id")).isEqualTo(request));
        assertThat(discord.fake.calls(says("3 images: 3 takes, in order.").and(Call::isMessageCreate)))
                .as("one acknowledgement").hasSize(1);
    }

    private static boolean carriesMp4(Call c) {
        return c.files().values().stream().anyMatch(DiscordEndToEndTest::isMp4);
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
