package dev.nemobot.core.chat.kit;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The data directory's directories and files, readable by the bot's own user only (0700 and 0600 on POSIX file
 * systems, whatever the umask): the store holds sealed tokens and client ids, the key file the key that opens them.
 * Elsewhere (Windows) the defaults stay. Thread-safe.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    public static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Attributes that create a file readable by its owner only (none where POSIX permissions are unknown). */
    public static FileAttribute<?>[] ownerOnlyFile(Path p) {
        return posix(p) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                : new FileAttribute<?>[0];
    }

    /**
     * Creates {@code dir} and its missing parents owner-only (0700). An existing directory is left as it is: it may be
     * the operator's own choice.
     */
    public static Path createDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return dir;
        }
        if (posix(abs)) {
            Files.createDirectories(abs, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        } else {
            Files.createDirectories(abs);
        }
        return dir;
    }

    /** Creates {@code file} empty and owner-only (0600) when it is absent; an existing one is made owner-only. */
    public static void createFile(Path file) throws IOException {
        try {
            Files.createFile(file, ownerOnlyFile(file));
        } catch (FileAlreadyExistsException e) {
            restrict(file);
        }
    }

    /** Makes an existing file owner-only (0600); nothing when it is absent or permissions are not POSIX. */
    public static void restrict(Path file) throws IOException {
        if (posix(file) && Files.exists(file)) {
            try {
                Files.setPosixFilePermissions(file, OWNER_FILE);
            } catch (java.nio.file.NoSuchFileException gone) {
                // removed meanwhile (SQLite drops its -wal and -shm files when the last connection closes)
            }
        }
    }
}
