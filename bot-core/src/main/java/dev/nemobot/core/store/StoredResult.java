package dev.nemobot.core.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The request behind one delivered result, kept for the buttons under it ([Again], [Longer]) and for the user's
 * history ({@code /videos}). Immutable.
 *
 * @param resultId  a short random id, carried by the result's buttons
 * @param userKey   whose result it is ({@code platform:id}); a button only finds its owner's results
 * @param sessionId the backend project (session) the result was made in
 * @param prompt    the user's own request that made it
 * @param imageRef  where the backend can fetch the image again (an http(s) URL of the uploaded image), when known:
 *                  the request can then be run in another project (after /new)
 * @param createdAt   when it was kept; pruned {@link Results#KEEP} later
 * @param deliveredAt when its video (or its link) was last delivered; empty until then ({@link Results#delivered})
 * @param videoUrl    the link to that video, when the backend gave one the delivery checked (an http(s) URL)
 */
public record StoredResult(String resultId, String userKey, String sessionId, String prompt,
                           Optional<String> imageRef, Instant createdAt, Optional<Instant> deliveredAt,
                           Optional<String> videoUrl) {
    public StoredResult {
        Objects.requireNonNull(resultId, "resultId");
        Objects.requireNonNull(userKey, "userKey");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(imageRef, "imageRef");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(deliveredAt, "deliveredAt");
        Objects.requireNonNull(videoUrl, "videoUrl");
    }

    /** A result not delivered yet, as a generation keeps it. */
    public StoredResult(String resultId, String userKey, String sessionId, String prompt, Optional<String> imageRef,
                        Instant createdAt) {
        this(resultId, userKey, sessionId, prompt, imageRef, createdAt, Optional.empty(), Optional.empty());
    }

    /** This result, delivered at {@code at} with the link {@code videoUrl} (when one is trusted). */
    public StoredResult delivered(Instant at, Optional<String> videoUrl) {
        return new StoredResult(resultId, userKey, sessionId, prompt, imageRef, createdAt, Optional.of(at), videoUrl);
    }
}
