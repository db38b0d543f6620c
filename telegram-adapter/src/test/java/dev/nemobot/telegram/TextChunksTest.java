package dev.nemobot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextChunksTest {
    @Test
    void shortTextIsOnePiece() {
        assertThat(TextChunks.split("hello", 4096)).containsExactly("hello");
    }

    @Test
    void cutsAtALineBreakBeforeASpace() {
        assertThat(TextChunks.split("aaaa bbb\ncc dd", 10)).containsExactly("aaaa bbb", "cc dd");
    }

    @Test
    void cutsAtASpaceWhenThereIsNoLineBreak() {
        assertThat(TextChunks.split("aaaa bbbb cccc", 10)).containsExactly("aaaa bbbb", "cccc");
    }

    @Test
    void neverCutsASurrogatePair() {
        String emoji = "😀".repeat(6); // 12 UTF-16 units, no spaces
        List<String> parts = TextChunks.split(emoji, 5);
        assertThat(String.join("", parts)).isEqualTo(emoji);
        assertThat(parts).allSatisfy(p -> {
            assertThat(p.length()).isLessThanOrEqualTo(5);
            assertThat(Character.isLowSurrogate(p.charAt(0))).isFalse();
        });
    }

    @Test
    void chineseWithoutSpacesIsCutHard() {
        String zh = "视频".repeat(10);
        assertThat(TextChunks.split(zh, 7)).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(7))
                .satisfies(parts -> assertThat(String.join("", parts)).isEqualTo(zh));
    }

    @Test
    void truncateAddsAnEllipsisWithinTheLimit() {
        assertThat(TextChunks.truncate("abcdefghij", 5)).isEqualTo("abcd…");
        assertThat(TextChunks.truncate("abc", 5)).isEqualTo("abc");
    }
}
