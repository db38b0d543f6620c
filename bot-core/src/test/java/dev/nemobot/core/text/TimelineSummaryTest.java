package dev.nemobot.core.text;

import dev.nemobot.core.chat.Lang;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.backend.Draft;
import dev.nemobot.core.backend.DraftJson;
import org.junit.jupiter.api.Test;

class TimelineSummaryTest {

    /** The draft as the state call would decode it. */
    private static Draft json(String s) {
        return DraftJson.parse(s);
    }

    @Test
    void summarisesInTheContractsFormat() throws Exception {
        Draft draft = json("""
                {"t":[{"tt":0,"sg":[{"d":10000,"m":{"name":"city timelapse"}}]},
                      {"tt":1,"sg":[{"d":10000,"m":{"name":"Lo-fi","volume":35}}]},
                      {"tt":7,"sg":[{"d":3000,"m":{"text":"Urban Dreams"}}]}]}""");
        assertThat(TimelineSummary.summarize(draft, Lang.EN)).isEqualTo(
                "Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: \"Urban Dreams\" (0-3s)");
    }

    @Test
    void usesSegmentStartsFractionsAndOneTrack() throws Exception {
        Draft draft = json("{\"t\":[{\"tt\":7,\"sg\":[{\"s\":2500,\"d\":1000,\"m\":{\"text\":\"End\"}}]}]}");
        assertThat(TimelineSummary.summarize(draft, Lang.EN)).isEqualTo("Timeline (1 track): 1. Title: \"End\" (2.5-3.5s)");
    }

    @Test
    void speaksChinese() throws Exception {
        Draft draft = json("{\"t\":[{\"tt\":0,\"sg\":[{\"d\":5000,\"m\":{\"name\":\"photo.png\"}}]}]}");
        assertThat(TimelineSummary.summarize(draft, Lang.ZH)).isEqualTo("时间线（1 条轨道）：1. 视频：photo.png (0-5s)");
    }

    @Test
    void anEmptyDraftHasNoSummary() throws Exception {
        assertThat(TimelineSummary.summarize(json("{\"t\":[]}"), Lang.EN)).isEmpty();
        assertThat(TimelineSummary.summarize(null, Lang.EN)).isEmpty();
    }

    @Test
    void anEmptyTrackSaysSo() throws Exception {
        assertThat(TimelineSummary.summarize(json("{\"t\":[{\"tt\":1,\"sg\":[]}]}"), Lang.EN))
                .isEqualTo("Timeline (1 track): 1. BGM: empty");
    }
}
