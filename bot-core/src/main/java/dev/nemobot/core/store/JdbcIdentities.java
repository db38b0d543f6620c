package dev.nemobot.core.store;

import dev.nemobot.config.Secret;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link IdentityRecords} in the {@code identities} table: tokens and client ids sealed with the store's key, each
 * bound to its row. Thread-safe.
 */
final class JdbcIdentities implements IdentityRecords {
    private static final String CLIENT_ID_AAD = "client_id:";

    private final Database db;
    private final GroupCommitWriter writer;
    private final TokenCipher cipher;
    private final Clock clock;

    JdbcIdentities(Database db, GroupCommitWriter writer, Clock clock) {
        this.db = db;
        this.writer = writer;
        this.cipher = db.cipher();
        this.clock = clock;
    }

    /**
     * A client id sealed for its row. The associated data differs from the token's, so a sealed token copied into
     * the client id column (or back) does not open.
     */
    static String sealClientId(TokenCipher cipher, String userKey, String clientId) {
        return cipher.seal(CLIENT_ID_AAD + userKey, clientId);
    }

    /** Opens a client id {@link #sealClientId} sealed for the row of {@code userKey}. */
    static String openSealedClientId(TokenCipher cipher, String userKey, String sealed) {
        return cipher.open(CLIENT_ID_AAD + userKey, sealed);
    }

    /** A stored client id; one still in plain text (written by an older instance sharing the store) as it is. */
    private String openClientId(String userKey, String stored) {
        return TokenCipher.isSealed(stored) ? openSealedClientId(cipher, userKey, stored) : stored;
    }

    @Override
    public Optional<StoredIdentity> find(String userKey) {
        return db.read("read identity", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT client_id, token, token_expires_at, task_id, "
                    + "session_id, bind_id, language FROM identities WHERE user_key = ?")) {
                ps.setString(1, userKey);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    String token = rs.getString(2);
                    long expires = rs.getLong(3);
                    boolean hasToken = token != null && !rs.wasNull();
                    Optional<StoredIdentity.StoredSession> session = Optional.empty();
                    if (rs.getString(5) != null) {
                        session = Optional.of(new StoredIdentity.StoredSession(rs.getString(4), rs.getString(5),
                                Optional.ofNullable(rs.getString(6)), Optional.ofNullable(rs.getString(7)).orElse("en")));
                    }
                    return Optional.of(new StoredIdentity(userKey, openClientId(userKey, rs.getString(1)),
                            hasToken ? Optional.of(Secret.of(cipher.open(userKey, token))) : Optional.empty(),
                            hasToken ? Optional.of(Instant.ofEpochMilli(expires)) : Optional.empty(), session));
                }
            }
        });
    }

    @Override
    public Optional<String> sessionIdOf(String userKey) {
        return db.read("read identity", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT session_id FROM identities WHERE user_key = ?")) {
                ps.setString(1, userKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public void save(StoredIdentity id) {
        // sealed here, on the caller's thread, not on SQLite's one writer thread
        String sealed = id.token().map(t -> cipher.seal(id.userKey(), t.reveal())).orElse(null);
        String clientId = sealClientId(cipher, id.userKey(), id.clientId());
        writer.write("save identity", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO identities (user_key, client_id, token, "
                    + "token_expires_at, task_id, session_id, bind_id, language, updated_at) VALUES (?,?,?,?,?,?,?,?,?) "
                    + "ON CONFLICT (user_key) DO UPDATE SET client_id = excluded.client_id, token = excluded.token, "
                    + "token_expires_at = excluded.token_expires_at, task_id = excluded.task_id, "
                    + "session_id = excluded.session_id, bind_id = excluded.bind_id, language = excluded.language, "
                    + "updated_at = excluded.updated_at")) {
                ps.setString(1, id.userKey());
                ps.setString(2, clientId);
                ps.setString(3, sealed);
                if (id.tokenExpiresAt().isPresent()) {
                    ps.setLong(4, id.tokenExpiresAt().get().toEpochMilli());
                } else {
                    ps.setNull(4, Types.BIGINT);
                }
                ps.setString(5, id.session().map(StoredIdentity.StoredSession::taskId).orElse(null));
                ps.setString(6, id.session().map(StoredIdentity.StoredSession::sessionId).orElse(null));
                ps.setString(7, id.session().flatMap(StoredIdentity.StoredSession::bindId).orElse(null));
                ps.setString(8, id.session().map(StoredIdentity.StoredSession::language).orElse(null));
                ps.setLong(9, clock.millis());
                ps.executeUpdate();
            }
            return null;
        });
    }
}
