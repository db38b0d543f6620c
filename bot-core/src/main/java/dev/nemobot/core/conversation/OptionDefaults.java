package dev.nemobot.core.conversation;

import dev.nemobot.core.chat.options.OptionException;
import dev.nemobot.core.chat.options.OptionParser;
import dev.nemobot.core.chat.options.VideoOptions;
import dev.nemobot.core.store.UserDefaults;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each user's default video options ({@code /settings}) over the store's {@link UserDefaults}, kept as the flags they
 * would type. A request's own options win over them. A store that fails to answer gives no defaults (the request
 * runs as asked) rather than no request. Thread-safe.
 */
final class OptionDefaults {
    private static final Logger log = LoggerFactory.getLogger(OptionDefaults.class);

    private final UserDefaults store;

    public OptionDefaults(UserDefaults store) {
        this.store = store;
    }

    /** {@code userKey}'s defaults; none when they set none, or the store cannot say. */
    public VideoOptions of(String userKey) {
        String flags;
        try {
            flags = store.get(userKey);
        } catch (RuntimeException e) {
            log.warn("a user's default options could not be read: {}", e.toString());
            return VideoOptions.NONE;
        }
        return read(flags);
    }

    /** Flags as kept; a value no longer allowed is dropped, the others are kept. */
    static VideoOptions read(String flags) {
        if (flags == null || flags.isBlank()) {
            return VideoOptions.NONE;
        }
        try {
            return OptionParser.parse(flags).options();
        } catch (OptionException e) {
            // one flag at a time: the ones still allowed are kept
            VideoOptions o = VideoOptions.NONE;
            for (String one : flags.split("\\s+(?=--)")) {
                try {
                    o = OptionParser.parse(one).options().over(o);
                } catch (OptionException ignored) {
                    // that option's kept value is no longer allowed
                }
            }
            return o;
        }
    }

    /**
     * {@code userKey}'s defaults with {@code changes} set over them and {@code cleared} forgotten; what is kept now.
     */
    public VideoOptions change(String userKey, VideoOptions changes, Set<VideoOptions.Name> cleared) {
        VideoOptions now = changes.over(of(userKey).without(cleared));
        store.put(userKey, now.asFlags());
        return now;
    }

    /** Forgets {@code userKey}'s defaults. */
    public void clear(String userKey) {
        store.put(userKey, "");
    }
}
