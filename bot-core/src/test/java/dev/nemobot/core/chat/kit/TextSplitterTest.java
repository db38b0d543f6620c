package dev.nemobot.core.chat.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one splitter both adapters use (Telegram's limits plain, Discord's with its markdown escape). */
class TextSplitterTest {
    @Test
    void shortTextIsOnePiece() {
        assertThat(TextSplitter.split("hello", 4096)).containsExactly("hello");
        assertThat(TextSplitter.split("short", 20, '\\')).containsExactly("short");
    }

    @Test
    void cutsAtALineBreakBeforeASpace() {
        assertThat(TextSplitter.split("aaaa bbb\ncc dd", 10)).containsExactly("aaaa bbb", "cc dd");
    }

    @Test
    void cutsAtASpaceWhenThereIsNoLineBreak() {
        assertThat(TextSplitter.split("aaaa bbbb cccc", 10)).containsExactly("aaaa bbbb", "cccc");
    }

    @Test
    void prefersLineBreaksAndNeverExceedsTheLimit() {
        String text = "the line one\n" + "x".repeat(30) + "\nline three";
        List<String> pieces = TextSplitter.split(text, 20, '\\');
        assertThat(pieces).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(20));
        assertThat(pieces.getFirst()).isEqualTo("the line one");
        assertThat(String.join("", pieces)).isEqualTo(text.replace("\n", ""));
    }

    @Test
    void neverCutsASurrogatePair() {
        String emoji = "😀".repeat(6); // 12 UTF-16 units, no spaces
        List<String> parts = TextSplitter.split(emoji, 5);
        assertThat(String.join("", parts)).isEqualTo(emoji);
        assertThat(parts).allSatisfy(p -> {
            assertThat(p.length()).isLessThanOrEqualTo(5);
            assertThat(Character.isLowSurrogate(p.charAt(0))).isFalse();
        });
        assertThat(TextSplitter.split("😀".repeat(15), 11, '\\'))
                .allSatisfy(p -> assertThat(Character.isHighSurrogate(p.charAt(p.length() - 1))).isFalse());
    }

    @Test
    void chineseWithoutSpacesIsCutHard() {
        String zh = "视频".repeat(10);
        assertThat(TextSplitter.split(zh, 7)).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(7))
                .satisfies(parts -> assertThat(String.join("", parts)).isEqualTo(zh));
    }

    @Test
    void aPieceNeverEndsOnTheEscapeCharacter() {
        // a hard cut at 6 would leave "abcde\" | "*f": the escape goes with the character it escapes
        assertThat(TextSplitter.split("abcde\\*fghij", 6, '\\')).containsExactly("abcde", "\\*fghi", "j");
        assertThat(TextSplitter.split("abcde\\*fghij", 6)).containsExactly("abcde\\", "*fghij");
        assertThat(TextSplitter.truncate("abc\\*def", 5, '\\')).isEqualTo("abc…");
        assertThat(TextSplitter.truncate("abc\\*def", 5)).isEqualTo("abc\\…");
    }

    @Test
    void truncateAddsAnEllipsisWithinTheLimit() {
        assertThat(TextSplitter.truncate("abcdefghij", 5)).isEqualTo("abcd…");
        assertThat(TextSplitter.truncate("abc", 5)).isEqualTo("abc");
        assertThat(TextSplitter.truncate("abcdef", 4, '\\')).isEqualTo("abc…");
        assertThat(TextSplitter.truncate("ab😀cd", 4)).isEqualTo("ab…");
    }

    @Test
    void aLimitUnderTwoIsRefused() {
        assertThatThrownBy(() -> TextSplitter.split("abc", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
