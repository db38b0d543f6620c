package dev.nemobot.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code POST /run_sse}: starts turns (their scripts run on worker threads) and streams them as SSE. */
final class RunSseEndpoint {
    enum Kind { GENERATION, NEED_IMAGE, EDIT, CHAT }

    // what a user asks for, in the languages the simulator speaks (lower case; matched as substrings)
    static final List<String> GENERATION_WORDS = List.of("animate", "generate", "video", "make", "动画", "生成", "视频",
            "動畫", "影片", "動画", "動か", "アニメ", "동영상", "영상", "움직", "animar", "animier", "animer", "anime",
            "vídeo", "vidéo", "видео", "анимир", "оживи");
    static final List<String> MUSIC_WORDS = List.of("music", "bgm", "song", "audio", "soundtrack", "volume", "音乐",
            "配乐", "音量", "音樂", "配樂", "音楽", "음악", "música", "musique", "musik", "музык", "громк");
    static final List<String> JAZZ = List.of("jazz", "爵士", "ジャズ", "재즈", "джаз");
    static final List<String> PIANO = List.of("piano", "钢琴", "鋼琴", "ピアノ", "피아노", "klavier", "фортепиано");
    static final List<String> TITLE_WORDS = List.of("title", "text", "caption", "subtitle", "标题", "文字", "字幕",
            "標題", "タイトル", "テキスト", "제목", "자막", "título", "titre", "titel", "название", "заголов", "текст");
    static final List<String> TRIM_WORDS = List.of("trim", "cut", "shorten", "剪", "カット", "短く", "자르", "잘라",
            "recorta", "corta", "kürz", "raccourci", "обреж", "укорот");
    static final List<String> SPEED_WORDS = List.of("speed", "faster", "加速", "速度", "速く", "倍速", "빠르게", "속도",
            "rápid", "schneller", "rapide", "быстрее", "ускор");
    static final List<String> EDIT_WORDS = java.util.stream.Stream.of(MUSIC_WORDS, TITLE_WORDS, TRIM_WORDS,
            SPEED_WORDS, List.of("slower", "fade")).flatMap(List::stream).toList();
    static final String TEMPORARY_ISSUE = "I encountered a temporary issue. Please try again in a moment.";
    /** The {@code data:} of {@link Faults#malformedEventsNextTurn}: nothing a client can take as an ADK event. */
    static final List<String> MALFORMED = List.of(
            "{not json",
            "[1,2,3]",
            "\"just a string\"",
            "null",
            "{\"partial\":\"maybe\",\"content\":{\"parts\":\"oops\"}}",
            "{\"author\":\"nemo_agent\",\"content\":{\"parts\":[{\"text\":12},{\"functionCall\":\"x\"},null]}}",
            "{\"content\":{\"role\":\"model\",\"parts\":[{\"functionResponse\":{\"name\":7,\"response\":[]}}]}}",
            "{\"id\":{\"nested\":true},\"timestamp\":\"yesterday\",\"actions\":42}");

    private final Env env;
    private final Accounts accounts;
    private final VideoMaker videos;
    /** {@code /run_sse} requests being answered now, and the most there were at once. */
    private final java.util.concurrent.atomic.AtomicInteger streaming = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger peakStreaming = new java.util.concurrent.atomic.AtomicInteger();
    /** Turns started, and answer streams resumed with a Last-Event-ID, so far. */
    private final java.util.concurrent.atomic.AtomicLong started = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong resumed = new java.util.concurrent.atomic.AtomicLong();

    RunSseEndpoint(Env env, Accounts accounts, VideoMaker videos) {
        this.env = env;
        this.accounts = accounts;
        this.videos = videos;
    }

    static Kind classify(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (GENERATION_WORDS.stream().anyMatch(t::contains)) {
            return Kind.GENERATION;
        }
        if (EDIT_WORDS.stream().anyMatch(t::contains)) {
            return Kind.EDIT;
        }
        return Kind.CHAT;
    }

    /** Answers one {@code /run_sse} request: resumes the latest turn for a known Last-Event-ID, else starts one. */
    void handle(HttpExchange ex, Accounts.Token token, Session session, String text) throws IOException {
        String lastEventId = ex.getRequestHeaders().getFirst("Last-Event-ID");
        Turn turn = null;
        int from = 0;
        if (lastEventId != null) {
            if (env.faults.takeReconnectDrop()) {
                throw new DropConnection("reconnect dropped by fault knob");
            }
            Turn latest = session.latest();
            long id = parseId(lastEventId);
            int idx = latest == null || id < 0 ? -1 : latest.indexAfter(id);
            if (idx >= 0) {
                turn = latest;
                from = idx;
                resumed.incrementAndGet();
            }
        }
        if (turn == null) {
            turn = start(session, token.account(), text);
        }
        peakStreaming.accumulateAndGet(streaming.incrementAndGet(), Math::max);
        try {
            stream(ex, turn, from);
        } finally {
            streaming.decrementAndGet();
        }
    }

    /** The most {@code /run_sse} requests answered at once so far. */
    int peakStreaming() {
        return peakStreaming.get();
    }

    long turnsStarted() {
        return started.get();
    }

    long streamsResumed() {
        return resumed.get();
    }

    private static long parseId(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Starts a turn: classification and charge happen now, the script on a worker thread. */
    Turn start(Session session, Accounts.Account account, String text) {
        started.incrementAndGet();
        Turn turn = new Turn(env);
        if (env.faults.takeHeartbeatsOnly()) {
            session.latest(turn); // never finishes: its streams only beat until the client gives up
            env.register(turn);
            return turn;
        }
        String scripted = env.faults.takeAgentSays();
        Kind kind = scripted != null ? Kind.CHAT : classify(text);
        if (kind == Kind.GENERATION && !session.hasImage()) {
            kind = Kind.NEED_IMAGE;
        }
        if (env.faults.takeMalformed()) {
            for (String garbage : MALFORMED) {
                turn.append(session.nextEventId(), garbage);
            }
        }
        int cost = switch (kind) {
            case GENERATION -> env.config.generationCost();
            case EDIT -> env.config.editCost();
            default -> 0;
        };
        if (cost > 0) {
            accounts.reserve(account, cost);
        }
        boolean silent = env.faults.takeSilent()
                || (kind == Kind.EDIT && env.nextDouble() < env.config.silentRatio());
        Script script = new Script(session, turn, silent, env.faults.takeStreamError());
        session.latest(turn);
        env.register(turn);
        Kind k = kind;
        env.workers.execute(() -> {
            try {
                switch (k) {
                    case GENERATION -> script.generation(text);
                    case NEED_IMAGE -> script.say(session.lines.say("needImage"));
                    case EDIT -> script.edit(text);
                    case CHAT -> {
                        if (scripted != null) {
                            script.say(scripted);
                        } else {
                            script.chat();
                        }
                    }
                }
            } catch (StopScript stop) {
                // closing, or an injected stream error ended the turn
            } finally {
                // settle before the stream ends: a client reading its credits right after sees them settled
                if (cost > 0) {
                    accounts.settle(account, cost);
                }
                turn.finish();
                env.unregister(turn);
            }
        });
        return turn;
    }

    /** Writes the turn's events from {@code from} on, with heartbeats in the gaps, until it ends. */
    private void stream(HttpExchange ex, Turn turn, int from) throws IOException {
        int dropAfter = env.faults.takeDropAfter();
        String eol = env.faults.eol();
        OutputStream out = Exchanges.stream(ex, "text/event-stream; charset=utf-8");
        if (dropAfter == 0) {
            out.flush();
            throw new DropConnection("stream dropped by fault knob");
        }
        Duration beat = env.config.heartbeatEvery();
        int idx = from;
        int sent = 0;
        int beats = 0;
        try {
            while (true) {
                Turn.Ev ev = turn.next(idx, beat);
                if (env.isClosed()) {
                    throw new DropConnection("simulator closing");
                }
                if (env.faults.outageNow().isPresent()) {
                    throw new DropConnection("outage");
                }
                if (ev == Turn.DONE) {
                    out.close(); // clean end of the chunked answer
                    return;
                }
                if (ev == null) {
                    out.write(heartbeat(beats++, eol));
                    out.flush();
                    continue;
                }
                out.write(("id: " + ev.id() + eol + "data: " + ev.json() + eol + eol).getBytes(StandardCharsets.UTF_8));
                out.flush();
                idx++;
                sent++;
                if (dropAfter > 0 && sent >= dropAfter) {
                    throw new DropConnection("stream dropped by fault knob");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DropConnection("interrupted");
        }
    }

    /** The three heartbeat forms of the contract, in turn. */
    static byte[] heartbeat(int n, String eol) {
        String s = switch (n % 3) {
            case 0 -> ": ping" + eol + eol;
            case 1 -> "data:" + eol + eol;
            default -> "event: heartbeat" + eol + "data: {}" + eol + eol;
        };
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The chat answers ({@code chat.0} ...) and video titles ({@code videoTitle.0} ...) of {@link AgentLines}. */
    private static final int CHAT_LINES = 3;
    private static final int VIDEO_TITLES = 4;

    /** How often a held stage looks whether it was released. */
    private static final Duration STAGE_HOLD_CHECK = Duration.ofMillis(5);

    /** Ends a script early. */
    static final class StopScript extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopScript() {
            super(null, null, false, false);
        }
    }

    /** One turn's script: what the agent does and says, with real waits. Runs on one worker thread. */
    final class Script {
        private final Session session;
        private final Turn turn;
        private final boolean silent;
        private int streamError; // 0 none, 1 {"error"}, 2 errorCode event; fires after the first event
        private final String invocationId;

        Script(Session session, Turn turn, boolean silent, int streamError) {
            this.session = session;
            this.turn = turn;
            this.silent = silent;
            this.streamError = streamError;
            this.invocationId = "e-" + env.uuid();
        }

        private String line(String key, Object... args) {
            return session.lines.say(key, args);
        }

        void pause(Duration d) {
            if (!env.pause(d)) {
                throw new StopScript();
            }
        }

        /** A generation or edit stage: its delay, and as long as {@link Faults#holdStages()} holds it. */
        void stage() {
            pause(env.config.stageDelay());
            while (env.faults.stagesHeld()) {
                pause(STAGE_HOLD_CHECK);
            }
        }

        private ObjectNode event(boolean partial) {
            ObjectNode e = Json.obj();
            e.put("id", env.uuid());
            e.put("invocationId", invocationId);
            e.put("author", "nemo_agent");
            Instant now = env.now();
            // seconds with millis, as ADK writes them (1732500000.123), never in exponent notation
            e.put("timestamp", java.math.BigDecimal.valueOf(now.toEpochMilli()).movePointLeft(3));
            e.put("partial", partial);
            return e;
        }

        private void emit(ObjectNode event) {
            if (env.isClosed()) {
                throw new StopScript();
            }
            turn.append(session.nextEventId(), Json.write(event));
            if (streamError != 0) {
                ObjectNode err;
                if (streamError == 1) {
                    err = Json.obj();
                    err.put("error", "internal agent error");
                } else {
                    err = event(false);
                    err.put("errorCode", "INTERNAL_ERROR");
                    err.put("errorMessage", "The agent failed to finish this request.");
                }
                streamError = 0;
                turn.append(session.nextEventId(), Json.write(err));
                throw new StopScript();
            }
        }

        private ObjectNode content(ObjectNode event, ObjectNode part) {
            ObjectNode c = event.putObject("content");
            c.put("role", "model");
            c.putArray("parts").add(part);
            ObjectNode actions = event.putObject("actions");
            actions.putObject("stateDelta");
            actions.putObject("artifactDelta");
            return event;
        }

        void call(String id, String name, ObjectNode args) {
            function("functionCall", id, name, "args", args);
        }

        void response(String id, String name, ObjectNode response) {
            function("functionResponse", id, name, "response", response);
        }

        /** A part {@code {kind: {id, name, field: value}}}: a function call or a function's response. */
        private void function(String kind, String id, String name, String field, ObjectNode value) {
            ObjectNode part = Json.obj();
            ObjectNode f = part.putObject(kind);
            f.put("id", id);
            f.put("name", name);
            f.set(field, value);
            emit(content(event(false), part));
        }

        /** Partial chunks (each after textDelay), then the whole text; nothing on a silent turn. */
        void say(String whole) {
            if (silent) {
                return;
            }
            for (String chunk : chunks(whole)) {
                pause(env.config.textDelay());
                ObjectNode part = Json.obj();
                part.put("text", chunk);
                emit(content(event(true), part));
            }
            ObjectNode part = Json.obj();
            part.put("text", whole);
            emit(content(event(false), part));
        }

        void generation(String prompt) {
            SimulatorConfig c = env.config;
            // the length asked for ("a 5-second video"; the last one said wins, as settings follow the prompt), else
            // the configured one; --fast lowers size and fps only
            int secs = lastSeconds(prompt.toLowerCase(java.util.Locale.ROOT)).filter(v -> v >= 1 && v <= 60)
                    .orElse(c.videoSeconds());
            int ms = secs * 1000;
            Asked asked = Asked.of(prompt, secs);
            int[] size = asked.size(c.videoWidth(), c.videoHeight(), VideoMaker.imageSize(session.image()));
            String mediaId = "media_" + env.hex(6);
            String clipName = session.imageName() + " animated" + asked.shown();
            String callId = "call_" + env.hex(6);
            ObjectNode args = Json.obj();
            args.put("prompt", prompt);
            args.put("image", session.imageName());
            args.put("duration", secs);
            call(callId, "generate_video", args);
            // warm the MP4 cache while "generating", so the export is quick
            String title = pickTitle(prompt);
            videos.video(session.image(), title, title, size[0], size[1], secs, c.videoFps());
            stage();

            ObjectNode draft = Session.emptyDraft();
            ArrayNode tracks = (ArrayNode) draft.get("t");
            ObjectNode video = segment(ms);
            ((ObjectNode) video.get("m")).put("name", clipName);
            ((ObjectNode) video.get("m")).put("src", "nemo://media/" + mediaId);
            asked.into((ObjectNode) video.get("m"), size);
            session.canvas(size[0], size[1]);
            tracks.add(track(0, video));
            session.draft(draft);
            session.media(media(mediaId, clipName, ms, "processing"));
            ObjectNode r1 = Json.obj();
            r1.put("status", "success");
            r1.put("media_id", mediaId);
            r1.put("duration_ms", ms);
            response(callId, "generate_video", r1);
            say(line("rawReady"));

            String call2 = "call_" + env.hex(6);
            ObjectNode args2 = Json.obj();
            args2.put("media_id", mediaId);
            args2.put("music", "Lo-fi");
            call(call2, "add_music_and_title", args2);
            stage();
            ObjectNode full = session.draftCopy();
            ArrayNode t2 = (ArrayNode) full.get("t");
            t2.add(bgm(ms, "Lo-fi", 35));
            t2.add(title(title));
            session.draft(full);
            session.media(media(mediaId, clipName, ms, "completed"));
            ObjectNode r2 = Json.obj();
            r2.put("status", "success");
            r2.put("title", title);
            response(call2, "add_music_and_title", r2);
            say(line("done", "secs", secs));
        }

        void edit(String instruction) {
            String callId = "call_" + env.hex(6);
            ObjectNode args = Json.obj();
            args.put("instruction", instruction);
            call(callId, "edit_timeline", args);
            stage();
            String lower = instruction.toLowerCase(Locale.ROOT);
            ObjectNode draft = session.draftCopy();
            ArrayNode tracks = (ArrayNode) draft.get("t");
            int videoMs = videoMs(tracks);
            String answer;
            if (containsAny(lower, MUSIC_WORDS)) {
                String name = containsAny(lower, JAZZ) ? "Jazz" : containsAny(lower, PIANO) ? "Piano"
                        : lower.contains("epic") ? "Epic" : "Lo-fi";
                int volume = percent(lower).orElse(35);
                removeTracks(tracks, 1);
                tracks.add(bgm(videoMs > 0 ? videoMs : env.config.videoSeconds() * 1000, name, volume));
                answer = line("music", "name", name, "volume", volume);
            } else if (containsAny(lower, TITLE_WORDS)) {
                String title = quoted(instruction).orElseGet(() -> pickTitle(instruction));
                removeTracks(tracks, 7);
                tracks.add(title(title));
                answer = line("title", "title", title);
            } else if (containsAny(lower, TRIM_WORDS) && videoMs > 0) {
                int target = seconds(lower).map(s -> s * 1000).filter(v -> v > 0 && v < videoMs)
                        .orElse(Math.max(1000, videoMs / 2));
                clamp(tracks, target);
                answer = line("trim", "secs", target / 1000);
            } else if (containsAny(lower, SPEED_WORDS) && videoMs > 0) {
                int target = Math.max(500, videoMs / 2);
                clamp(tracks, target);
                answer = line("speed", "secs", target / 1000.0);
            } else {
                answer = line("updated");
            }
            session.draft(draft);
            ObjectNode r = Json.obj();
            r.put("status", "success");
            r.put("tracks", tracks.size());
            response(callId, "edit_timeline", r);
            say(answer);
        }

        void chat() {
            int pick = env.nextInt(CHAT_LINES);
            boolean trailing = env.nextInt(4) == 0;
            say(line("chat." + pick));
            if (trailing && !silent) {
                ObjectNode part = Json.obj();
                part.put("text", TEMPORARY_ISSUE);
                emit(content(event(false), part));
            }
        }

        private String pickTitle(String prompt) {
            return line("videoTitle." + Math.floorMod(prompt.hashCode(), VIDEO_TITLES));
        }

        private ArrayNode media(String id, String name, int ms, String status) {
            ArrayNode list = Json.arr();
            ObjectNode m = list.addObject();
            m.put("id", id);
            m.put("type", "video");
            m.put("name", name);
            m.put("duration", ms);
            m.put("status", status);
            return list;
        }
    }

    static List<String> chunks(String whole) {
        List<String> out = new ArrayList<>();
        int n = whole.length();
        if (n < 12) {
            out.add(whole);
            return out;
        }
        int prev = 0;
        for (int k = 1; k <= 2; k++) {
            int cut = n * k / 3;
            int space = whole.indexOf(' ', cut);
            if (space > 0 && space - cut < 12) {
                cut = space + 1;
            }
            if (cut < n && Character.isLowSurrogate(whole.charAt(cut))) {
                cut++;
            }
            if (cut > prev && cut < n) {
                out.add(whole.substring(prev, cut));
                prev = cut;
            }
        }
        out.add(whole.substring(prev));
        return out;
    }

    static ObjectNode segment(int ms) {
        ObjectNode s = Json.obj();
        s.put("d", ms);
        s.putObject("m");
        return s;
    }

    static ObjectNode track(int type, ObjectNode... segments) {
        ObjectNode t = Json.obj();
        t.put("tt", type);
        ArrayNode sg = t.putArray("sg");
        for (ObjectNode s : segments) {
            sg.add(s);
        }
        return t;
    }

    static ObjectNode bgm(int ms, String name, int volume) {
        ObjectNode s = segment(ms);
        ((ObjectNode) s.get("m")).put("name", name);
        ((ObjectNode) s.get("m")).put("volume", volume);
        return track(1, s);
    }

    static ObjectNode title(String text) {
        ObjectNode s = segment(3000);
        ((ObjectNode) s.get("m")).put("text", text);
        return track(7, s);
    }

    static int videoMs(ArrayNode tracks) {
        int max = 0;
        for (JsonNode t : tracks) {
            if (t.path("tt").asInt(-1) == 0) {
                for (JsonNode s : t.path("sg")) {
                    max = Math.max(max, s.path("s").asInt(0) + s.path("d").asInt(0));
                }
            }
        }
        return max;
    }

    static void removeTracks(ArrayNode tracks, int type) {
        for (int i = tracks.size() - 1; i >= 0; i--) {
            if (tracks.get(i).path("tt").asInt(-1) == type) {
                tracks.remove(i);
            }
        }
    }

    static void clamp(ArrayNode tracks, int ms) {
        for (JsonNode t : tracks) {
            for (JsonNode s : t.path("sg")) {
                if (s.path("d").asInt(0) > ms) {
                    ((ObjectNode) s).put("d", ms);
                }
            }
        }
    }

    static boolean containsAny(String s, List<String> words) {
        return words.stream().anyMatch(s::contains);
    }

    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3})\\s*%");
    private static final Pattern SECONDS = Pattern.compile("(\\d{1,3})\\s*-?\\s*(s\\b|sec|second|seg|sekund|секунд|秒|초)");
    private static final Pattern QUOTED = Pattern.compile("[\"“「](.{1,60}?)[\"”」]");

    static java.util.Optional<Integer> percent(String s) {
        Matcher m = PERCENT.matcher(s);
        return m.find() ? java.util.Optional.of(Math.min(100, Integer.parseInt(m.group(1)))) : java.util.Optional.empty();
    }

    /** The last length said in {@code s} ("… a 5-second video\nSettings: 8 seconds long" is 8). */
    static java.util.Optional<Integer> lastSeconds(String s) {
        Matcher m = SECONDS.matcher(s);
        Integer last = null;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return java.util.Optional.ofNullable(last);
    }

    static java.util.Optional<Integer> seconds(String s) {
        Matcher m = SECONDS.matcher(s);
        return m.find() ? java.util.Optional.of(Integer.parseInt(m.group(1))) : java.util.Optional.empty();
    }

    static java.util.Optional<String> quoted(String s) {
        Matcher m = QUOTED.matcher(s);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }
}
