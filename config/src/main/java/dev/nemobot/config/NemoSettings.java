package dev.nemobot.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach NemoVideo's backend.
 *
 * @param apiUrl        API base ({@code NEMO_API_URL})
 * @param webUrl        web app base for task and sign-up links ({@code NEMO_WEB_URL})
 * @param token         an operator's account token ({@code NEMO_TOKEN}); when present no anonymous tokens are fetched
 * @param skillPlatform value of {@code X-Skill-Platform} ({@code SKILL_SOURCE})
 * @param skillVersion  value of {@code X-Skill-Version} ({@code SKILL_VERSION})
 * @param renderPoll    time between two export polls ({@code NEMO_RENDER_POLL_SECONDS}); with the adaptive schedule
 *                      the longest gap between two polls
 * @param pollMode      how export polls are spaced ({@code NEMO_RENDER_POLL}: adaptive or fixed)
 * @param downloadHosts origins besides the API's own that a finished video may be downloaded from
 *                      ({@code NEMO_DOWNLOAD_HOSTS}, lower case; a CDN or bucket the backend links to): {@code host}
 *                      for the scheme's default port, {@code host:port} for another ({@code [v6]:port} for an IPv6
 *                      address); another port of a listed host is not allowed
 * @param caFile        a PEM file of certificates to trust for the backend's TLS besides the JDK's own
 *                      ({@code NEMO_CA_FILE}): a backend behind a private CA, or a test backend's self-signed one;
 *                      empty: the JDK's trust store alone
 */
public record NemoSettings(URI apiUrl, URI webUrl, Optional<Secret> token, String skillPlatform,
                           String skillVersion, Duration renderPoll, PollMode pollMode, List<String> downloadHosts,
                           Optional<Path> caFile) {

    /** How export status polls are spaced. */
    public enum PollMode {
        /** Near the completion predicted from the progress figure and the time elapsed (never further apart than
         *  {@link #renderPoll()}). */
        ADAPTIVE,
        /** Every {@link #renderPoll()}, as the published guide does. */
        FIXED
    }

    /** Value of {@code X-Skill-Source}: fixed by the backend's contract. */
    public static final String SKILL_SOURCE = "pixverse-ai-image-to-video";
    public static final URI DEFAULT_API_URL = URI.create("https://mega-api-prod.nemovideo.ai");
    public static final URI DEFAULT_WEB_URL = URI.create("https://nemovideo.com");

    public NemoSettings {
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(webUrl, "webUrl");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(skillPlatform, "skillPlatform");
        Objects.requireNonNull(skillVersion, "skillVersion");
        Objects.requireNonNull(pollMode, "pollMode");
        Objects.requireNonNull(caFile, "caFile");
        downloadHosts = downloadHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        if (renderPoll.isNegative() || renderPoll.isZero()) {
            throw new IllegalArgumentException("renderPoll must be positive, was " + renderPoll);
        }
    }

    /** The JDK's trust store alone. */
    public NemoSettings(URI apiUrl, URI webUrl, Optional<Secret> token, String skillPlatform, String skillVersion,
                        Duration renderPoll, PollMode pollMode, List<String> downloadHosts) {
        this(apiUrl, webUrl, token, skillPlatform, skillVersion, renderPoll, pollMode, downloadHosts, Optional.empty());
    }

    /** Downloads from the API's host only. */
    public NemoSettings(URI apiUrl, URI webUrl, Optional<Secret> token, String skillPlatform, String skillVersion,
                        Duration renderPoll, PollMode pollMode) {
        this(apiUrl, webUrl, token, skillPlatform, skillVersion, renderPoll, pollMode, List.of());
    }

    /** The adaptive poll schedule. */
    public NemoSettings(URI apiUrl, URI webUrl, Optional<Secret> token, String skillPlatform, String skillVersion,
                        Duration renderPoll) {
        this(apiUrl, webUrl, token, skillPlatform, skillVersion, renderPoll, PollMode.ADAPTIVE);
    }

    /** Settings for a backend at {@code apiUrl} with every other value at its default. */
    public static NemoSettings at(URI apiUrl) {
        return new NemoSettings(apiUrl, DEFAULT_WEB_URL, Optional.empty(), "unknown", "1.0.0", Duration.ofSeconds(30));
    }

    public NemoSettings withToken(Secret operatorToken) {
        return new NemoSettings(apiUrl, webUrl, Optional.of(operatorToken), skillPlatform, skillVersion, renderPoll, pollMode, downloadHosts, caFile);
    }

    public NemoSettings withRenderPoll(Duration poll) {
        return new NemoSettings(apiUrl, webUrl, token, skillPlatform, skillVersion, poll, pollMode, downloadHosts, caFile);
    }

    public NemoSettings withPollMode(PollMode mode) {
        return new NemoSettings(apiUrl, webUrl, token, skillPlatform, skillVersion, renderPoll, mode, downloadHosts, caFile);
    }

    public NemoSettings withWebUrl(URI web) {
        return new NemoSettings(apiUrl, web, token, skillPlatform, skillVersion, renderPoll, pollMode, downloadHosts, caFile);
    }

    public NemoSettings withDownloadHosts(List<String> hosts) {
        return new NemoSettings(apiUrl, webUrl, token, skillPlatform, skillVersion, renderPoll, pollMode, hosts, caFile);
    }

    /** Trust the certificates in {@code pem} (a PEM file) for the backend besides the JDK's own. */
    public NemoSettings withCaFile(Path pem) {
        return new NemoSettings(apiUrl, webUrl, token, skillPlatform, skillVersion, renderPoll, pollMode, downloadHosts,
                Optional.of(pem));
    }
}
