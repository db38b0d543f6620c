package dev.nemobot.core.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Command;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.Incoming;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The table from command to intent to handler has no hole: every intent is handled, every command routed. */
class IntentTableTest {
    private static final ChatUser USER = new ChatUser("test", "1", "Ann", Locale.ENGLISH);
    private static final Conversation CHAT = new Conversation("test", "c1", false);

    @Test
    void everyIntentHasAHandler() {
        // the table is built (and checked whole) when an IntentHandlers is made; its handlers call their collaborators later
        IntentHandlers handoff = new IntentHandlers(null, null, null, null, null, null);
        assertThat(Intent.values()).allSatisfy(i -> assertThat(handoff.handles(i)).as("%s", i).isTrue());
    }

    @Test
    void everyCommandButAnimateIsAnIntents() {
        // /animate is Discord's slash form of a request: a turn, which the adapter makes of it
        assertThat(Arrays.stream(Command.values()).filter(c -> c != Command.ANIMATE))
                .allSatisfy(c -> assertThat(Arrays.stream(Intent.values()).map(Intent::command))
                        .as("/%s", c.word()).contains(Optional.of(c)));
        assertThat(route("/animate a cat")).isEqualTo(new Route.Do(Intent.UNKNOWN_COMMAND, "/animate"));
    }

    @Test
    void everyButtonRoutesToItsCommandsIntent() {
        for (Action a : Action.values()) {
            Route r = route(a.command(Optional.of("2")));
            assertThat(r).isInstanceOf(Route.Do.class);
            Route.Do d = (Route.Do) r;
            assertThat(d.intent().command()).as("%s", a).contains(a.sends());
            assertThat(d.command()).isEqualTo(a.takesArgument() ? "2" : "");
        }
    }

    private static Route route(String text) {
        return Router.route(new Incoming("m", USER, CHAT, text, List.of()));
    }
}
