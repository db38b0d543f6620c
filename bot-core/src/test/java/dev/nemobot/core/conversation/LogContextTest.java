package dev.nemobot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {
    @Test
    void putsThePlatformAndAPseudonymNeverTheIdAndPutsBackWhatWasThere() {
        MDC.put(LogContext.PLATFORM, "outer");
        try (LogContext c = LogContext.of("telegram", "telegram:7034459123")) {
            assertThat(MDC.get(LogContext.PLATFORM)).isEqualTo("telegram");
            assertThat(MDC.get(LogContext.USER)).matches("[0-9a-f]{10}").doesNotContain("7034459123");
            try (LogContext inner = LogContext.of("discord", "discord:42")) {
                assertThat(MDC.get(LogContext.PLATFORM)).isEqualTo("discord");
            }
            assertThat(MDC.get(LogContext.PLATFORM)).isEqualTo("telegram");
        }
        assertThat(MDC.get(LogContext.PLATFORM)).isEqualTo("outer");
        assertThat(MDC.get(LogContext.USER)).isNull();
        MDC.clear();
    }

    @Test
    void aUsersPseudonymIsStableAndOthersDiffer() {
        assertThat(LogContext.pseudonym("telegram:1")).isEqualTo(LogContext.pseudonym("telegram:1"))
                .isNotEqualTo(LogContext.pseudonym("telegram:2")).isNotEqualTo(LogContext.pseudonym("discord:1"));
    }
}
