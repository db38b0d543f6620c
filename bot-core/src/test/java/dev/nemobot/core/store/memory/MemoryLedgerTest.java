package dev.nemobot.core.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.store.CreditLedger;
import dev.nemobot.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The daily-spend ledger of the store in memory (moved here from DailyBudgetTest with the ledger, issue 23). */
class MemoryLedgerTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T21:40:00Z"));

    @Test
    void theLedgerForgetsADayTwoDaysAfterItsLastSpending() {
        CreditLedger ledger = new MemoryLedger(clock);
        LocalDate day = LocalDate.of(2025, 3, 1);
        ledger.add("u", day, 7);
        ledger.add("u", day, 3);
        assertThat(ledger.spent("u", day)).isEqualTo(10);
        assertThat(ledger.spent("u", day.plusDays(1))).isZero();
        clock.advance(Duration.ofDays(2).minusMinutes(1));
        assertThat(ledger.spent("u", day)).isEqualTo(10);
        clock.advance(Duration.ofMinutes(2));
        assertThat(ledger.spent("u", day)).isZero();
    }

    @Test
    void theInMemoryLedgerIsBounded() {
        MemoryLedger small = new MemoryLedger(clock, 100);
        LocalDate day = LocalDate.of(2025, 3, 1);
        for (int i = 0; i < 10_000; i++) {
            small.add("u" + i, day, 1);
        }
        small.cleanUp();
        assertThat(small.size()).isLessThanOrEqualTo(100);
    }
}
