package dev.nemobot.core.store;

import dev.nemobot.core.chat.kit.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals backend tokens for the store with AES-256-GCM, so a copied database file reveals no token. Each value gets a
 * fresh 96-bit nonce and is bound to its row (the user key is the associated data), so a sealed token moved to
 * another row does not open. Thread-safe.
 */
public final class TokenCipher {
    private static final String PREFIX = "v1:";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();
    /**
     * The provider of AES-GCM, looked up once: {@code Cipher.getInstance(name)} walks the provider list on every call
     * and {@code init} chooses a provider again (half of the sealing's CPU time; issue 24, docs/benchmark.md).
     */
    private final Provider provider;

    private TokenCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
        try {
            this.provider = Cipher.getInstance(TRANSFORMATION).getProvider();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    /**
     * A cipher with a key given as base64 of 32 bytes (the {@code BOT_SECRET_KEY} setting).
     *
     * @throws IllegalArgumentException naming the setting when it is not that
     */
    public static TokenCipher fromBase64(String base64Key) {
        byte[] k;
        try {
            k = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            k = new byte[0];
        }
        if (k.length != KEY_BYTES) {
            throw new IllegalArgumentException("Invalid BOT_SECRET_KEY: expected base64 of 32 random bytes "
                    + "(e.g. the output of: openssl rand -base64 32)");
        }
        return new TokenCipher(k);
    }

    /**
     * A cipher with the key kept in {@code file}, generated there once (owner-only permissions) when it is absent.
     *
     * @throws StoreException when the file cannot be read or written, or does not hold a key
     */
    static TokenCipher fromKeyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new StoreException("Cannot read or create the token key file " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw StoreException.keyRefused("The token key file " + file + " does not hold a key (base64 of 32 bytes)", e);
        }
    }

    /**
     * Writes a new key to a temporary file beside {@code file} and links it into place only when no key is there yet:
     * a process that starts at the same moment sees either no file or a whole one (a key file created empty and then
     * written was read empty by a second first start), and both use the one that was linked first.
     */
    private static void create(Path file) throws IOException {
        byte[] k = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(k);
        Path dir = file.toAbsolutePath().getParent();
        PrivateFiles.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp", PrivateFiles.ownerOnlyFile(dir));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap((Base64.getEncoder().encodeToString(k) + "\n")
                        .getBytes(StandardCharsets.US_ASCII)));
                ch.force(true);
            }
            try {
                Files.createLink(file, tmp); // fails when the file exists: never replaces a key in use
            } catch (FileAlreadyExistsException raced) {
                // another process made it first: use theirs
            } catch (UnsupportedOperationException | FileSystemException noLinks) {
                if (Files.exists(file)) {
                    return;
                }
                // no hard links here: an atomic rename (which could replace a key made in the same instant)
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** True when {@code stored} was written by {@link #seal} (older stores kept tokens in plain text). */
    static boolean isSealed(String stored) {
        return stored.startsWith(PREFIX);
    }

    /** Seals {@code token} for the row of {@code userKey}. */
    String seal(String userKey, String token) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance(TRANSFORMATION, provider);
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(userKey.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(token.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    /**
     * Opens a value written by {@link #seal} for the same {@code userKey}.
     *
     * @throws StoreException when it was sealed with another key, for another row, or was altered
     */
    String open(String userKey, String stored) {
        try {
            byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            if (in.length <= NONCE_BYTES) {
                throw new StoreException("A stored token is damaged", null);
            }
            Cipher c = Cipher.getInstance(TRANSFORMATION, provider);
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(userKey.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new StoreException("A stored token does not open with this key: the store was written with another "
                    + "BOT_SECRET_KEY or key file", e);
        }
    }
}
