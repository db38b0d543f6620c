package dev.nemobot.core.spec;

import static dev.nemobot.core.testing.TestChats.file;
import static dev.nemobot.core.testing.TestChats.png;
import static dev.nemobot.core.testing.TestChats.text;
import static dev.nemobot.core.testing.TestChats.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.config.LimitSettings;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.testing.SpecFixture;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The daily budget on a shared operator account ({@code BOT_DAILY_CREDITS}), on manual time: generations stop at
 * the budget with the time it renews, exports stay free, each user has their own, and it renews at 00:00 UTC.
 */
class BudgetSpec {
    static final String ANIMATE = ConversationSpec.ANIMATE;
    final ChatUser ann = user("telegram", "1", Locale.ENGLISH);
    final ChatUser bo = user("telegram", "2", Locale.ENGLISH);

    @Test
    void generationsStopAtTheBudgetWithTheTimeItRenewsAndStartAgainTheNextDay() {
        try (SpecFixture s = SpecFixture.withOperatorToken(st -> st.withLimits(
                LimitSettings.defaults().withDailyCredits(20).withCreditEstimates(10, 2)))) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            s.send(text(ann, "make a new video of it with faster motion"));
            s.untilIdle();
            assertThat(s.backend().calls("runTurn")).isEqualTo(2);

            s.send(text(ann, "animate it once more"));
            String refused = s.untilText(t -> t.contains("today's budget of 20 credits"), "the refusal");
            // the clock starts at 12:00 UTC and the render took a few minutes: about 12 hours to go
            assertThat(refused).contains("00:00 UTC").containsPattern("in 11 h \\d+ min\\.").contains("/status");
            s.send(text(ann, "/credits"));
            assertThat(s.untilText(t -> t.startsWith("Credits:"), "the balance"))
                    .contains("Your daily budget: 0 of 20 credits left today");
            s.untilIdle();
            long videos = s.videos();
            s.send(text(ann, "export"));
            s.untilIdle();
            assertThat(s.videos()).as("exports are free: never refused").isEqualTo(videos + 1);

            s.send(text(bo, "hello"));
            s.untilIdle();
            assertThat(s.backend().calls("runTurn")).as("bo has a budget of his own; ann's third never left")
                    .isEqualTo(3);

            LocalDate today = LocalDate.ofInstant(s.time().now(), ZoneOffset.UTC);
            s.time().jump(Duration.between(s.time().now(), today.plusDays(1).atStartOfDay(ZoneOffset.UTC)
                    .toInstant()).plusMinutes(1));
            s.send(text(ann, "/credits"));
            s.untilText(t -> t.contains("20 of 20 credits left today"), "a renewed budget");
            s.send(text(ann, "animate it once more"));
            s.untilIdle();
            assertThat(s.backend().calls("runTurn")).isEqualTo(4);
        }
    }

    @Test
    void editsCountTheirEstimateAndTheRefusalSpeaksChinese() {
        ChatUser li = user("telegram", "3", Locale.SIMPLIFIED_CHINESE);
        try (SpecFixture s = SpecFixture.withOperatorToken(st -> st.withLimits(
                LimitSettings.defaults().withDailyCredits(21).withCreditEstimates(10, 2)))) {
            s.send(file(li, "把这张图片做成视频", png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            s.send(text(li, "加上爵士音乐"));
            s.untilIdle();
            s.send(text(li, "你好"));
            s.untilText(t -> t.contains("21 积分的额度已用完") && t.contains("UTC 时间 00:00")
                    && t.matches("(?s).*1[12] 小时( \\d+ 分钟)?后.*"), "the refusal in Chinese");
            s.untilIdle();
            assertThat(s.backend().calls("runTurn")).as("a generation (10) and an edit (2): 12 of 21").isEqualTo(2);
        }
    }

    @Test
    void whatWasSpentIsKeptAcrossARestart() {
        try (SpecFixture s = SpecFixture.withOperatorToken(st -> st.withLimits(
                LimitSettings.defaults().withDailyCredits(10).withCreditEstimates(10, 2)))) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            s.restart();
            s.send(text(ann, "animate it once more"));
            s.untilText(t -> t.contains("today's budget of 10 credits"), "the refusal after a restart");
            s.untilIdle();
            assertThat(s.backend().calls("runTurn")).isEqualTo(1);
        }
    }

    @Test
    void anonymousUsersSpendTheirOwnCreditsSoNoBudgetApplies() {
        try (SpecFixture s = SpecFixture.start(st -> st.withLimits(
                LimitSettings.defaults().withDailyCredits(10).withCreditEstimates(10, 2)), b -> b)) {
            s.send(file(ann, ANIMATE, png("photo.png")));
            s.untilVideo();
            s.untilIdle();
            s.send(text(ann, "animate it again into a new video"));
            s.send(text(ann, "/credits"));
            s.untilIdle();
            assertThat(s.backend().calls("runTurn")).isEqualTo(2);
            assertThat(s.platform().texts()).noneMatch(t -> t.contains("budget"));
        }
    }
}
