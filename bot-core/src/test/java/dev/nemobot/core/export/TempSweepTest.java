package dev.nemobot.core.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the sweep at start deletes (moved here from HousekeepingTest with the sweep, which the exporter runs). */
class TempSweepTest {
    @Test
    void staleTemporaryFilesAreSweptAtStartAndFreshOnesKept(@TempDir Path dir) throws IOException {
        Instant now = Instant.parse("2026-12-04T12:00:00Z");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path stale = touch(tmp.resolve("r1-abc.mp4.part"), now.minus(Duration.ofHours(7)));
        Path staleVideo = touch(tmp.resolve("r2-abc.mp4"), now.minus(Duration.ofHours(7)));
        Path inUse = touch(tmp.resolve("r3-abc.mp4.part"), now.minus(Duration.ofMinutes(3)));
        Path other = touch(tmp.resolve("notes.txt"), now.minus(Duration.ofDays(30)));

        assertThat(TempSweep.sweep(tmp, now)).isEqualTo(2);
        assertThat(stale).doesNotExist();
        assertThat(staleVideo).doesNotExist();
        assertThat(inUse).exists();
        assertThat(other).exists();
        assertThat(TempSweep.sweep(dir.resolve("absent"), now)).isZero();
    }

    private static Path touch(Path file, Instant modified) throws IOException {
        Files.writeString(file, "x");
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }
}
