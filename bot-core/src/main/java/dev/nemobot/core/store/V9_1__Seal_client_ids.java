package dev.nemobot.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Seals the client ids earlier versions kept in plain text (a client id obtains new tokens, so it is as secret as
 * one), with the store's key, bound to their row like tokens. A Java migration because the key is the application's;
 * the same statements serve SQLite and PostgreSQL. Rows already sealed are left alone.
 */
final class V9_1__Seal_client_ids extends BaseJavaMigration {
    private final TokenCipher cipher;

    V9_1__Seal_client_ids(TokenCipher cipher) {
        this.cipher = cipher;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        List<String[]> plain = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT user_key, client_id FROM identities "
                + "WHERE client_id NOT LIKE 'v1:%'"); ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                plain.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        try (PreparedStatement u = c.prepareStatement("UPDATE identities SET client_id = ? WHERE user_key = ?")) {
            int n = 0;
            for (String[] row : plain) {
                u.setString(1, JdbcIdentities.sealClientId(cipher, row[0], row[1]));
                u.setString(2, row[0]);
                u.addBatch();
                if (++n % 500 == 0) {
                    u.executeBatch();
                }
            }
            u.executeBatch();
        }
    }
}
