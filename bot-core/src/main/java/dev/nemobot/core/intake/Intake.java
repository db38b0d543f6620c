package dev.nemobot.core.intake;

import dev.nemobot.config.Settings;
import dev.nemobot.core.chat.ButtonPress;
import dev.nemobot.core.chat.ChatPlatform;
import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.chat.Lang;
import dev.nemobot.core.conversation.ConversationParts;
import dev.nemobot.core.conversation.Replier;
import dev.nemobot.core.conversation.Sessions;
import dev.nemobot.core.conversation.VideoHistory;
import dev.nemobot.core.lane.LaneRunner;
import dev.nemobot.core.lane.ShortTasks;
import dev.nemobot.core.lane.WorkContext;
import dev.nemobot.core.metrics.EngineMetrics;
import dev.nemobot.core.store.HandledMessages;
import dev.nemobot.core.text.SafeText;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every message from a platform comes in, on the platform's own thread, and leaves at once: cleaned
 * ({@link SafeText}), checked against the messages handled already ({@link Dedup}), let through the gate
 * ({@link Gatekeeper}, the adapter's own refusals, the shutdown notice), routed ({@link Router}) and handed on
 * ({@link IntentHandlers}). Whatever may block runs on a virtual thread. Thread-safe.
 */
public final class Intake {
    private static final Logger log = LoggerFactory.getLogger(Intake.class);

    private final Gatekeeper keeper;
    private final Dedup dedup;
    private final Sessions sessions;
    private final IntentHandlers handoff;
    private final ShortTasks tasks;
    private final EngineMetrics metrics;
    private final BooleanSupplier closing;

    /**
     * Intake as the engine builds it: the memory of handled messages ({@link Dedup}, loaded from {@code handled}),
     * the gate from the access and limit settings, and the handlers a routed message is handed to, from the
     * conversation's parts (built with the gate's forgetting of a user, for /forget) and the video history.
     *
     * @param conversation builds the conversation's parts, given what forgets a user at the gate
     * @param context      the engine's clock, tasks and meters; once it is closing, a message is answered with the
     *                     shutdown notice
     */
    public static Intake wire(Settings settings, HandledMessages handled, Sessions sessions, LaneRunner lanes,
                              Function<Consumer<String>, ConversationParts> conversation, VideoHistory history,
                              WorkContext context) {
        Dedup dedup = new Dedup(handled, context.clock());
        Gatekeeper gate = new Gatekeeper(settings.access(), settings.limits(), context.clock());
        ConversationParts parts = conversation.apply(gate::forget);
        IntentHandlers handoff = new IntentHandlers(lanes, parts.work(), parts.commands(), history, parts.forget(),
                context.tasks());
        return new Intake(gate, dedup, sessions, handoff, context.tasks(), context.metrics(), context.closing());
    }

    /** Forgets the handled messages past their retention (housekeeping: {@link Dedup#forgetHandled}). */
    public void forgetHandled() {
        dedup.forgetHandled();
    }

    /** @param closing true once the engine is closing: a message is then answered with the shutdown notice */
    Intake(Gatekeeper keeper, Dedup dedup, Sessions sessions, IntentHandlers handoff, ShortTasks tasks,
           EngineMetrics metrics, BooleanSupplier closing) {
        this.keeper = keeper;
        this.dedup = dedup;
        this.sessions = sessions;
        this.handoff = handoff;
        this.tasks = tasks;
        this.metrics = metrics;
        this.closing = closing;
    }

    /** True when {@code message} routes to /cancel (typed however: a keyword, {@code /cancel@bot}, a full-width slash). */
    public static boolean asksToCancel(Incoming message) {
        return Router.route(message) instanceof Route.Do d && d.intent() == Intent.CANCEL;
    }

    /** Never blocks: everything that may block runs on a virtual thread. */
    public void accept(ChatPlatform platform, Incoming raw) {
        accept(platform, raw, null);
    }

    /**
     * A button press, acknowledged by the adapter without a word: it passes the same checks as a message, and
     * everything said about the press itself goes to {@code press}, privately. A user the access lists deny gets no
     * text at all; a press past the rate limit at most the gate's one notice. Never blocks.
     */
    public void press(ChatPlatform platform, Incoming raw, ButtonPress press) {
        accept(platform, raw, Objects.requireNonNull(press, "press"));
    }

    private void accept(ChatPlatform platform, Incoming raw, ButtonPress press) {
        Objects.requireNonNull(raw, "message");
        // control and invisible characters go before anything counts, routes or forwards the text
        Incoming m = raw.withText(SafeText.inbound(raw.text()));
        if (dedup.seen(platform.name(), m.messageId())) {
            log.debug("{}: duplicate message {} ignored", platform.name(), m.messageId());
            done(press);
            return;
        }
        Replier plain = sessions.replier(platform, m.replyTo(), m.user(), m.text(), Lang.of(m.user(), m.text()));
        Replier to = press == null ? plain : plain.answering(press);
        // every answer passes the gate first: the adapters' own refusals and the shutdown notice too
        if (keeper.check(m) instanceof Gatekeeper.Verdict.Refuse r) {
            metrics.refused(r.reason());
            log.debug("{}: message refused ({})", platform.name(), r.reason());
            if (press != null) {
                // a denied user's press ends without a word; a rate-limited one gets at most the gate's notice
                String text = r.reason().equals(Gatekeeper.ACCESS) ? "" : r.text().orElse("");
                tasks.spawn(() -> to.sayPrivately(text));
            } else {
                // refused in silence (told a moment ago): a platform's "thinking…" placeholder must not stay for good
                tasks.spawn(() -> r.text().ifPresentOrElse(to::say, to::dismiss));
            }
            return; // not recorded as handled: a denied user's updates are not stored
        }
        if (closing.getAsBoolean()) {
            // not claimed either: a redelivery to another instance is handled there
            tasks.spawn(() -> to.sayPrivately(to.messages().shuttingDown()));
            return;
        }
        if (!dedup.remember(platform.name(), m.messageId())) {
            log.debug("{}: duplicate message {} ignored", platform.name(), m.messageId());
            done(press);
            return;
        }
        BooleanSupplier claim = () -> dedup.claim(platform.name(), m.messageId(), m.user().key());
        if (m.refusal().isPresent()) {
            String refusal = m.refusal().get();
            metrics.refused("adapter");
            tasks.spawn(() -> {
                if (claim.getAsBoolean()) {
                    to.sayPrivately(refusal);
                } else {
                    to.pressDone();
                }
            });
            return;
        }
        Route route = Router.route(m);
        if (route instanceof Route.Nothing && !raw.text().isBlank()) {
            route = new Route.Do(Intent.HELP); // nothing but invisible characters: say what the bot understands
        }
        if (route instanceof Route.Nothing) {
            done(press);
            return;
        }
        handoff.handOn(route, to, claim);
    }

    private static void done(ButtonPress press) {
        if (press != null) {
            press.answer("");
        }
    }
}
