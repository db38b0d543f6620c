package dev.nemobot.core.console;

import dev.nemobot.core.Engine;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Activity;
import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.chat.MessageRef;
import dev.nemobot.core.chat.VideoRejectedException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat platform on standard input and output, for local use and the demo. Each input line is a message from one
 * local user; a line that starts with the path of an existing file sends that file, the rest of the line being its
 * caption. Replies are printed as {@code bot> …} lines (an edit prints the new text again); videos are copied under
 * {@code outDir} and their path printed. Thread-safe: the engine prints from its virtual threads.
 */
public final class ConsoleChat implements ChatPlatform {
    public static final String NAME = "console";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("heic", "image/heic"),
            Map.entry("mp4", "video/mp4"), Map.entry("mov", "video/quicktime"), Map.entry("webm", "video/webm"),
            Map.entry("mkv", "video/x-matroska"), Map.entry("avi", "video/x-msvideo"), Map.entry("mp3", "audio/mpeg"),
            Map.entry("wav", "audio/wav"), Map.entry("m4a", "audio/mp4"), Map.entry("aac", "audio/aac"));

    private static final java.util.regex.Pattern COMMAND =
            java.util.regex.Pattern.compile("/[A-Za-z_]+(@\\S+)?(\\s.*)?", java.util.regex.Pattern.DOTALL);

    private final PrintStream out;
    private final Path outDir;
    private final ChatUser user;
    private final Conversation conversation = new Conversation(NAME, "local", false);
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, String> shown = new ConcurrentHashMap<>();

    /**
     * @param out    where replies are printed
     * @param outDir where videos are saved ({@code BOT_DATA_DIR/out})
     * @param user   the local user (use {@link #localUser()})
     */
    public ConsoleChat(PrintStream out, Path outDir, ChatUser user) {
        this.out = out;
        this.outDir = outDir;
        this.user = user;
    }

    /** The person at the keyboard: the OS user name and the default locale. */
    public static ChatUser localUser() {
        String name = System.getProperty("user.name", "you");
        return new ChatUser(NAME, name, name, Locale.getDefault());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long uploadLimitBytes(Conversation conversation) {
        return Long.MAX_VALUE; // a local file has no upload limit
    }

    @Override
    public void showActivity(Conversation conversation, Activity activity) {
        // a terminal has no typing indicator; the first reply is the acknowledgement
    }

    @Override
    public MessageRef send(Conversation conversation, ChatUser recipient, String text, List<Action> actions) {
        MessageRef ref = new MessageRef(conversation, Integer.toString(ids.incrementAndGet()));
        shown.put(ref.id(), text);
        print(text, actions);
        return ref;
    }

    @Override
    public void edit(MessageRef message, String text, List<Action> actions) {
        String before = shown.put(message.id(), text);
        if (text.equals(before)) {
            return;
        }
        // a terminal cannot edit: print only what was added when the text grew, else the whole new text
        String added = before != null && text.startsWith(before) ? text.substring(before.length()).strip() : text;
        if (!added.isEmpty() || !actions.isEmpty()) {
            print(added, actions);
        }
    }

    @Override
    public MessageRef sendVideo(Conversation conversation, ChatUser recipient, Path mp4, String caption,
                                List<Action> actions) {
        try {
            dev.nemobot.core.files.PrivateFiles.createDirectories(outDir);
            Path target = outDir.resolve("video-" + System.currentTimeMillis() + "-" + ids.incrementAndGet() + ".mp4");
            Files.copy(mp4, target, StandardCopyOption.REPLACE_EXISTING);
            print(caption, actions);
            print("Saved the video: " + target.toAbsolutePath().normalize(), List.of());
            return new MessageRef(conversation, Integer.toString(ids.get()));
        } catch (IOException e) {
            throw new VideoRejectedException("cannot save under " + outDir + ": " + e.getMessage(), e);
        }
    }

    private void print(String text, List<Action> actions) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            b.append("bot> ").append(line).append(System.lineSeparator());
        }
        if (!actions.isEmpty()) {
            b.append("bot>   [");
            for (int i = 0; i < actions.size(); i++) {
                b.append(i == 0 ? "" : " ").append(actions.get(i).command());
            }
            b.append("]").append(System.lineSeparator());
        }
        synchronized (out) {
            out.print(b);
            out.flush();
        }
    }

    /** Turns one input line into a message ({@code Optional.empty()} for a blank line). */
    public Optional<Incoming> parse(String line) {
        String text = line.strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String id = "line-" + ids.incrementAndGet();
        Optional<Path> file = leadingFile(text);
        if (file.isPresent()) {
            Path p = file.get();
            String caption = text.substring(p.toString().length()).strip();
            String name = p.getFileName().toString();
            long size;
            try {
                size = Files.size(p);
            } catch (IOException e) {
                size = -1;
            }
            Attachment a = new Attachment(name, contentType(name), size, () -> Files.newInputStream(p));
            return Optional.of(new Incoming(id, user, conversation, caption, List.of(a)));
        }
        return Optional.of(new Incoming(id, user, conversation, text, List.of()));
    }

    /** The longest prefix of {@code text}, ending at a space or the end, that names a regular file. */
    private static Optional<Path> leadingFile(String text) {
        if (COMMAND.matcher(text).matches()) {
            return Optional.empty(); // "/export" is a command, "/home/me/a.png …" a path
        }
        Optional<Path> found = Optional.empty();
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || Character.isWhitespace(text.charAt(i))) {
                String candidate = text.substring(0, i);
                if (isFile(candidate)) {
                    found = Optional.of(Path.of(candidate));
                }
            }
        }
        return found;
    }

    private static boolean isFile(String s) {
        try {
            return !s.isEmpty() && Files.isRegularFile(Path.of(s));
        } catch (RuntimeException invalidPath) {
            return false;
        }
    }

    private static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    /**
     * Reads {@code in} to its end, handing each line to {@code inbox}; then waits (up to {@code maxWait}) for the
     * engine to finish the work still in flight.
     *
     * @return true if everything finished in time
     */
    public boolean run(BufferedReader in, Inbox inbox, Engine engine, Duration maxWait) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            parse(line).ifPresent(inbox::accept);
        }
        return engine.awaitIdle(maxWait);
    }
}
