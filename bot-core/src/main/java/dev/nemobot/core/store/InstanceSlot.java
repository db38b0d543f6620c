package dev.nemobot.core.store;

import dev.nemobot.core.chat.kit.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * This process's name in leases, kept in the data directory so that a restart takes its own work back at once
 * instead of waiting for its leases to lapse. Slot {@code k} is {@code instances/k.id} with {@code instances/k.lock};
 * a process takes the first slot whose lock is free and holds the lock until it closes (the OS releases it when the
 * process dies, even by kill -9). Two processes on one data directory so get two names. With {@code BOT_INSTANCE_ID}
 * the name is given, and its lock stops a second process from using the same name on this machine.
 */
final class InstanceSlot implements AutoCloseable {
    private static final int MAX_SLOTS = 64;
    private static final java.util.Set<StandardOpenOption> LOCK_OPEN =
            java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);

    private final String id;
    private final FileChannel channel;
    private final FileLock lock;

    private InstanceSlot(String id, FileChannel channel, FileLock lock) {
        this.id = id;
        this.channel = channel;
        this.lock = lock;
    }

    String id() {
        return id;
    }

    /**
     * @throws StoreException when the directory cannot be written, the given name is in use by another process here,
     *                        or every slot is taken
     */
    static InstanceSlot take(Path dataDir, Optional<String> given) {
        Path dir = dataDir.resolve("instances");
        try {
            PrivateFiles.createDirectories(dir);
            if (given.isPresent()) {
                InstanceSlot s = tryLock(dir.resolve("named-" + given.get() + ".lock"), given.get());
                if (s == null) {
                    throw new StoreException("Another bot process on this machine already runs as BOT_INSTANCE_ID="
                            + given.get() + ": give each instance its own BOT_INSTANCE_ID", null);
                }
                return s;
            }
            for (int k = 0; k < MAX_SLOTS; k++) {
                FileChannel ch = FileChannel.open(dir.resolve(k + ".lock"), LOCK_OPEN, PrivateFiles.ownerOnlyFile(dir));
                FileLock l = lockOrNull(ch);
                if (l == null) {
                    ch.close();
                    continue;
                }
                Path idFile = dir.resolve(k + ".id");
                String id;
                if (Files.exists(idFile)) {
                    id = Files.readString(idFile, StandardCharsets.US_ASCII).strip();
                } else {
                    id = UUID.randomUUID().toString();
                    PrivateFiles.createFile(idFile);
                    Files.writeString(idFile, id + "\n", StandardCharsets.US_ASCII);
                }
                return new InstanceSlot(id, ch, l);
            }
            throw new StoreException(MAX_SLOTS + " bot processes already use the data directory " + dataDir, null);
        } catch (IOException e) {
            throw new StoreException("Cannot keep the instance id under " + dir + ": " + e.getMessage(), e);
        }
    }

    private static InstanceSlot tryLock(Path file, String id) throws IOException {
        FileChannel ch = FileChannel.open(file, LOCK_OPEN, PrivateFiles.ownerOnlyFile(file));
        FileLock l = lockOrNull(ch);
        if (l == null) {
            ch.close();
            return null;
        }
        return new InstanceSlot(id, ch, l);
    }

    private static FileLock lockOrNull(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            return null; // held by another store in this JVM (tests run several instances in one process)
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
