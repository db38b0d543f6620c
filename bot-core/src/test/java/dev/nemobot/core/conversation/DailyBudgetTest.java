package dev.nemobot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.config.LimitSettings;
import dev.nemobot.core.store.memory.MemoryStore;
import dev.nemobot.core.chat.Lang;
import dev.nemobot.core.text.Messages;
import dev.nemobot.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class DailyBudgetTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T21:40:00Z"));
    private final Messages en = Messages.of(Lang.EN);
    private final Messages zh = Messages.of(Lang.ZH);

    private DailyBudget budget(int daily, boolean operator) {
        return new DailyBudget(LimitSettings.defaults().withDailyCredits(daily).withCreditEstimates(10, 2), operator,
                new MemoryStore(clock).credits(), clock);
    }

    @Test
    void aTurnStartsOnlyWhileAGenerationsWorthIsLeftAndTheRefusalSaysWhenItRenews() {
        DailyBudget b = budget(25, true);
        LocalDate day = b.today();
        assertThat(b.refusal("u", en)).isEmpty();
        assertThat(b.spend("u", day, true, true)).isEqualTo(10);
        assertThat(b.spend("u", day, false, true)).as("an edit").isEqualTo(2);
        assertThat(b.spend("u", day, false, false)).as("a chat answer").isZero();
        assertThat(b.remaining("u")).hasValue(13);
        assertThat(b.refusal("u", en)).isEmpty();
        b.spend("u", day, false, true);
        b.spend("u", day, false, true);
        assertThat(b.remaining("u")).hasValue(9);
        assertThat(b.refusal("u", en)).get().asString()
                .contains("budget of 25 credits").contains("00:00 UTC").contains("in 2 h 20 min")
                .contains("/status");
        assertThat(b.refusal("u", zh)).get().asString().contains("25 积分").contains("UTC 时间 00:00")
                .contains("2 小时 20 分钟后");
        assertThat(b.refusal("someone else", en)).isEmpty();
        assertThat(b.describe("u", en)).get().asString().contains("9 of 25 credits left today");

        clock.advance(Duration.ofMinutes(140)); // 00:00 UTC
        assertThat(b.today()).isEqualTo(day.plusDays(1));
        assertThat(b.refusal("u", en)).as("a new day").isEmpty();
        assertThat(b.remaining("u")).hasValue(25);
        assertThat(b.untilRenewal()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aTurnCountsOnTheDayItStarted() {
        DailyBudget b = budget(20, true);
        LocalDate started = b.today();
        clock.advance(Duration.ofHours(3)); // finished after midnight
        b.spend("u", started, true, true);
        assertThat(b.remaining("u")).hasValue(20);
    }

    @Test
    void noBudgetWithoutTheOperatorsTokenOrWithZero() {
        for (DailyBudget b : new DailyBudget[]{budget(10, false), budget(0, true)}) {
            assertThat(b.enabled()).isFalse();
            assertThat(b.spend("u", b.today(), true, true)).isZero();
            assertThat(b.refusal("u", en)).isEmpty();
            assertThat(b.remaining("u")).isEmpty();
            assertThat(b.describe("u", en)).isEmpty();
        }
    }

    @Test
    void aBudgetSmallerThanOneGenerationStillLetsTheFirstTurnStart() {
        DailyBudget b = budget(5, true);
        assertThat(b.refusal("u", en)).isEmpty();
        b.spend("u", b.today(), false, true);
        assertThat(b.refusal("u", en)).isPresent();
    }
}
