package dev.nemobot.core.intake;

import dev.nemobot.core.chat.Attachment;
import java.util.List;
import java.util.Objects;

/** Where the {@link Router} sends a message. */
sealed interface Route {

    /**
     * A command or keyword handled without an SSE turn; {@code command} is the unknown command as typed
     * ({@code /foo}) for {@link Intent#UNKNOWN_COMMAND}, the result id a quick edit's button names for
     * {@link Intent#AGAIN}, {@link Intent#LONGER} and {@link Intent#ADD_MUSIC}, what follows {@code /settings} (the
     * change asked for) for {@link Intent#SETTINGS}, the page for {@link Intent#VIDEOS}, else "".
     */
    record Do(Intent intent, String command) implements Route {
        public Do {
            Objects.requireNonNull(intent, "intent");
            command = command == null ? "" : command;
        }

        /** A known command or keyword. */
        public Do(Intent intent) {
            this(intent, "");
        }
    }

    /** Files to upload; {@code caption} (maybe "") is sent as a turn once the upload succeeded. */
    record Upload(List<Attachment> files, String caption) implements Route {
        public Upload {
            files = List.copyOf(files);
            if (files.isEmpty()) {
                throw new IllegalArgumentException("an upload needs at least one file");
            }
            Objects.requireNonNull(caption, "caption");
        }
    }

    /**
     * Several images with one request (a Discord message with several images, a Telegram album): each image its own
     * take of {@code caption}, one after the other, in the order sent ({@link Router#MAX_BATCH} at most; more is
     * refused before anything is spent).
     */
    record Batch(List<Attachment> images, String caption) implements Route {
        public Batch {
            images = List.copyOf(images);
            if (images.size() < 2) {
                throw new IllegalArgumentException("a batch needs at least two images");
            }
            if (caption == null || caption.isBlank()) {
                throw new IllegalArgumentException("a batch needs a request");
            }
        }
    }

    /** Everything else: one {@code /run_sse} turn with this text. */
    record Turn(String text) implements Route {
        public Turn {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("a turn needs text");
            }
        }
    }

    /** An empty message: nothing to do. */
    record Nothing() implements Route {
    }
}
