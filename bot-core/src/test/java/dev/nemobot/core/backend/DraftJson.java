package dev.nemobot.core.backend;

/**
 * A {@link Draft} from the backend's JSON, as {@link NemoCodec} (the backend package's own) decodes it: for the tests
 * of the packages that read drafts (the timeline summary, the catalogue), which cannot reach the codec.
 */
public final class DraftJson {
    private static final NemoCodec CODEC = new NemoCodec();

    private DraftJson() {
    }

    /** The draft {@code json} ({@code state.draft}) decodes to. */
    public static Draft parse(String json) {
        return CODEC.draft(json);
    }
}
