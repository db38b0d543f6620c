package dev.nemobot.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GuiTranslatorTest {

    @Test
    void stripsInterfaceInstructionsAndKeepsTheContent() {
        Translation t = GuiTranslator.translate(
                "Done! Your 5-second clip is ready. Click Export to download it, or preview it in the timeline.");
        assertThat(t.text()).isEqualTo("Done! Your 5-second clip is ready.");
        assertThat(t.followups()).containsExactlyInAnyOrder(Followup.EXPORT, Followup.TIMELINE);
    }

    @Test
    void checkAccountBecomesTheCredits() {
        Translation t = GuiTranslator.translate("Nice photo! You can check your account for the remaining credits.");
        assertThat(t.text()).isEqualTo("Nice photo!");
        assertThat(t.followups()).containsExactly(Followup.CREDITS);
    }

    @Test
    void openBecomesTheTimeline() {
        Translation t = GuiTranslator.translate("The music is now softer. Open the timeline to see it.");
        assertThat(t.text()).isEqualTo("The music is now softer.");
        assertThat(t.followups()).containsExactly(Followup.TIMELINE);
    }

    @Test
    void clickUploadBecomesUploadHelp() {
        Translation t = GuiTranslator.translate("Please click Upload to add an image first");
        assertThat(t.text()).isEmpty();
        assertThat(t.followups()).containsExactly(Followup.UPLOAD);
    }

    @Test
    void dragAndDropBecomesAHintToDescribeTheEdit() {
        Translation t = GuiTranslator.translate("I added a title. Drag it to the end of the track if you like.");
        assertThat(t.text()).isEqualTo("I added a title.");
        assertThat(t.followups()).containsExactly(Followup.DESCRIBE_EDIT);
    }

    @Test
    void chineseInterfaceTalkIsStrippedToo() {
        Translation t = GuiTranslator.translate("完成！你的 5 秒视频已准备好。点击导出即可下载。打开时间线查看。");
        assertThat(t.text()).isEqualTo("完成！你的 5 秒视频已准备好。");
        assertThat(t.followups()).containsExactlyInAnyOrder(Followup.EXPORT, Followup.TIMELINE);
    }

    @Test
    void plainContentPassesUnchanged() {
        Translation t = GuiTranslator.translate("Your raw video is ready, adding background music and a title...");
        assertThat(t.text()).isEqualTo("Your raw video is ready, adding background music and a title...");
        assertThat(t.followups()).isEmpty();
    }

    @Test
    void interfaceWordsAreFoundInAnyCaseAndBesideOtherScripts() {
        Translation t = GuiTranslator.translate("Ready. PRESS the BUTTON to EXPORT it. 请在时间线中预览。Bien, cliquez ici.");
        assertThat(t.text()).isEqualTo("Ready. Bien, cliquez ici.");
        assertThat(t.followups()).containsExactlyInAnyOrder(Followup.EXPORT, Followup.TIMELINE);
    }

    @Test
    void partialTextShowsOnlyWholeSentences() {
        assertThat(GuiTranslator.translatePartial("Done! Your clip is ready. Cli")).isEqualTo("Done! Your clip is ready.");
        assertThat(GuiTranslator.translatePartial("Done! Your clip is ready. Click Export to")).isEqualTo("Done! Your clip is ready.");
        assertThat(GuiTranslator.translatePartial("Don")).isEmpty();
    }

    @Test
    void recognisesTheTrailingTemporaryIssueRemark() {
        assertThat(GuiTranslator.isTemporaryIssue("I encountered a temporary issue.")).isTrue();
        assertThat(GuiTranslator.isTemporaryIssue("Done! Your clip is ready.")).isFalse();
    }
}
