package dev.nemobot.core.store.memory;

import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.store.InterruptedTurn;
import dev.nemobot.core.store.StoreException;
import dev.nemobot.core.store.TurnClaims;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@link TurnClaims} in memory, for one instance: every claim succeeds (no other instance runs a turn), a turn's end
 * releases only that turn, and its own turns are taken back only with {@code includeOwn} (as at a start). Past
 * {@code maxUsers} running turns a new claim is refused ({@link StoreException}). Thread-safe.
 */
final class MemoryTurnClaims implements TurnClaims {

    private record Row(InterruptedTurn turn, String turnId) {
    }

    private final int maxUsers;
    private final Map<String, Row> rows = new HashMap<>();

    public MemoryTurnClaims(int maxUsers) {
        this.maxUsers = maxUsers;
    }

    @Override
    public synchronized boolean claim(ChatUser user, Conversation conversation, Instant startedAt, String turnId) {
        if (rows.size() >= maxUsers && !rows.containsKey(user.key())) {
            throw new StoreException("Store failed to claim turn: the in-memory store is full (" + maxUsers
                    + " running turns)", null);
        }
        rows.put(user.key(), new Row(new InterruptedTurn(user, conversation, startedAt), turnId));
        return true;
    }

    /** Forgets {@code userKey}'s running turn; 1 when there was one, else 0. */
    synchronized int removeUser(String userKey) {
        return rows.remove(userKey) != null ? 1 : 0;
    }

    @Override
    public synchronized void end(String userKey, String turnId) {
        Row row = rows.get(userKey);
        if (row != null && row.turnId().equals(turnId)) {
            rows.remove(userKey);
        }
    }

    @Override
    public synchronized List<InterruptedTurn> claimInterrupted(String platform, boolean includeOwn) {
        if (!includeOwn) {
            return List.of(); // the turns here are running here
        }
        List<InterruptedTurn> out = new ArrayList<>();
        for (Iterator<Row> it = rows.values().iterator(); it.hasNext(); ) {
            InterruptedTurn t = it.next().turn();
            if (t.conversation().platform().equals(platform)) {
                out.add(t);
                it.remove();
            }
        }
        out.sort(Comparator.comparing(InterruptedTurn::startedAt));
        return out;
    }
}
