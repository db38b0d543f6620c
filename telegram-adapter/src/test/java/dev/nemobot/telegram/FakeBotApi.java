package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.MultipartReader;
import okio.Buffer;
import org.awaitility.Awaitility;

/**
 * A Bot API server on 127.0.0.1 that the real TelegramBots client talks to: the methods this bot uses, file
 * downloads, getUpdates held open until an update is queued (or a short time passes), and failures on demand
 * (429 with retry_after, server errors). Records every call, multipart bodies parsed with {@link MultipartReader}.
 * Like Telegram, it refuses getUpdates (409) while a webhook is set; after {@link #pushTo} it delivers each update it
 * makes to the bot's webhook, with the secret token the bot registered, as Telegram does.
 * Updates are built like Telegram's, including the entities its clients add (bot_command, mention). Public, and shipped
 * in this module's test-jar, for bot-app's tests of the launched jar. Thread-safe.
 */
public final class FakeBotApi implements AutoCloseable {
    public static final String TOKEN = "7000111222:AAH-fake_Token-ForTests_9z8y7x";
    public static final long BOT_ID = 7000111222L;
    public static final String BOT_USERNAME = "nemo_test_bot";
    private static final Pattern METHOD = Pattern.compile("^/bot([^/]+)/([A-Za-z]+)$");
    private static final Pattern FILE = Pattern.compile("^/file/bot([^/]+)/(.+)$");
    private static final Pattern DISPOSITION_NAME = Pattern.compile("name=\"([^\"]*)\"");
    private static final Pattern DISPOSITION_FILE = Pattern.compile("filename=\"([^\"]*)\"");

    private final ObjectMapper json = new ObjectMapper();
    private final MockWebServer server = new MockWebServer();
    private final Object lock = new Object();
    private final List<ObjectNode> updates = new ArrayList<>();
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Deque<Failure>> failures = new HashMap<>();
    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
    private int nextUpdateId = 5000;
    /** The first update not yet confirmed (by a getUpdates whose offset is above it), as Telegram's queue keeps it. */
    private int head = 5000;
    private boolean ignoresOffset;
    private int nextMessageId = 100;
    private int nextFile = 1;
    private volatile boolean closed;
    private final Duration hold;
    private final HttpClient pusher = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Push> pushes = new ArrayList<>();
    private SetWebhook webhook; // the one set, as Telegram keeps it; guarded by lock
    private volatile URI pushTarget;

    /** A person on Telegram. */
    public record Person(long id, String firstName, String languageCode) {
    }

    /**
     * A chat: a positive id is a private chat, a negative one a supergroup. A {@code topic} other than 0 is a forum
     * topic of that supergroup: messages made here are in that topic ({@code message_thread_id},
     * {@code is_topic_message}) and the chat is a forum.
     */
    public record Chat(long id, int topic) {
        public Chat(long id) {
            this(id, 0);
        }

        public boolean group() {
            return id < 0;
        }

        /** The same chat's forum topic {@code topic}. */
        public Chat inTopic(int topic) {
            return new Chat(id, topic);
        }
    }

    /** One part of a multipart request. */
    public record Part(String name, String filename, byte[] bytes) {
        public String text() {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * One request the bot made: the method in lower case (or "download" for a file download), its parameters (JSON,
     * or the text parts of a multipart body), the multipart parts, and when it arrived ({@link System#nanoTime}).
     * The {@code path} holds the bot token, as Telegram's do: never print it.
     */
    public record Call(String method, JsonNode params, Map<String, Part> parts, String path, long atNanos) {
        public String param(String name) {
            JsonNode n = params.get(name);
            return n == null || n.isNull() ? null : n.isTextual() ? n.asText() : n.toString();
        }
    }

    /** A setWebhook call, as Telegram would read it. */
    public record SetWebhook(String url, String secretToken, List<String> allowedUpdates, Integer maxConnections,
                             Boolean dropPendingUpdates) {
    }

    /** One update delivered to the bot's webhook, and the status it answered (or -1 when the request failed). */
    public record Push(int updateId, int status) {
    }

    private record StoredFile(String fileId, String uniqueId, String path, byte[] bytes, long declaredSize) {
    }

    /** How the next call of a method fails. */
    sealed interface Failure {
        record TooManyRequests(int retryAfter) implements Failure {
        }

        record ServerError() implements Failure {
        }

        record Refused(int code, String description) implements Failure {
        }

        /** The connection is closed before any answer: what an outage looks like to the client. */
        record Disconnect() implements Failure {
        }

        /** An answer that is no Bot API answer (a proxy's error page, say), with this status. */
        record Garbage(int code, String body) implements Failure {
        }

        /**
         * The call is carried out (a video is posted), but its answer comes only after {@code delay}: a self-hosted
         * Bot API server answers sendVideo once it has re-uploaded the video to Telegram.
         */
        record LateAnswer(Duration delay) implements Failure {
        }
    }

    /** Starts on a free port of 127.0.0.1; getUpdates is held up to 500 ms when no update is queued. */
    /** The bot's text messages by the message_id given them, in order; guarded by lock. */
    private final Map<Integer, String> sentTexts = new java.util.LinkedHashMap<>();

    public FakeBotApi() {
        this(Duration.ofMillis(500));
    }

    /**
     * Starts on a free port of 127.0.0.1; getUpdates is held up to {@code hold} (or the client's own timeout, if
     * shorter) when no update is queued. Whoever starts it closes it.
     *
     * @throws UncheckedIOException when no port can be bound
     */
    public FakeBotApi(Duration hold) {
        this.hold = hold;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                try {
                    return handle(request);
                } catch (IOException e) {
                    return error(500, "fake failed: " + e);
                }
            }
        });
        try {
            server.start(InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base to give the bot as its Bot API address ({@code TELEGRAM_API_URL}), without a trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    // ---------------------------------------------------------------- what the test sends

    /** Queues a text message; commands and @mentions get the entities Telegram adds. */
    public int text(Person from, Chat chat, String text) {
        ObjectNode m = message(from, chat);
        m.put("text", text);
        entities(m, "entities", text);
        return queue("message", m);
    }

    /**
     * Makes a text message update without delivering it, even after {@link #pushTo}: for a test that posts it itself
     * ({@link #updateJson}, {@link #post}).
     */
    public int textUpdate(Person from, Chat chat, String text) {
        ObjectNode m = message(from, chat);
        m.put("text", text);
        entities(m, "entities", text);
        return queue("message", m, false);
    }

    /** Queues a text message that replies to the bot's message {@code repliedId}. */
    int replyToBot(Person from, Chat chat, int repliedId, String text) {
        ObjectNode m = message(from, chat);
        m.put("text", text);
        ObjectNode replied = m.putObject("reply_to_message");
        replied.put("message_id", repliedId).put("date", now());
        replied.set("chat", chatJson(chat));
        replied.set("from", botJson());
        replied.put("text", "an earlier answer");
        return queue("message", m);
    }

    /** Queues a photo in three sizes; the largest is {@code bytes}, declared with its real size. */
    public int photo(Person from, Chat chat, String caption, byte[] bytes) {
        return photo(from, chat, caption, bytes, bytes.length);
    }

    /** Queues a photo whose largest size declares {@code declaredSize} bytes. */
    int photo(Person from, Chat chat, String caption, byte[] bytes, long declaredSize) {
        ObjectNode m = message(from, chat);
        ArrayNode sizes = m.putArray("photo");
        sizes.add(photoSize(store("photos", ".jpg", new byte[] {1, 2, 3}, 3), 90, 60));
        sizes.add(photoSize(store("photos", ".jpg", bytes, declaredSize), 1280, 853));
        sizes.add(photoSize(store("photos", ".jpg", new byte[] {4, 5, 6, 7}, 4), 320, 213));
        if (caption != null) {
            m.put("caption", caption);
            entities(m, "caption_entities", caption);
        }
        return queue("message", m);
    }

    /**
     * The photos of an album as Telegram's updates carry them, not yet queued: one message per photo (message ids in
     * the order sent), each with {@code media_group_id} {@code groupId}, {@code caption} on the one at
     * {@code captionAt}. Queue them with {@link #queueAll}, in any order, at once or a few at a time.
     */
    public List<ObjectNode> album(Person from, Chat chat, String groupId, int captionAt, String caption,
                                  List<byte[]> photos) {
        List<ObjectNode> parts = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            ObjectNode m = message(from, chat);
            m.put("media_group_id", groupId);
            ArrayNode sizes = m.putArray("photo");
            sizes.add(photoSize(store("photos", ".jpg", new byte[] {1, 2, 3}, 3), 90, 60));
            sizes.add(photoSize(store("photos", ".jpg", photos.get(i), photos.get(i).length), 1280, 853));
            if (i == captionAt) {
                m.put("caption", caption);
                entities(m, "caption_entities", caption);
            }
            parts.add(m);
        }
        return parts;
    }

    /** Queues these messages at once: a getUpdates answers all of them or none. Returns the last update id. */
    public int queueAll(List<ObjectNode> messages) {
        List<ObjectNode> queued = new ArrayList<>();
        int id = -1;
        synchronized (lock) {
            for (ObjectNode payload : messages) {
                id = nextUpdateId++;
                ObjectNode u = json.createObjectNode().put("update_id", id);
                u.set("message", payload);
                updates.add(u);
                queued.add(u);
            }
            lock.notifyAll();
        }
        queued.forEach(this::push);
        return id;
    }

    /** True once the bot confirmed the update {@code updateId} (a getUpdates with an offset above it). */
    public boolean confirmed(int updateId) {
        synchronized (lock) {
            return head > updateId;
        }
    }

    /** Queues a document (an image sent as a file keeps its bytes and name). */
    int document(Person from, Chat chat, String caption, String fileName, String mimeType, byte[] bytes) {
        ObjectNode m = message(from, chat);
        StoredFile f = store("documents", "", bytes, bytes.length);
        ObjectNode d = m.putObject("document");
        d.put("file_id", f.fileId()).put("file_unique_id", f.uniqueId()).put("file_name", fileName)
                .put("mime_type", mimeType).put("file_size", bytes.length);
        if (caption != null) {
            m.put("caption", caption);
            entities(m, "caption_entities", caption);
        }
        return queue("message", m);
    }

    /**
     * Queues a document whose getFile answers the absolute path {@code local}, as a self-hosted Bot API server
     * started with --local does.
     */
    int documentOnLocalServer(Person from, Chat chat, String fileName, java.nio.file.Path local, long size) {
        ObjectNode m = message(from, chat);
        StoredFile f;
        synchronized (lock) {
            int n = nextFile++;
            f = new StoredFile("file-id-" + n, "uniq" + n, local.toAbsolutePath().toString(), new byte[0], size);
        }
        files.put(f.fileId(), f);
        ObjectNode d = m.putObject("document");
        d.put("file_id", f.fileId()).put("file_unique_id", f.uniqueId()).put("file_name", fileName)
                .put("mime_type", "image/png").put("file_size", size);
        return queue("message", m);
    }

    /** The message_id this fake gave the first text message the bot sent whose text matches {@code p}. */
    int idOfSent(Predicate<String> p) {
        synchronized (lock) {
            return sentTexts.entrySet().stream().filter(e -> p.test(e.getValue())).mapToInt(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> new AssertionError("no such message sent: " + sentTexts.values()));
        }
    }

    /** Queues a button press on the bot's message {@code messageId}. */
    int press(Person from, Chat chat, int messageId, String data) {
        return press(from, chat, messageId, data, null);
    }

    /** Queues a button press on the bot's message {@code messageId}, which carries {@code replyMarkup} (null: none). */
    int press(Person from, Chat chat, int messageId, String data, JsonNode replyMarkup) {
        ObjectNode q = json.createObjectNode();
        q.put("id", "cbq-" + messageId + "-" + from.id());
        q.set("from", personJson(from));
        ObjectNode m = q.putObject("message");
        m.put("message_id", messageId).put("date", now());
        m.set("chat", chatJson(chat));
        inTopic(m, chat);
        m.set("from", botJson());
        m.put("text", "an answer with buttons");
        if (replyMarkup != null) {
            m.set("reply_markup", replyMarkup);
        }
        q.put("chat_instance", "ci-" + chat.id());
        q.put("data", data);
        return queue("callback_query", q);
    }

    /** Queues the same update twice in one batch, as a retried delivery would. */
    int duplicated(Person from, Chat chat, String text) {
        int id = text(from, chat, text);
        ObjectNode copy;
        synchronized (lock) {
            copy = updates.getLast().deepCopy();
            updates.add(copy);
            lock.notifyAll();
        }
        push(copy);
        return id;
    }

    /**
     * From now on, deliver each update made here to {@code endpoint} (the bot's webhook server, as a load balancer
     * would forward it) by POST, with the secret token of the last setWebhook, as Telegram does; the request is made
     * on the calling thread and its status kept in {@link #pushes()}.
     */
    public void pushTo(URI endpoint) {
        pushTarget = endpoint;
    }

    /**
     * POSTs {@code body} as JSON to {@code endpoint} with {@code secret} in {@code X-Telegram-Bot-Api-Secret-Token}
     * (no header when null), and returns the status of the answer.
     *
     * @throws UncheckedIOException when no answer comes
     */
    public int post(URI endpoint, String secret, byte[] body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret != null) {
            r.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        try {
            return pusher.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The JSON of an update made here before (by {@link #text}, {@link #photo}, ...). */
    public String updateJson(int updateId) {
        synchronized (lock) {
            return updates.stream().filter(u -> u.get("update_id").asInt() == updateId).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no update " + updateId)).toString();
        }
    }

    /**
     * From now on update ids start over at {@code next}, and the updates queued before are gone: a self-hosted Bot
     * API server whose data folder was wiped starts again from 1, and Telegram picks a random id after a week
     * without updates. Like Telegram's server, a getUpdates whose offset lies beyond the newest update is answered
     * from the oldest update not yet confirmed (without confirming anything).
     */
    void restartUpdateIds(int next) {
        synchronized (lock) {
            updates.clear();
            nextUpdateId = next;
            head = next;
        }
    }

    /** From now on getUpdates answers every update queued since the last restart, whatever its offset. */
    void ignoreOffset() {
        synchronized (lock) {
            ignoresOffset = true;
        }
    }

    /** The message_id of the message in the update {@code updateId} made here before. */
    int messageIdOf(int updateId) {
        synchronized (lock) {
            return updates.stream().filter(u -> u.get("update_id").asInt() == updateId).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no update " + updateId))
                    .path("message").path("message_id").asInt();
        }
    }

    /** The next {@code count} calls of {@code method} fail so. */
    private static final java.util.Set<String> LIMITED = java.util.Set.of("sendmessage", "editmessagetext", "sendvideo",
            "sendphoto", "senddocument", "editmessagecaption", "editmessagereplymarkup");
    private volatile int groupPermits;
    private volatile Duration groupWindow;
    private final Map<String, java.util.ArrayDeque<Long>> groupUse = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger tooMany = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Limits the messages and edits in one group as Telegram does (20 a minute): past {@code permits} in any
     * {@code window} a call is answered 429 with {@code retry_after} (whole seconds) and not recorded.
     */
    public void groupLimit(int permits, Duration window) {
        groupWindow = window;
        groupPermits = permits;
    }

    /** How many calls were answered 429 for a group's limit. */
    public int groupLimited() {
        return tooMany.get();
    }

    /** Null when the call fits the group's limit (it is then recorded), else the seconds to wait. */
    private Integer overGroupLimit(String chatId, String method, JsonNode params, Map<String, Part> parts, String path) {
        java.util.ArrayDeque<Long> used = groupUse.computeIfAbsent(chatId, k -> new java.util.ArrayDeque<>());
        synchronized (used) {
            long now = System.nanoTime();
            long window = groupWindow.toNanos();
            while (!used.isEmpty() && now - used.peekFirst() >= window) {
                used.pollFirst();
            }
            if (used.size() >= groupPermits) {
                tooMany.incrementAndGet();
                return (int) Math.max(1, Math.ceil((used.peekFirst() + window - now) / 1e9));
            }
            used.addLast(now);
            record(new Call(method, params, parts, path, now));
            return null;
        }
    }

    void failNext(String method, int count, Failure failure) {
        synchronized (lock) {
            Deque<Failure> q = failures.computeIfAbsent(method.toLowerCase(Locale.ROOT), k -> new ArrayDeque<>());
            for (int i = 0; i < count; i++) {
                q.add(failure);
            }
        }
    }

    // ---------------------------------------------------------------- what the test checks

    /** Every call so far, getUpdates and downloads included, oldest first; a copy. */
    public List<Call> calls() {
        synchronized (lock) {
            return List.copyOf(calls);
        }
    }

    /** The calls of {@code method} so far (any case, e.g. "sendVideo"), oldest first; a copy. */
    public List<Call> calls(String method) {
        String m = method.toLowerCase(Locale.ROOT);
        return calls().stream().filter(c -> c.method().equals(m)).toList();
    }

    /**
     * The first call of {@code method} (any case) matching {@code p}, waiting up to {@code timeout}.
     *
     * @throws org.awaitility.core.ConditionTimeoutException listing the calls so far when none matches in time
     */
    public Call await(String method, Predicate<Call> p, Duration timeout) {
        Call[] found = new Call[1];
        Awaitility.await().atMost(timeout).untilAsserted(() -> {
            found[0] = calls(method).stream().filter(p).findFirst().orElse(null);
            assertThat(found[0]).as(() -> "a " + method + " call matching the condition; calls: " + summary()).isNotNull();
        });
        return found[0];
    }

    /** Every setWebhook call so far, oldest first. */
    public List<SetWebhook> setWebhooks() {
        return calls("setWebhook").stream().map(c -> new SetWebhook(c.param("url"), c.param("secret_token"),
                        c.param("allowed_updates") == null ? null : readList(c.param("allowed_updates")),
                        c.param("max_connections") == null ? null : Integer.valueOf(c.param("max_connections")),
                        c.param("drop_pending_updates") == null ? null
                                : Boolean.valueOf(c.param("drop_pending_updates"))))
                .toList();
    }

    /** Every delivery to the bot's webhook so far, oldest first; a copy. */
    public List<Push> pushes() {
        synchronized (lock) {
            return List.copyOf(pushes);
        }
    }

    /** Method names and texts, for failure messages (never the request path). */
    public String summary() {
        return calls().stream().filter(c -> !c.method().equals("getupdates"))
                .map(c -> c.method() + (c.param("text") != null ? "(" + c.param("text") + ")"
                        : c.param("caption") != null ? "(" + c.param("caption") + ")" : ""))
                .toList().toString();
    }

    /** Releases held getUpdates calls and stops the server. Close the bot first; idempotent. */
    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        server.close();
        pusher.close();
    }

    // ---------------------------------------------------------------- the server side

    private MockResponse handle(RecordedRequest request) throws IOException, InterruptedException {
        String path = request.getUrl().encodedPath();
        Matcher file = FILE.matcher(path);
        if (file.matches()) {
            record(new Call("download", json.createObjectNode(), Map.of(), path, System.nanoTime()));
            if (!TOKEN.equals(file.group(1))) {
                return new MockResponse.Builder().code(404).body("not found").build();
            }
            String filePath = request.getUrl().pathSegments().stream().skip(2)
                    .reduce((a, b) -> a + "/" + b).orElse("");
            StoredFile f = files.values().stream().filter(s -> s.path().equals(filePath)).findFirst().orElse(null);
            if (f == null) {
                return new MockResponse.Builder().code(404).body("not found").build();
            }
            return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/octet-stream")
                    .body(new Buffer().write(f.bytes())).build();
        }
        Matcher m = METHOD.matcher(path);
        if (!m.matches()) {
            return error(404, "Not Found");
        }
        String method = m.group(2).toLowerCase(Locale.ROOT);
        Map<String, Part> parts = new LinkedHashMap<>();
        JsonNode params = params(request, parts);
        if (groupPermits > 0 && LIMITED.contains(method) && params.path("chat_id").asText("").startsWith("-")) {
            Integer retryAfter = overGroupLimit(params.path("chat_id").asText(), method, params, parts, path);
            if (retryAfter != null) {
                ObjectNode body = json.createObjectNode().put("ok", false).put("error_code", 429)
                        .put("description", "Too Many Requests: retry after " + retryAfter);
                body.putObject("parameters").put("retry_after", retryAfter);
                return respond(429, body);
            }
        } else {
            record(new Call(method, params, parts, path, System.nanoTime()));
        }
        if (!TOKEN.equals(m.group(1))) {
            return error(401, "Unauthorized");
        }
        Failure failure;
        synchronized (lock) {
            Deque<Failure> q = failures.get(method);
            failure = q == null ? null : q.poll();
        }
        if (failure instanceof Failure.TooManyRequests t) {
            ObjectNode body = json.createObjectNode().put("ok", false).put("error_code", 429)
                    .put("description", "Too Many Requests: retry after " + t.retryAfter());
            body.putObject("parameters").put("retry_after", t.retryAfter());
            return respond(429, body);
        }
        if (failure instanceof Failure.ServerError) {
            return error(500, "Internal Server Error");
        }
        if (failure instanceof Failure.Refused r) {
            return error(r.code(), r.description());
        }
        if (failure instanceof Failure.Disconnect) {
            return new MockResponse.Builder().onResponseStart(new mockwebserver3.SocketEffect.CloseSocket()).build();
        }
        if (failure instanceof Failure.Garbage g) {
            return new MockResponse.Builder().code(g.code()).setHeader("Content-Type", "text/html").body(g.body())
                    .build();
        }
        MockResponse answer = answer(method, params, parts);
        if (failure instanceof Failure.LateAnswer late) {
            return new MockResponse.Builder(answer).headersDelay(late.delay().toMillis(), TimeUnit.MILLISECONDS)
                    .build();
        }
        return answer;
    }

    private MockResponse answer(String method, JsonNode params, Map<String, Part> parts) throws InterruptedException {
        return switch (method) {
            case "getme" -> ok(botJson().put("can_join_groups", true).put("can_read_all_group_messages", false));
            case "setmycommands", "sendchataction", "answercallbackquery" -> ok(json.getNodeFactory().booleanNode(true));
            case "setwebhook" -> {
                synchronized (lock) {
                    webhook = setWebhooks().getLast();
                }
                yield ok(json.getNodeFactory().booleanNode(true));
            }
            case "deletewebhook" -> {
                synchronized (lock) {
                    webhook = null;
                }
                yield ok(json.getNodeFactory().booleanNode(true));
            }
            case "getupdates" -> {
                synchronized (lock) {
                    if (webhook != null) {
                        yield error(409, "Conflict: can't use getUpdates method while webhook is active; "
                                + "use deleteWebhook to delete the webhook first");
                    }
                }
                yield ok(waitForUpdates(params.path("offset").asInt(0), params.path("timeout").asInt(0)));
            }
            case "getfile" -> getFile(params.path("file_id").asText());
            case "sendmessage", "editmessagetext" -> ok(sentMessage(params, method.equals("editmessagetext")));
            case "editmessagereplymarkup" -> ok(sentMessage(params, true));
            case "sendvideo" -> ok(sentVideo(params, parts));
            case "deletemessage" -> ok(json.getNodeFactory().booleanNode(true));
            default -> error(404, "Not Found: method not found");
        };
    }

    private JsonNode params(RecordedRequest request, Map<String, Part> parts) throws IOException {
        String type = request.getHeaders().get("Content-Type");
        byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
        if (type != null && type.startsWith("multipart/")) {
            ObjectNode params = json.createObjectNode();
            String boundary = MediaType.get(type).parameter("boundary");
            try (MultipartReader reader = new MultipartReader(new Buffer().write(body), boundary)) {
                MultipartReader.Part part;
                while ((part = reader.nextPart()) != null) {
                    String disposition = part.headers().get("Content-Disposition");
                    Matcher n = DISPOSITION_NAME.matcher(disposition);
                    Matcher f = DISPOSITION_FILE.matcher(disposition);
                    String name = n.find() ? n.group(1) : "";
                    Part p = new Part(name, f.find() ? f.group(1) : null, part.body().readByteArray());
                    parts.put(name, p);
                    if (p.filename() == null) {
                        params.put(name, p.text());
                    }
                }
            }
            return params;
        }
        return body.length == 0 ? json.createObjectNode() : json.readTree(body);
    }

    private JsonNode waitForUpdates(int offset, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + Math.min(hold.toNanos(), Duration.ofSeconds(timeoutSeconds).toNanos());
        synchronized (lock) {
            while (true) {
                // as Telegram's queue: an offset in the queue confirms the updates below it; one beyond the newest
                // update (or none, or one below the oldest kept) means "from the oldest not confirmed"
                int from;
                if (ignoresOffset || offset <= 0 || offset > nextUpdateId) {
                    from = head;
                } else {
                    head = Math.max(head, offset);
                    from = head;
                }
                ArrayNode out = json.createArrayNode();
                for (ObjectNode u : updates) {
                    if (u.get("update_id").asInt() >= from) {
                        out.add(u);
                    }
                }
                long left = deadline - System.nanoTime();
                if (!out.isEmpty() || left <= 0 || closed) {
                    return out;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private MockResponse getFile(String fileId) {
        StoredFile f = files.get(fileId);
        if (f == null) {
            return error(400, "Bad Request: invalid file_id");
        }
        ObjectNode r = json.createObjectNode().put("file_id", f.fileId()).put("file_unique_id", f.uniqueId())
                .put("file_size", f.declaredSize()).put("file_path", f.path());
        return ok(r);
    }

    private ObjectNode sentMessage(JsonNode params, boolean edit) {
        ObjectNode m = json.createObjectNode();
        int id;
        synchronized (lock) {
            id = edit ? params.path("message_id").asInt() : nextMessageId++;
            if (!edit && params.has("text")) {
                sentTexts.put(id, params.path("text").asText());
            }
        }
        long chatId = params.path("chat_id").asLong();
        m.put("message_id", id).put("date", now());
        m.set("chat", chatJson(new Chat(chatId)));
        m.set("from", botJson());
        m.put("text", params.path("text").asText());
        if (params.hasNonNull("message_thread_id")) {
            m.put("message_thread_id", params.path("message_thread_id").asInt()).put("is_topic_message", true);
        }
        if (params.has("reply_markup")) {
            m.set("reply_markup", params.get("reply_markup"));
        }
        return m;
    }

    private ObjectNode sentVideo(JsonNode params, Map<String, Part> parts) {
        ObjectNode m = sentMessage(params, false);
        m.remove("text");
        m.put("caption", params.path("caption").asText(""));
        String attach = params.path("video").asText("");
        Part file = parts.get(attach.replaceFirst("^attach://", ""));
        ObjectNode v = m.putObject("video");
        v.put("file_id", "video-" + m.get("message_id").asInt()).put("file_unique_id", "uv" + m.get("message_id"))
                .put("width", 1080).put("height", 1920).put("duration", 5)
                .put("file_size", file == null ? 0 : file.bytes().length);
        return m;
    }

    private void record(Call call) {
        synchronized (lock) {
            calls.add(call);
        }
    }

    private int queue(String kind, ObjectNode payload) {
        return queue(kind, payload, true);
    }

    private int queue(String kind, ObjectNode payload, boolean deliver) {
        ObjectNode u;
        int id;
        synchronized (lock) {
            id = nextUpdateId++;
            u = json.createObjectNode().put("update_id", id);
            u.set(kind, payload);
            updates.add(u);
            lock.notifyAll();
        }
        if (deliver) {
            push(u);
        }
        return id;
    }

    /** After {@link #pushTo}: delivers {@code update} as Telegram would (outside the lock: the bot calls back). */
    private void push(ObjectNode update) {
        URI target = pushTarget;
        if (target == null) {
            return;
        }
        String secret;
        synchronized (lock) {
            secret = webhook == null ? null : webhook.secretToken();
        }
        int status;
        try {
            status = post(target, secret, update.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (UncheckedIOException e) {
            status = -1;
        }
        synchronized (lock) {
            pushes.add(new Push(update.get("update_id").asInt(), status));
        }
    }

    private List<String> readList(String jsonArray) {
        try {
            List<String> out = new ArrayList<>();
            json.readTree(jsonArray).forEach(n -> out.add(n.asText()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StoredFile store(String dir, String ext, byte[] bytes, long declaredSize) {
        StoredFile f;
        synchronized (lock) {
            int n = nextFile++;
            f = new StoredFile("file-id-" + n, "uniq" + n, dir + "/file_" + n + ext, bytes, declaredSize);
        }
        files.put(f.fileId(), f);
        return f;
    }

    private ObjectNode photoSize(StoredFile f, int w, int h) {
        return json.createObjectNode().put("file_id", f.fileId()).put("file_unique_id", f.uniqueId())
                .put("width", w).put("height", h).put("file_size", f.declaredSize());
    }

    private ObjectNode message(Person from, Chat chat) {
        ObjectNode m = json.createObjectNode();
        synchronized (lock) {
            m.put("message_id", nextMessageId++);
        }
        m.put("date", now());
        m.set("chat", chatJson(chat));
        inTopic(m, chat);
        m.set("from", personJson(from));
        return m;
    }

    /** Puts a message made in a forum topic there, as Telegram does. */
    private static void inTopic(ObjectNode m, Chat chat) {
        if (chat.topic() != 0) {
            m.put("message_thread_id", chat.topic()).put("is_topic_message", true);
        }
    }

    /** The entities Telegram's clients add: a leading bot_command and @mentions. */
    private void entities(ObjectNode m, String field, String text) {
        ArrayNode es = json.createArrayNode();
        Matcher c = Pattern.compile("^/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?").matcher(text);
        if (c.find()) {
            es.add(json.createObjectNode().put("type", "bot_command").put("offset", 0).put("length", c.end()));
        }
        Matcher at = Pattern.compile("(?<=^|\\s)@[A-Za-z0-9_]{5,}").matcher(text);
        while (at.find()) {
            es.add(json.createObjectNode().put("type", "mention").put("offset", at.start())
                    .put("length", at.end() - at.start()));
        }
        if (!es.isEmpty()) {
            m.set(field, es);
        }
    }

    private ObjectNode chatJson(Chat chat) {
        ObjectNode c = json.createObjectNode().put("id", chat.id());
        if (chat.group()) {
            c.put("type", "supergroup").put("title", "Test group");
            if (chat.topic() != 0) {
                c.put("is_forum", true);
            }
        } else {
            c.put("type", "private").put("first_name", "someone");
        }
        return c;
    }

    private ObjectNode personJson(Person p) {
        ObjectNode u = json.createObjectNode().put("id", p.id()).put("is_bot", false).put("first_name", p.firstName());
        if (p.languageCode() != null) {
            u.put("language_code", p.languageCode());
        }
        return u;
    }

    private ObjectNode botJson() {
        return json.createObjectNode().put("id", BOT_ID).put("is_bot", true).put("first_name", "Nemo")
                .put("username", BOT_USERNAME);
    }

    private MockResponse ok(JsonNode result) {
        return respond(200, json.createObjectNode().put("ok", true).set("result", result));
    }

    private MockResponse error(int code, String description) {
        return respond(code, json.createObjectNode().put("ok", false).put("error_code", code)
                .put("description", description));
    }

    private MockResponse respond(int code, JsonNode body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                .body(body.toString()).build();
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
