package dev.nemobot.core.export;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what downloads left in the temporary directory when the process died mid-way: {@code .part} files (and
 * {@code .mp4} files never sent) not written to for {@link #STALE_AFTER}. A download in progress, here or in another
 * instance sharing the directory, writes its file all along and an export gives up long before (its render time-out),
 * so only abandoned files are that old. Only regular files directly in the directory; links are not followed.
 */
final class TempSweep {
    private static final Logger log = LoggerFactory.getLogger(TempSweep.class);
    /** A file untouched this long is abandoned. */
    public static final Duration STALE_AFTER = Duration.ofHours(6);

    private TempSweep() {
    }

    /** Sweeps {@code dir} (absent: nothing to do) of files last modified before {@code now - STALE_AFTER}; how many. */
    public static int sweep(Path dir, Instant now) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        Instant cutoff = now.minus(STALE_AFTER);
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{part,mp4}")) {
            for (Path f : files) {
                try {
                    if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                            && Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff)
                            && Files.deleteIfExists(f)) {
                        deleted++;
                    }
                } catch (NoSuchFileException gone) {
                    // another instance swept it first
                } catch (IOException e) {
                    log.warn("cannot delete the stale temporary file {}: {}", f.getFileName(), e.toString());
                }
            }
        } catch (IOException e) {
            log.warn("cannot sweep the temporary directory {}: {}", dir, e.toString());
        }
        if (deleted > 0) {
            log.info("deleted {} temporary file(s) left by an interrupted download under {}", deleted, dir);
        }
        return deleted;
    }
}
