package dev.nemobot.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AdkEventsTest {
    private final AdkEvents events = new AdkEvents(new ObjectMapper());

    @Test
    void textFunctionCallAndResponsePartsAreRead() {
        AdkEvent e = events.parse("""
                {"id":"ev1","invocationId":"e-1","author":"nemo_agent","timestamp":1.5,"partial":false,
                 "content":{"role":"model","parts":[{"text":"Hello "},
                   {"functionCall":{"id":"c1","name":"generate_video","args":{"seconds":5}}},
                   {"functionResponse":{"id":"c1","name":"generate_video","response":{"ok":true}}},
                   {"text":"world"}]},
                 "actions":{"stateDelta":{},"artifactDelta":{}}}""", "9").orElseThrow();
        assertThat(e.id()).isEqualTo("ev1");
        assertThat(e.author()).isEqualTo("nemo_agent");
        assertThat(e.partial()).isFalse();
        assertThat(e.text()).isEqualTo("Hello world");
        assertThat(e.isError()).isFalse();
        assertThat(e.parts()).hasSize(4);
        assertThat(e.parts().get(1)).isInstanceOfSatisfying(AdkEvent.Part.FunctionCall.class, c -> {
            assertThat(c.name()).isEqualTo("generate_video");
            assertThat(c.argsJson()).isEqualTo("{\"seconds\":5}");
        });
        assertThat(e.parts().get(2)).isInstanceOfSatisfying(AdkEvent.Part.FunctionResponse.class,
                r -> assertThat(r.responseJson()).isEqualTo("{\"ok\":true}"));
    }

    @Test
    void partialFlagAndSseIdFallback() {
        AdkEvent e = events.parse("{\"partial\":true,\"content\":{\"parts\":[{\"text\":\"Hel\"}]}}", "12").orElseThrow();
        assertThat(e.partial()).isTrue();
        assertThat(e.id()).isEqualTo("12");
        assertThat(e.text()).isEqualTo("Hel");
    }

    @Test
    void bothErrorStylesBecomeErrorEvents() {
        AdkEvent plain = events.parse("{\"error\":\"model overloaded\"}", "3").orElseThrow();
        assertThat(plain.errorCode()).contains("error");
        assertThat(plain.errorMessage()).contains("model overloaded");
        assertThat(plain.isError()).isTrue();

        AdkEvent adk = events.parse("{\"id\":\"x\",\"errorCode\":\"RESOURCE_EXHAUSTED\",\"errorMessage\":\"quota\"}", null)
                .orElseThrow();
        assertThat(adk.errorCode()).contains("RESOURCE_EXHAUSTED");
        assertThat(adk.errorMessage()).contains("quota");

        AdkEvent nested = events.parse("{\"error\":{\"message\":\"boom\",\"code\":500}}", null).orElseThrow();
        assertThat(nested.errorMessage()).contains("boom");

        AdkEvent snake = events.parse("{\"error_code\":\"E\",\"error_message\":\"m\"}", null).orElseThrow();
        assertThat(snake.errorCode()).contains("E");
    }

    @Test
    void longErrorTextIsClipped() {
        AdkEvent e = events.parse("{\"error\":\"" + "x".repeat(5000) + "\"}", null).orElseThrow();
        assertThat(e.errorMessage().orElseThrow()).hasSizeLessThan(AdkEvents.MAX_ERROR_CHARS + 5);
    }

    @Test
    void thoughtsAndUnknownPartsAreLeftOut() {
        AdkEvent e = events.parse("{\"content\":{\"parts\":[{\"text\":\"hmm\",\"thought\":true},{\"inlineData\":{}},"
                + "{\"text\":\"ok\"}]}}", null).orElseThrow();
        assertThat(e.parts()).containsExactly(new AdkEvent.Part.Text("ok"));
    }

    @Test
    void nonJsonOrNonObjectDataIsNoEvent() {
        assertThat(events.parse("not json", "1")).isEmpty();
        assertThat(events.parse("[1,2]", "1")).isEmpty();
        assertThat(events.parse("\"text\"", "1")).isEmpty();
    }
}
