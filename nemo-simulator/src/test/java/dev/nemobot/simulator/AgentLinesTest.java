package dev.nemobot.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The simulated agent answers in the language its session was created in. */
class AgentLinesTest {
    /** Every sentence the agent says; the video titles stay English outside Chinese. */
    private static final List<String> SENTENCES = List.of("needImage", "rawReady", "done", "music", "title", "trim",
            "speed", "updated", "chat.0", "chat.1", "chat.2");
    private NemoSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"ja, ja", "JA-jp, ja", "ko-KR, ko", "es-419, es", "pt-BR, pt", "ru, ru", "de-AT, de", "fr-CA, fr",
        "zh, zh", "zh-CN, zh", "zh-Hans, zh", "zh-TW, zh-TW", "zh-HK, zh-TW", "zh-Hant, zh-TW", "zh_TW, zh-TW",
        "en-GB, en", "xx, xx", "'', en", "'not a tag!', en", "12, en"})
    void theLanguageIsKeptAsItsPrimaryCodeAndTraditionalChineseApart(String asked, String kept) {
        assertThat(AgentLines.normalise(asked)).isEqualTo(kept);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zh", "zh-TW", "ja", "ko", "es", "pt", "ru", "de", "fr"})
    void eachCatalogueLanguageHasItsOwnWordsForEverySentence(String code) {
        AgentLines english = AgentLines.of("en");
        AgentLines lines = AgentLines.of(code);
        for (String key : SENTENCES) {
            assertThat(lines.say(key)).as(code + " " + key).isNotBlank().isNotEqualTo(english.say(key));
        }
        // the placeholders are all filled
        assertThat(lines.say("done", "secs", 5)).contains("5").doesNotContain("{");
        assertThat(lines.say("music", "name", "Jazz", "volume", 40)).contains("Jazz", "40").doesNotContain("{");
        assertThat(lines.say("title", "title", "Hi")).contains("Hi").doesNotContain("{");
        assertThat(lines.say("trim", "secs", 3)).contains("3").doesNotContain("{");
        assertThat(lines.say("speed", "secs", 2.5)).contains("2.5").doesNotContain("{");
    }

    @Test
    void anUnknownLanguageGetsEnglishWhateverTheMachinesLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.JAPAN);
        try {
            assertThat(AgentLines.of("xx").say("done", "secs", 5)).startsWith("Done! Your 5-second clip is ready.");
            assertThat(AgentLines.of("").say("needImage")).startsWith("Please click Upload");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void aJapaneseSessionGeneratesAndEditsInJapanese() {
        sim = NemoSimulator.start(SimulatorConfig.fast());
        SimClient client = new SimClient(sim);
        String token = client.token();
        SimClient.Answer created = client.createSession(token, "ja");
        assertThat(created.data().path("language").asText()).isEqualTo("ja");
        String sid = created.data().path("session_id").asText();

        assertThat(client.sse(token, sid, "この写真を5秒の動画にして").texts(false))
                .containsExactly("まず「アップロード」をクリックして画像を追加し、どう動かしたいか教えてください。");
        assertThat(client.upload(token, sid, "photo.png", SimClient.png(80, 60)).code()).isZero();
        assertThat(client.sse(token, sid, "この写真を5秒の動画にして").texts(false)).containsExactly(
                "元の動画ができました。BGMとタイトルを追加しています……",
                "完成です！5秒のクリップができました。エクスポートをクリックしてダウンロードするか、タイムラインでプレビューしてください。");
        assertThat(client.state(token, sid).data().path("state").path("draft").path("t").path(0).path("sg").path(0)
                .path("d").asInt()).isEqualTo(5000);
        assertThat(client.sse(token, sid, "ジャズの音楽を50%で").texts(false))
                .containsExactly("JazzのBGMを音量50%で追加しました。タイムラインの音量スライダーをドラッグして調整できます。");
    }

    @Test
    void aSessionInALanguageTheSimulatorDoesNotSpeakGetsEnglish() {
        sim = NemoSimulator.start(SimulatorConfig.fast());
        SimClient client = new SimClient(sim);
        String token = client.token();
        String sid = client.createSession(token, "nl").data().path("session_id").asText();
        assertThat(client.sse(token, sid, "animate it").texts(false))
                .containsExactly("Please click Upload to add an image first, then tell me how it should move.");
    }
}
