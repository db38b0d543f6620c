package dev.nemobot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Incoming;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A simulated person's steps: each ends on what a person would take for its outcome. */
class SimUserTest {
    final List<Incoming> sent = new CopyOnWriteArrayList<>();
    final SimUser user = new SimUser(0, new byte[] {1}, id -> 0);

    @Test
    void anUploadThatArrivedGoesOnToThePrompt() {
        CompletableFuture<Void> done = user.start(sent::add, Duration.ofMinutes(1), Runnable::run);
        user.onText("Uploading photo.png…", List.of(Action.CANCEL));
        user.onText("Uploaded photo.png. Now tell me what to make of it.", List.of(Action.OPTIONS));
        assertThat(sent).extracting(Incoming::text).containsExactly("",
                "animate this image into a 5-second video with smooth motion");
        assertThat(done).isNotDone();
        assertThat(user.failure).isNull();
    }

    @Test
    void anUploadToldAsFailedEndsTheUserThereWithWhatTheySaw() {
        CompletableFuture<Void> done = user.start(sent::add, Duration.ofMinutes(1), Runnable::run);
        user.onText("Uploading photo.png…", List.of(Action.CANCEL));
        assertThat(done).isNotDone();
        user.onText("The video backend is unavailable right now.\nPlease try again.", List.of());
        assertThat(done).isDone();
        assertThat(user.failure)
                .isEqualTo("upload failed: The video backend is unavailable right now. Please try again.");
        assertThat(sent).as("no prompt for a project without the image").hasSize(1);
        assertThat(Run.peakConcurrent(List.of(user))).as("under way until they failed").isEqualTo(1);
    }
}
