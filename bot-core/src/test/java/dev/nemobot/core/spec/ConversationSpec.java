package dev.nemobot.core.spec;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.EngineTimings;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.testing.MemoryBackend;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import dev.nemobot.core.testing.SpecFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A conversation from the first photo to the MP4, on the in-memory ports and manual time with the production
 * timings (a 30-second render poll, a 90-second render): what the user sees, in what order, and that each thing is
 * done once.
 */
class ConversationSpec {
    static final String ANIMATE = "animate this image into a 5-second video with smooth motion";
    final ChatUser ann = user("telegram", "1", Locale.ENGLISH);

    @Test
    void aPhotoWithACaptionEndsWithTheMp4InTheChatAfterTheRenderPolls() throws Exception {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            Sent.Video video = s.untilVideo();
            Duration rendering = s.untilIdle();

            assertThat(s.platform().sent().getFirst()).as("acknowledged at once").isInstanceOf(Sent.ActivityShown.class);
            assertThat(new String(Files.readAllBytes(video.file()), 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
            assertThat(video.caption()).contains(SpecFixture.WEB + "/workspace/claim?task=");
            assertThat(s.platform().texts()).anyMatch(t -> t.startsWith("Rendering")).doesNotContain("Video ready!");
            assertThat(video.replaced()).as("the render's progress message became the video").isPresent();
            assertThat(s.backend().calls("runTurn")).isEqualTo(1);
            assertThat(s.backend().calls("submitRender")).isEqualTo(1);
            assertThat(s.backend().calls("download")).isEqualTo(1);
            assertThat(s.backend().calls("renderStatus")).as("polled every 30 s through a 90 s render").isBetween(3, 4);
            assertThat(rendering).isZero();
            assertThat(s.backend().left(s.backend().tokens().getFirst()))
                    .isEqualTo(MemoryBackend.START_CREDITS - MemoryBackend.GENERATION_COST);
            assertThat(s.store().identities().find(ann.key())).as("the identity kept in the in-memory store")
                    .isPresent();
            try (var files = Files.list(s.dataDir())) {
                assertThat(files).as("no database file").noneMatch(f -> f.getFileName().toString().contains(".db"));
            }
            try (var left = Files.list(s.dataDir().resolve("tmp"))) {
                assertThat(left).as("temporary video deleted").isEmpty();
            }
        }
    }

    @Test
    void aMessageDuringAGenerationWaitsItsTurnAndIsSentOnce() {
        try (SpecFixture s = SpecFixture.start(st -> st.withLimits(st.limits().withQueuedMessages(3)), b -> b)) {
            MemoryBackend.Hold generating = s.backend().hold();
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.until(() -> s.backend().held() == 1, "the generation to be running");
            s.send(text(ann, "make the title say Hello"));
            s.untilText(t -> t.contains("1 more message is queued"), "the first queued message acknowledged");
            s.send(text(ann, "make the music softer"));
            s.send(text(ann, "trim it to 4 seconds"));
            s.send(text(ann, "one more thing"));
            s.untilText(t -> t.contains("so I did not keep this message"), "the full queue told");
            generating.release();
            s.untilVideo();
            s.untilIdle();

            List<String> turns = s.backend().messages();
            assertThat(turns).hasSize(4);
            assertThat(turns.get(0)).contains("animate this image");
            assertThat(turns.get(1)).contains("make the title say Hello");
            assertThat(turns.get(2)).contains("make the music softer");
            assertThat(turns.get(3)).contains("trim it to 4 seconds");
            assertThat(s.videos()).isEqualTo(1);
        }
    }

    /** The queue note: the one message about what waits, and what became of it. */
    private static List<String> queueNote(SpecFixture s) {
        List<Sent> sent = s.platform().sent();
        List<Sent.Text> notes = sent.stream().filter(x -> x instanceof Sent.Text t && t.text().contains("queued and will be handled"))
                .map(x -> (Sent.Text) x).toList();
        assertThat(notes).as("one queue note, not a reply per queued message").hasSize(1);
        List<String> shown = new java.util.ArrayList<>(List.of(notes.getFirst().text()));
        sent.stream().filter(x -> x instanceof Sent.Edit e && e.ref().equals(notes.getFirst().ref()))
                .forEach(x -> shown.add(((Sent.Edit) x).text()));
        return shown;
    }

    @Test
    void messagesQueuedBehindARunningRequestShareOneNoteEditedAsTheyStart() {
        try (SpecFixture s = SpecFixture.start()) {
            MemoryBackend.Hold generating = s.backend().hold();
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.until(() -> s.backend().held() == 1, "the generation to be running");
            s.send(text(ann, "make the title say Hello"));
            s.send(text(ann, "make the music softer"));
            s.send(text(ann, "trim it to 4 seconds"));
            s.untilText(t -> t.contains("3 more messages are queued"), "the note counting three");
            generating.release();
            s.untilVideo();
            s.untilIdle();

            assertThat(s.backend().messages()).hasSize(4);
            List<String> note = queueNote(s);
            assertThat(note.getFirst()).isIn("I'm still working on your last request. 1 more message is queued and "
                    + "will be handled in order.", "I'm still working on your last request. 2 more messages are "
                    + "queued and will be handled in order.", "I'm still working on your last request. 3 more "
                    + "messages are queued and will be handled in order.");
            assertThat(note.stream().map(t -> t.replaceAll(".*?(\\d more messages? (are|is) queued).*", "$1")))
                    .as("counted up, then down as each started")
                    .containsSubsequence("3 more messages are queued", "2 more messages are queued",
                            "1 more message is queued", "Your queued messages have all been taken up.");
            assertThat(note.getLast()).isEqualTo("Your queued messages have all been taken up.");
            assertThat(s.platform().texts()).noneMatch(t -> t.contains("queued (#"));
        }
    }

    @Test
    void cancellingDropsTheQueueAndTheNoteSaysItStopped() {
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().hold();
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.until(() -> s.backend().held() == 1, "the generation to be running");
            s.send(text(ann, "make the title say Hello"));
            s.send(text(ann, "make the music softer"));
            s.untilText(t -> t.contains("2 more messages are queued"), "the note counting two");
            s.send(text(ann, "/cancel"));
            s.untilText(t -> t.startsWith("Stopped waiting and dropped 2 queued messages"), "the cancel");
            s.untilIdle();

            assertThat(queueNote(s).getLast()).isEqualTo("Stopped.");
            assertThat(s.backend().messages()).hasSize(1);
        }
    }

    /** The user's own locale, then the script of what they wrote, then the place's (a Discord server's), then English. */
    @Test
    void inAGermanServerChineseIsAnsweredInChineseLatinTextInGermanAndTheUsersOwnLocaleFirst() {
        try (SpecFixture s = SpecFixture.start()) {
            ChatUser li = new ChatUser("telegram", "li", "Li", Locale.ROOT, Locale.GERMAN);
            ChatUser max = new ChatUser("telegram", "max", "Max", Locale.ROOT, Locale.GERMAN);
            ChatUser yui = new ChatUser("telegram", "yui", "Yui", Locale.JAPANESE, Locale.GERMAN);
            s.send(text(li, "积分"));
            s.untilText(t -> t.startsWith("积分：可用"), "li's balance in Chinese");
            s.send(text(max, "credits"));
            s.untilText(t -> t.startsWith("Credits: ") && t.contains("verfügbar"), "max's balance in German");
            s.send(text(yui, "积分"));
            s.untilText(t -> t.startsWith("クレジット"), "yui's balance in Japanese");
            s.untilIdle();
            assertThat(s.platform().texts()).noneMatch(t -> t.startsWith("Credits: ") && t.contains("available"));
        }
    }

    /**
     * A session keeps the language it was created in: a user who switches their app to Japanese keeps their project
     * and is told once, in Japanese, that its agent keeps answering in English until /new starts a Japanese one.
     */
    @Test
    void aUserWhoseLanguageChangesKeepsTheProjectAndIsToldOnceThatNewStartsOneInTheirLanguage() {
        try (SpecFixture s = SpecFixture.start()) {
            ChatUser kenInEnglish = user("telegram", "ken", Locale.ENGLISH);
            ChatUser kenInJapanese = user("telegram", "ken", Locale.JAPANESE);
            String note = "今のプロジェクトは英語で始まったため、このプロジェクトではエージェントが英語で答え続けます。"
                    + "/new を送ると、エージェントも日本語で話す新しい空のプロジェクトを始められます。";
            s.send(text(kenInEnglish, "hello there"));
            s.untilIdle();
            assertThat(s.platform().texts()).doesNotContain(note);

            s.send(text(kenInJapanese, "hello again"));
            s.untilIdle();
            s.send(file(kenInJapanese, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            assertThat(s.platform().texts().stream().filter(note::equals)).as("told once").hasSize(1);
            assertThat(s.backend().sessionLanguages()).as("the project kept").containsExactly("en");
            assertThat(s.backend().messages()).hasSize(3);

            s.send(text(kenInJapanese, "/new"));
            s.untilText(t -> t.startsWith("新しいプロジェクトを始めました"), "the new project");
            s.send(text(kenInJapanese, "hello"));
            s.untilIdle();
            assertThat(s.backend().sessionLanguages()).containsExactly("en", "ja");
            assertThat(s.platform().texts().stream().filter(note::equals)).as("not told in the new project").hasSize(1);
        }
    }

    @Test
    void stillWorkingEveryQuietIntervalThenATimeOutAfterTenMinutesOfHeartbeatsOnly() {
        try (SpecFixture s = SpecFixture.start()) {
            s.backend().heartbeatsOnly(true);
            java.time.Instant sent = s.time().now();
            s.send(text(ann, "hello there"));
            Duration notice = s.until(() -> s.platform().texts().contains("⏳ Still working…"), "the notice");
            s.until(() -> s.platform().texts().stream()
                    .anyMatch(t -> t.contains("stopped waiting") && t.contains("/status")), "the time-out");
            Duration waited = Duration.between(sent, s.time().now());
            s.untilIdle();
            assertThat(notice).as("the first notice after a quiet interval").isPositive()
                    .isLessThanOrEqualTo(EngineTimings.defaults().stillWorkingEvery());
            assertThat(waited).as("heartbeats only for the time-out")
                    .isBetween(EngineTimings.defaults().heartbeatOnlyTimeout(),
                            EngineTimings.defaults().heartbeatOnlyTimeout().plusSeconds(15));
            assertThat(s.platform().texts()).noneMatch(t -> t.startsWith("Done"));
        }
    }

    @Test
    void twoUsersAtOnceGetTheirOwnIdentitiesProjectsAndVideos() {
        try (SpecFixture s = SpecFixture.start()) {
            ChatUser a = user("telegram", "a", Locale.ENGLISH);
            ChatUser b = user("telegram", "b", Locale.ENGLISH);
            s.send(file(a, ANIMATE, png("a.png")));
            s.send(file(b, ANIMATE, png("b.png")));
            s.until(() -> s.videos() == 2, "both videos");
            s.untilIdle();
            assertThat(s.platform().sent()).filteredOn(x -> x instanceof Sent.Video)
                    .extracting(x -> ((Sent.Video) x).recipient()).containsExactlyInAnyOrder(a, b);
            assertThat(s.backend().calls("anonymousToken")).isEqualTo(2);
            assertThat(s.backend().clientIds()).as("a client id each").hasSize(2);
            assertThat(s.backend().calls("createSession")).isEqualTo(2);
            assertThat(s.backend().calls("runTurn")).isEqualTo(2);
        }
    }

    @Test
    void aSilentTurnIsAnsweredWithTheTimelineSummary() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            s.backend().silentNext();
            s.platform().clear();
            s.send(text(ann, "add jazz background music"));
            String done = s.untilText(t -> t.startsWith("Done. Timeline ("), "the summary");
            assertThat(done).matches("(?s)Done\\. Timeline \\(3 tracks\\): 1\\. Video: .*\\(0-5s\\).*Jazz.*");
        }
    }

    @Test
    void cancelWithNothingRunningSaysSo() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(text(ann, "/cancel"));
            s.untilText(t -> t.contains("nothing running"), "the answer");
        }
    }

    @Test
    void chineseUsersGetAChineseProjectAndChineseReplies() {
        try (SpecFixture s = SpecFixture.start()) {
            ChatUser li = user("telegram", "zh1", Locale.SIMPLIFIED_CHINESE);
            s.send(text(li, "积分"));
            s.untilText(t -> t.startsWith("积分：可用 100"), "the balance in Chinese");
            s.send(file(li, "把这张图片做成动画视频", png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            assertThat(s.platform().texts()).anyMatch(t -> t.contains("完成"));
        }
    }

    @Test
    void commandsAndKeywordsSkipTheBackendTurn() {
        try (SpecFixture s = SpecFixture.start()) {
            s.send(text(ann, "/start"));
            s.untilText(t -> t.equals("Ready!"), "ready");
            s.send(text(ann, "/help"));
            s.untilText(t -> t.contains("/export") && t.contains("/cancel"), "the help");
            s.send(text(ann, "/whatever"));
            s.untilIdle();
            assertThat(s.platform().texts().stream().filter(t -> t.contains("/cancel - stop waiting")))
                    .as("an unknown command answered with the help").hasSize(2);
            s.send(text(ann, "upload"));
            s.untilText(t -> t.contains("20 MB"), "the upload help");
            s.send(text(ann, "status"));
            s.untilText(t -> t.contains("project is empty"), "the empty project");
            s.send(text(ann, "export"));
            s.untilText(t -> t.contains("generate something first"), "nothing to export");
            s.send(text(ann, "/new"));
            s.untilText(t -> t.startsWith("Started a new project"), "a new project");
            s.untilIdle();
            assertThat(s.backend().calls("runTurn")).isZero();
            assertThat(s.backend().calls("createSession")).isEqualTo(2);
        }
    }

    @Test
    void aRepeatedUpdateIsHandledOnce() {
        try (SpecFixture s = SpecFixture.start()) {
            Incoming m = text(ann, "/help");
            s.send(m);
            s.send(m);
            s.untilIdle();
            assertThat(s.platform().texts()).hasSize(1);
        }
    }

    @Test
    void anUpdateHandledBeforeARestartIsNotHandledAgainAfterIt() {
        try (SpecFixture s = SpecFixture.start()) {
            Incoming credits = text(ann, "credits");
            s.send(credits);
            s.untilText(t -> t.startsWith("Credits:"), "the balance");
            s.restart();
            s.send(credits); // the platform redelivers what it saw unconfirmed before the crash
            s.send(text(ann, "/help"));
            s.untilText(t -> t.contains("/credits"), "the help");
            s.untilIdle();
            assertThat(s.platform().texts()).hasSize(1).noneMatch(t -> t.startsWith("Credits:"));
            assertThat(s.backend().calls("anonymousToken")).as("the identity kept").isEqualTo(1);
        }
    }

    @Test
    void aTurnCutOffByARestartIsNotSentAgainAndTheUserIsToldOnceWhereTheProjectStands() {
        try (SpecFixture s = SpecFixture.start()) {
            MemoryBackend.Hold generating = s.backend().hold();
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.until(() -> s.backend().held() == 1, "the generation to be running");
            s.restart(); // cuts the generation off
            generating.release();
            s.untilText(t -> t.startsWith("I was restarted"), "the user told");
            s.untilIdle();
            assertThat(s.platform().sent()).filteredOn(x -> x instanceof Sent.Text)
                    .extracting(x -> ((Sent.Text) x).recipient()).containsOnly(ann);
            s.restart();
            s.untilIdle();
            assertThat(s.platform().texts()).as("told once").isEmpty();
            assertThat(s.backend().calls("runTurn")).as("never sent again").isEqualTo(1);
        }
    }
}
