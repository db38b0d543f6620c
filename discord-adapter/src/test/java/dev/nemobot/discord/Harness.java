package dev.nemobot.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nemobot.config.DiscordSettings;
import dev.nemobot.config.Secret;
import dev.nemobot.core.chat.ChatEngine;
import dev.nemobot.discord.fake.FakeDiscord;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/** The real JDA, started by {@link DiscordBot}, against a {@link FakeDiscord} on 127.0.0.1. Close after each test. */
final class Harness implements AutoCloseable {
    static final String TOKEN = "MTk4NjIyNDgzNDcxOTI1MjQ4.fake.bot-token-never-shown";
    static final Duration WAIT = Duration.ofSeconds(10);

    final FakeDiscord fake;
    final DiscordBot bot;

    private Harness(FakeDiscord fake, DiscordBot bot) {
        this.fake = fake;
        this.bot = bot;
    }

    static Harness start(ChatEngine engine) throws IOException {
        return start(engine, true, Duration.ofMillis(300), fake -> { });
    }

    static Harness start(ChatEngine engine, boolean allowDms, Duration editInterval,
                         java.util.function.Consumer<FakeDiscord> before) throws IOException {
        return start(engine, allowDms, Clock.systemUTC(), editInterval, before);
    }

    static Harness start(ChatEngine engine, boolean allowDms, Clock clock, Duration editInterval,
                         java.util.function.Consumer<FakeDiscord> before) throws IOException {
        FakeDiscord fake = FakeDiscord.start();
        try {
            before.accept(fake);
            DiscordSettings settings = new DiscordSettings(Secret.of(TOKEN), allowDms,
                    Optional.of(fake.restUrl()), Optional.of(fake.gatewayUrl()));
            DiscordBot bot = DiscordBot.start(settings, engine,
                    new DiscordBot.Options(clock, editInterval, Optional.empty(), WAIT));
            return new Harness(fake, bot);
        } catch (RuntimeException | Error e) {
            fake.close();
            throw e;
        }
    }

    /** One bot instance running {@code shards} against an already started {@code fake}; the caller closes it. */
    static DiscordBot bot(FakeDiscord fake, ChatEngine engine, DiscordSettings.Shards shards) {
        DiscordSettings settings = new DiscordSettings(Secret.of(TOKEN), true,
                Optional.of(fake.restUrl()), Optional.of(fake.gatewayUrl()), shards);
        return DiscordBot.start(settings, engine,
                new DiscordBot.Options(Clock.systemUTC(), Duration.ofMillis(300), Optional.empty(), WAIT));
    }

    /** The first call to the fake matching {@code match}, waited for; a failure names {@code what} and every call. */
    FakeDiscord.Call awaitCall(Predicate<FakeDiscord.Call> match, Duration timeout, String what) {
        await().atMost(timeout).untilAsserted(() -> assertThat(fake.calls().stream().anyMatch(match))
                .as(() -> what + "; calls so far:\n" + fake.describe()).isTrue());
        return fake.calls().stream().filter(match).findFirst().orElseThrow();
    }

    FakeDiscord.Call awaitCall(Predicate<FakeDiscord.Call> match, String what) {
        return awaitCall(match, WAIT, what);
    }

    @Override
    public void close() {
        try {
            bot.close();
        } finally {
            fake.close();
        }
    }
}
