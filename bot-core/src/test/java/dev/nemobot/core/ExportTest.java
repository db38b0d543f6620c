package dev.nemobot.core;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.testing.EngineFixture;
import dev.nemobot.core.testing.RecordingPlatform;
import dev.nemobot.core.testing.RecordingPlatform.Sent;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The export end to end (the real client's download from the simulator into the data directory); what the engine
 * does around exports is specified in {@code dev.nemobot.core.spec.ExportSpec}.
 */
class ExportTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String ANIMATE = ConversationFlowTest.ANIMATE;
    private final ChatUser ann = user("telegram", "1", Locale.ENGLISH);

    @Test
    void aVideoThatCannotBeWrittenToTheDataDirectoryIsSentAsALink() throws Exception {
        try (EngineFixture f = EngineFixture.start()) {
            // a file where the temporary directory should be
            java.nio.file.Files.writeString(f.dataDir().resolve("tmp"), "not a directory");
            RecordingPlatform p = new RecordingPlatform("telegram", 50_000_000);
            f.engine().attach(p).accept(file(ann, ANIMATE, png("photo.png")));
            Sent link = p.awaitText(t -> t.contains("could not store the file") && t.contains("workspace/claim"), WAIT);
            assertThat(link.shownText()).startsWith("The video is ready, but I could not store the file on my side")
                    .as("nothing was downloaded, so the backend's unchecked output URL is not passed on")
                    .doesNotContain("Download it here").doesNotContain("/files/");
            assertThat(f.engine().awaitIdle(WAIT)).isTrue();
            assertThat(p.sent()).noneMatch(s -> s instanceof Sent.Video);
        }
    }
}
