package dev.nemobot.core.chat.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CappedInputStreamTest {
    @Test
    void readsUpToTheCapAndFailsPastIt() throws IOException {
        try (InputStream exact = new CappedInputStream(new ByteArrayInputStream(new byte[10]), 10, null)) {
            assertThat(exact.readAllBytes()).hasSize(10);
        }
        try (InputStream over = new CappedInputStream(new ByteArrayInputStream(new byte[11]), 10, null)) {
            assertThatThrownBy(over::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("10 bytes");
        }
        try (InputStream oneByOne = new CappedInputStream(new ByteArrayInputStream(new byte[3]), 2, null)) {
            assertThat(oneByOne.read()).isZero();
            assertThat(oneByOne.read()).isZero();
            assertThatThrownBy(oneByOne::read).isInstanceOf(IOException.class);
        }
    }

    @Test
    void closingClosesTheStreamAndThenItsOwner() throws IOException {
        AtomicInteger order = new AtomicInteger();
        int[] closed = new int[2];
        InputStream in = new ByteArrayInputStream(new byte[1]) {
            @Override
            public void close() {
                closed[0] = order.incrementAndGet();
            }
        };
        new CappedInputStream(in, 1, () -> closed[1] = order.incrementAndGet()).close();
        assertThat(closed).containsExactly(1, 2);
    }
}
