package dev.nemobot.app;

import dev.nemobot.core.Engine;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Activity;
import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Choice;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.Inbox;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.chat.MessageRef;
import dev.nemobot.core.chat.ReplyTo;
import dev.nemobot.core.chat.VideoRejectedException;
import dev.nemobot.core.chat.kit.Catalogue;
import dev.nemobot.core.chat.kit.FileType;
import dev.nemobot.core.chat.Lang;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat platform on standard input and output, for local use and the demo. Each input line is a message from one
 * local user, handed on when the one before has been answered; a line that starts with the path of an existing file
 * (quoted, escaped, {@code ~/} or {@code file://} too) sends that file, the rest of the line being its caption. Replies are printed as {@code bot> …} lines (an edit prints the new text again); videos are copied under
 * {@code outDir} and their path printed. An adapter like the Telegram and Discord ones, it uses only the engine's
 * front door: the port ({@code core.chat}), its tools ({@code core.chat.kit}) and {@link Engine}. Thread-safe: the
 * engine prints from its virtual threads.
 */
public final class ConsoleChat implements ChatPlatform {
    public static final String NAME = "console";
    private static final java.util.regex.Pattern COMMAND =
            java.util.regex.Pattern.compile("/[A-Za-z_]+(@\\S+)?(\\s.*)?", java.util.regex.Pattern.DOTALL);

    /** Lines typed ahead of the bot: beyond these, reading waits. */
    private static final int PENDING_LINES = 100;

    private final PrintStream out;
    private final Path outDir;
    private final ChatUser user;
    private final Conversation conversation = new Conversation(NAME, "local", false);
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, String> shown = new ConcurrentHashMap<>();

    /**
     * @param out    where replies are printed
     * @param outDir where videos are saved ({@code BOT_DATA_DIR/out})
     * @param user   the local user (use {@link #localUser(Map)})
     */
    public ConsoleChat(PrintStream out, Path outDir, ChatUser user) {
        this.out = out;
        this.outDir = outDir;
        this.user = user;
    }

    /**
     * The person at the keyboard: the OS user name, and the language the POSIX locale variables of {@code env} name
     * (the first set of LC_ALL, LC_MESSAGES, LANG, e.g. {@code LANG=ja_JP.UTF-8}), else the JVM's default locale.
     * Read here because the JVM takes them only when the OS has that locale installed.
     */
    public static ChatUser localUser(Map<String, String> env) {
        String name = System.getProperty("user.name", "you");
        return new ChatUser(NAME, name, name, localeOf(env).orElse(Locale.getDefault()));
    }

    /** The locale of the first set POSIX locale variable ("ja_JP.UTF-8", "de_DE@euro"); none for C and POSIX. */
    static Optional<Locale> localeOf(Map<String, String> env) {
        for (String var : new String[] {"LC_ALL", "LC_MESSAGES", "LANG"}) {
            String value = env.get(var);
            if (value == null || value.isBlank()) {
                continue;
            }
            String tag = value.strip().split("[.@]", 2)[0].replace('_', '-');
            if (tag.equals("C") || tag.equals("POSIX")) {
                return Optional.empty();
            }
            Locale l = Locale.forLanguageTag(tag);
            return l.getLanguage().isEmpty() ? Optional.empty() : Optional.of(l);
        }
        return Optional.empty();
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
    public MessageRef send(ReplyTo to, ChatUser recipient, String text, List<Action> actions,
                           Optional<String> resultId) {
        MessageRef ref = new MessageRef(to.conversation(), Integer.toString(ids.incrementAndGet()));
        shown.put(ref.id(), text);
        print(text, actions);
        return ref;
    }

    /** A list's buttons as the commands to type: {@code [/again k3m9x2ab7qpz /videos 2]}. */
    @Override
    public MessageRef sendChoices(ReplyTo to, ChatUser recipient, String text, List<List<Choice>> rows) {
        MessageRef ref = new MessageRef(to.conversation(), Integer.toString(ids.incrementAndGet()));
        shown.put(ref.id(), text);
        printWithCommands(text, rows.stream().flatMap(List::stream).map(Choice::command).toList());
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
    public MessageRef sendVideo(ReplyTo to, ChatUser recipient, Path mp4, String caption,
                                List<Action> actions, Optional<String> resultId) {
        try {
            dev.nemobot.core.chat.kit.PrivateFiles.createDirectories(outDir);
            Path target = outDir.resolve("video-" + System.currentTimeMillis() + "-" + ids.incrementAndGet() + ".mp4");
            Files.copy(mp4, target, StandardCopyOption.REPLACE_EXISTING);
            print(caption, actions);
            print("Saved the video: " + target.toAbsolutePath().normalize(), List.of());
            return new MessageRef(to.conversation(), Integer.toString(ids.get()));
        } catch (IOException e) {
            throw new VideoRejectedException("cannot save under " + outDir + ": " + e.getMessage(), e);
        }
    }

    /** A terminal cannot turn a line into a video: the video (its caption and where it was saved) follows. */
    @Override
    public MessageRef finishWithVideo(MessageRef progress, String folded, ReplyTo to, ChatUser recipient, Path mp4,
                                      String caption, List<Action> actions, Optional<String> resultId) {
        return sendVideo(to, recipient, mp4, caption, actions);
    }

    private void print(String text, List<Action> actions) {
        printWithCommands(text, actions.stream().map(Action::command).toList());
    }

    /** {@code text}, then the commands its buttons stand for. */
    private void printWithCommands(String text, List<String> commands) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            b.append("bot> ").append(line).append(System.lineSeparator());
        }
        if (!commands.isEmpty()) {
            b.append("bot>   [").append(String.join(" ", commands)).append("]").append(System.lineSeparator());
        }
        synchronized (out) {
            out.print(b);
            out.flush();
        }
    }

    /**
     * Turns one input line into a message ({@code Optional.empty()} for a blank line). The first word may be a
     * file path: plain, in single or double quotes, with backslash-escaped spaces (as a terminal's drag and drop
     * writes it), starting with {@code ~/} or a {@code file://} URL; an unquoted path with spaces works too. When
     * the first word looks like a path (a {@code /}, {@code ./}, {@code ~/}, {@code file:}, a drive letter, quotes,
     * or a media file's extension) but names no file, this prints "No such file: …" and returns empty: the line is
     * not sent to the backend as a request.
     */
    public Optional<Incoming> parse(String line) {
        return read(line, reply -> print(reply, List.of()));
    }

    /** {@link #parse}, handing the console's own answer (the "No such file") to {@code say}. */
    private Optional<Incoming> read(String line, Consumer<String> say) {
        String text = line.strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String id = "line-" + ids.incrementAndGet();
        if (COMMAND.matcher(text).matches()) {
            return Optional.of(new Incoming(id, user, conversation, text, List.of())); // "/export" is a command
        }
        Word first = firstWord(text);
        Optional<Path> file = first.literal() ? Optional.empty() : existingFile(first.value());
        String caption = first.rest();
        if (file.isEmpty() && first.literal()) {
            // unquoted: the longest prefix ending at a space that names a file ("my photo.png animate this")
            for (int i = 0; i <= text.length(); i++) {
                if (i == text.length() || Character.isWhitespace(text.charAt(i))) {
                    Optional<Path> f = existingFile(text.substring(0, i));
                    if (f.isPresent()) {
                        file = f;
                        caption = text.substring(i).strip();
                    }
                }
            }
        }
        if (file.isPresent()) {
            Path p = file.get();
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
        if (!first.literal() || pathLike(first.value())) {
            say.accept(Catalogue.of(Lang.of(user, text)).text("noSuchFile", first.value()));
            return Optional.empty();
        }
        return Optional.of(new Incoming(id, user, conversation, text, List.of()));
    }

    /** A line waiting its turn: a message for the engine, or the console's own reply. */
    private record Line(Incoming message, String reply) {
    }

    /**
     * The first word of a line as a shell reads it: {@code value} without its quotes and escapes, {@code rest} the
     * text after it, {@code literal} when it had neither (so spaces in it were not meant to be kept).
     */
    private record Word(String value, String rest, boolean literal) {
    }

    private static Word firstWord(String text) {
        StringBuilder b = new StringBuilder();
        boolean literal = true;
        int i = 0;
        char quote = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (quote == '"' && c == '\\' && i + 1 < text.length()
                        && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
                    b.append(text.charAt(++i));
                } else {
                    b.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                break;
            } else if (c == '\'' || c == '"') {
                quote = c;
                literal = false;
            } else if (c == '\\' && i + 1 < text.length() && !isDriveOrFolderSeparator(text, i)) {
                b.append(text.charAt(++i));
                literal = false;
            } else {
                b.append(c);
            }
            i++;
        }
        if (quote != 0) { // an unclosed quote: take the line as it is
            int space = indexOfSpace(text);
            return new Word(text.substring(0, space), text.substring(space).strip(), true);
        }
        return new Word(b.toString(), text.substring(i).strip(), literal);
    }

    /** A backslash in "C:\\Users\\me\\a.png" separates folders (Windows); before a space or quote it escapes. */
    private static boolean isDriveOrFolderSeparator(String text, int i) {
        char next = text.charAt(i + 1);
        return !(Character.isWhitespace(next) || "'\"\\()&;[]{}$`!*?#~<>|".indexOf(next) >= 0);
    }

    private static int indexOfSpace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return text.length();
    }

    /** {@code s} as a path ({@code ~/} is the home folder, a {@code file:} URL its path), if it is a regular file. */
    private static Optional<Path> existingFile(String s) {
        if (s.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path p;
            if (s.startsWith("file:")) {
                p = Path.of(URI.create(s));
            } else if (s.startsWith("~/") || s.startsWith("~\\")) {
                p = Path.of(System.getProperty("user.home"), s.substring(2));
            } else {
                p = Path.of(s);
            }
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        } catch (RuntimeException invalidPathOrUrl) {
            return Optional.empty();
        }
    }

    private static boolean pathLike(String word) {
        if (word.startsWith("/") || word.startsWith("./") || word.startsWith("../") || word.startsWith("~/")
                || word.startsWith("file:") || word.matches("[A-Za-z]:[\\\\/].*")) {
            return true;
        }
        int dot = word.lastIndexOf('.');
        return dot > 0 && FileType.byExtension(word.substring(dot + 1)).isPresent();
    }

    private static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        return FileType.byExtension(ext).map(FileType::mimeType).orElse("application/octet-stream");
    }

    /**
     * Reads {@code in} to its end, handing each line to {@code inbox} once the engine has finished the line before
     * (so the replies come in the order the lines were typed); a {@code /cancel} goes at once and drops the lines
     * still waiting. Then waits (up to {@code maxWait}) for the engine to finish the work still in flight.
     *
     * @return true if everything finished in time
     */
    public boolean run(BufferedReader in, Inbox inbox, Engine engine, Duration maxWait) throws IOException {
        BlockingQueue<Line> waiting = new LinkedBlockingQueue<>(PENDING_LINES);
        Line end = new Line(null, null);
        AtomicBoolean inTime = new AtomicBoolean(true);
        Thread sender = Thread.ofVirtual().name("console-sender").start(() -> {
            try {
                for (Line l = waiting.take(); l != end; l = waiting.take()) {
                    if (!engine.awaitIdle(maxWait)) {
                        inTime.set(false);
                    }
                    if (l.reply() != null) {
                        print(l.reply(), List.of());
                        continue;
                    }
                    try {
                        inbox.accept(l.message());
                    } catch (RuntimeException e) { // the engine closing: the next lines find it closed too
                        print(e.getMessage() == null ? e.toString() : e.getMessage(), List.of());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            String line;
            while ((line = in.readLine()) != null) {
                List<String> said = new ArrayList<>(1);
                Optional<Incoming> m = read(line, said::add);
                for (String reply : said) {
                    waiting.put(new Line(null, reply)); // in its turn, after the replies to the lines before
                }
                if (m.isEmpty()) {
                    continue;
                }
                if (Engine.asksToCancel(m.get())) {
                    waiting.clear();
                    inbox.accept(m.get());
                } else {
                    if (!waiting.isEmpty() || !engine.awaitIdle(Duration.ZERO)) {
                        Catalogue c = Catalogue.of(Lang.of(user, m.get().text()));
                        print(c.text("queued", String.valueOf(waiting.size() + 1)), List.of());
                    }
                    waiting.put(new Line(m.get(), null)); // blocks the reading (not the engine) when many wait
                }
            }
            waiting.put(end);
            sender.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sender.interrupt();
            return false;
        }
        return engine.awaitIdle(maxWait) && inTime.get();
    }
}
