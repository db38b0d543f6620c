package dev.nemobot.config;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Discord bot, enabled by {@code DISCORD_BOT_TOKEN}.
 *
 * @param botToken   the bot token from the developer portal
 * @param allowDms   whether the bot answers direct messages ({@code DISCORD_ALLOW_DMS}, default true)
 * @param restUrl    another REST base such as {@code http://127.0.0.1:9000/api/v10/} ({@code DISCORD_API_URL});
 *                   Discord's own when empty
 * @param gatewayUrl another gateway such as {@code ws://127.0.0.1:9000/gateway} ({@code DISCORD_GATEWAY_URL})
 * @param shards     the gateway shards this instance runs ({@code DISCORD_SHARDS_TOTAL}, {@code DISCORD_SHARDS});
 *                   {@link Shards#SINGLE} (one session for every server) unless set
 */
public record DiscordSettings(Secret botToken, boolean allowDms, Optional<URI> restUrl, Optional<URI> gatewayUrl,
                              Shards shards) {
    public DiscordSettings {
        Objects.requireNonNull(botToken, "botToken");
        Objects.requireNonNull(restUrl, "restUrl");
        Objects.requireNonNull(gatewayUrl, "gatewayUrl");
        Objects.requireNonNull(shards, "shards");
    }

    /** One gateway session for every server ({@link Shards#SINGLE}). */
    public DiscordSettings(Secret botToken, boolean allowDms, Optional<URI> restUrl, Optional<URI> gatewayUrl) {
        this(botToken, allowDms, restUrl, gatewayUrl, Shards.SINGLE);
    }

    public DiscordSettings withShards(Shards s) {
        return new DiscordSettings(botToken, allowDms, restUrl, gatewayUrl, s);
    }

    /**
     * Discord's sharding: the bot's servers are split over {@code total} gateway sessions (a server lives on shard
     * {@code (server_id >> 22) % total}), and this instance opens the sessions {@code ids}. Several instances with the
     * same total and disjoint ids split a large bot; direct messages arrive on shard 0 only.
     *
     * @param total how many shards the bot runs across all instances (1..{@value #MAX_TOTAL})
     * @param ids   the shards this instance runs: ascending, distinct, each within {@code 0..total-1}, not empty
     */
    public record Shards(int total, List<Integer> ids) {
        public static final int MAX_TOTAL = 100_000;
        /** Unsharded: one session, shard 0 of 1. */
        public static final Shards SINGLE = new Shards(1, List.of(0));

        public Shards {
            Objects.requireNonNull(ids, "ids");
            ids = List.copyOf(ids);
            if (total < 1 || total > MAX_TOTAL) {
                throw new IllegalArgumentException("total must be within 1.." + MAX_TOTAL + ", was " + total);
            }
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("ids must not be empty");
            }
            int previous = -1;
            for (int id : ids) {
                if (id <= previous || id >= total) {
                    throw new IllegalArgumentException("ids must be ascending, distinct and within 0.." + (total - 1)
                            + ", were " + ids);
                }
                previous = id;
            }
        }

        /** Every shard of {@code total} in this one instance. */
        public static Shards all(int total) {
            return range(0, total - 1, total);
        }

        /** The shards {@code first..last} (inclusive) of {@code total}. */
        public static Shards range(int first, int last, int total) {
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("a range needs 0 <= first <= last, was " + first + "-" + last);
            }
            return new Shards(total, java.util.stream.IntStream.rangeClosed(first, last).boxed().toList());
        }

        /** True when this instance runs shard 0, which carries the direct messages and registers the commands. */
        public boolean holdsShardZero() {
            return ids.getFirst() == 0;
        }

        /** True when the bot is split into more than one shard. */
        public boolean sharded() {
            return total > 1;
        }

        /** Compact form for logs: {@code 0-3,8 of 16}. */
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < ids.size()) {
                int j = i;
                while (j + 1 < ids.size() && ids.get(j + 1) == ids.get(j) + 1) {
                    j++;
                }
                out.append(out.isEmpty() ? "" : ",").append(ids.get(i));
                if (j > i) {
                    out.append('-').append(ids.get(j));
                }
                i = j + 1;
            }
            return out + " of " + total;
        }
    }
}
