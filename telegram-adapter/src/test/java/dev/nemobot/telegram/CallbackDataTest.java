package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.Action;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A button's callback_data carries its owner and, for a quick edit under a video, that video's result id
 * ({@code /again <owner> <result id>}), within Telegram's 64 bytes; the data of older buttons still reads.
 */
class CallbackDataTest {
    private static final Optional<String> RESULT = Optional.of("k3x9m2p7q4rt");

    @Test
    void aQuickEditCarriesItsOwnerThenItsResultAndReadsBackAsItsCommandWithTheResult() {
        String data = Buttons.data(Action.AGAIN, "1001", RESULT);
        assertThat(data).isEqualTo("/again 1001 k3x9m2p7q4rt");
        Buttons.Pressed pressed = Buttons.parse(data).orElseThrow();
        assertThat(pressed.ownerId()).contains("1001");
        assertThat(pressed.resultId()).isEqualTo(RESULT);
        assertThat(pressed.command()).isEqualTo("/again k3x9m2p7q4rt");
        assertThat(Buttons.data(Action.NEW, "1001", RESULT)).as("a button that acts on no result").isEqualTo("/new 1001");
    }

    @Test
    void theLongestOwnerAndResultFitTheLimit() {
        for (Action a : Action.values()) {
            String data = Buttons.data(a, "-9223372036854775808", Optional.of("abcdefghijkmnpqr"));
            assertThat(data.getBytes(StandardCharsets.UTF_8).length).as(data)
                    .isLessThanOrEqualTo(Buttons.CALLBACK_DATA_LIMIT);
            assertThat(Buttons.parse(data)).as(data).isPresent();
        }
    }

    @Test
    void olderDataStillReadsAndDataThisBotNeverSentDoesNot() {
        assertThat(Buttons.parse("/again")).contains(new Buttons.Pressed(Action.AGAIN, Optional.empty()));
        assertThat(Buttons.parse("/again 1001")).contains(new Buttons.Pressed(Action.AGAIN, Optional.of("1001")));
        assertThat(Buttons.parse("/export 1001 k3x9m2p7q4rt")).as("a result on a button that takes none").isEmpty();
        assertThat(Buttons.parse("/again 1001 ../../etc")).isEmpty();
        assertThat(Buttons.parse("/again k3x9m2p7q4rt")).as("a result without its owner").isEmpty();
        assertThat(Buttons.parse("/again 1001 k3x9m2p7q4rt more")).isEmpty();
        assertThat(Buttons.parse("/explode 1001")).isEmpty();
    }
}
