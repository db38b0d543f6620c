package dev.nemobot.core.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NemoCodecTest {
    private final NemoCodec codec = new NemoCodec();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void decodesTheContractsDraft() {
        Draft d = codec.draft("""
                {"t":[{"tt":0,"sg":[{"d":10000,"m":{"name":"city timelapse"}}]},
                      {"tt":1,"sg":[{"s":500,"d":9500,"m":{"name":"Lo-fi","volume":35}}]},
                      {"tt":7,"sg":[{"d":3000,"m":{"text":"Urban Dreams"}}]},
                      {"tt":3,"sg":[]}],
                 "canvas":{"w":1080}}""");
        assertThat(d.tracks()).extracting(Track::kind)
                .containsExactly(Track.Kind.VIDEO, Track.Kind.AUDIO, Track.Kind.TEXT, Track.Kind.OTHER);
        assertThat(d.tracks().get(0).clips()).containsExactly(
                new Clip(0, 10_000, "city timelapse", Optional.empty(), OptionalLong.empty()));
        assertThat(d.tracks().get(1).clips()).containsExactly(
                new Clip(500, 9_500, "Lo-fi", Optional.empty(), OptionalLong.of(35)));
        assertThat(d.tracks().get(2).clips().getFirst().text()).contains("Urban Dreams");
        assertThat(d.tracks().get(3).clips()).isEmpty();
        assertThat(d.hasClips()).isTrue();
    }

    @Test
    void aVolumeIsAPercentageOrAFraction() {
        assertThat(volume("35")).hasValue(35);
        assertThat(volume("0.35")).hasValue(35);
        assertThat(volume("1.0")).hasValue(100);
        assertThat(volume("1")).hasValue(1);
        assertThat(volume("\"loud\"")).isEmpty();
        assertThat(volume("null")).isEmpty();
    }

    private OptionalLong volume(String v) {
        return codec.draft("{\"t\":[{\"tt\":1,\"sg\":[{\"m\":{\"volume\":" + v + "}}]}]}")
                .tracks().getFirst().clips().getFirst().volumePercent();
    }

    /** The backend is not trusted: whatever its draft holds, decoding gives absent values, never an exception. */
    @ParameterizedTest
    @ValueSource(strings = {
            "", "not json", "null", "[]", "42", "\"draft\"", "{", "{\"t\":null}", "{\"t\":\"tracks\"}", "{\"t\":{}}",
            "{\"t\":[null,1,\"x\",[],{}]}", "{\"t\":[{\"tt\":\"seven\",\"sg\":{\"a\":1}}]}",
            "{\"t\":[{\"tt\":{},\"sg\":[null,\"a\",3,{\"s\":\"abc\",\"d\":{},\"m\":[]},{\"m\":{\"name\":{},\"text\":[]}}]}]}",
            "{\"t\":[{\"tt\":1e400,\"sg\":[{\"s\":1e400,\"d\":-5,\"m\":{\"volume\":1e400}}]}]}",
            "{\"t\":[{\"tt\":99999999999999999999,\"sg\":[{\"s\":99999999999999999999}]}]}"})
    void aStrangeDraftDecodesLeniently(String draft) {
        assertThatCode(() -> codec.draft(draft)).doesNotThrowAnyException();
        assertThatCode(() -> codec.projectState("{\"draft\":" + draft + ",\"generated_media\":" + draft + "}"))
                .doesNotThrowAnyException();
    }

    @Test
    void strangeTracksAndSegmentsAreKeptAsEmptyOnes() {
        Draft d = codec.draft("{\"t\":[null,{\"tt\":\"7\",\"sg\":[null,{\"s\":\"250\",\"d\":\"x\",\"m\":5}]},{\"sg\":{}}]}");
        assertThat(d.tracks()).hasSize(3);
        assertThat(d.tracks().get(0)).isEqualTo(new Track(Track.Kind.OTHER, List.of()));
        // Jackson's lenient reading, as before the model: a numeric string is its number
        assertThat(d.tracks().get(1).kind()).isEqualTo(Track.Kind.TEXT);
        assertThat(d.tracks().get(1).clips()).containsExactly(
                new Clip(0, 0, "", Optional.empty(), OptionalLong.empty()),
                new Clip(250, 0, "", Optional.empty(), OptionalLong.empty()));
        assertThat(d.tracks().get(2).clips()).isEmpty();
        assertThat(d.hasClips()).isTrue();
        assertThat(codec.draft("{\"t\":[{\"tt\":0,\"sg\":[]}]}").hasClips()).isFalse();
    }

    @Test
    void theStatesDraftAndMedia() {
        ProjectState p = codec.projectState("""
                {"draft":{"t":[]},"video_infos":[{"name":"a.png"},{"id":"x"},{"name":7},null],"generated_media":[
                  {"status":"completed"},{"status":"Processing"},{"status":"queued"},{"status":"failed"},{},7]}""");
        assertThat(p.draft()).isPresent();
        assertThat(p.uploads()).extracting(UploadedFile::name).containsExactly("a.png", "", "7", "");
        assertThat(p.media()).extracting(GeneratedMedia::status).containsExactly(GeneratedMedia.Status.COMPLETED,
                GeneratedMedia.Status.WORKING, GeneratedMedia.Status.WORKING, GeneratedMedia.Status.OTHER,
                GeneratedMedia.Status.OTHER, GeneratedMedia.Status.OTHER);

        assertThat(codec.projectState(
                "{\"draft\":[],\"generated_media\":{\"a\":{\"status\":\"completed\"}},\"video_infos\":\"x\"}"))
                .isEqualTo(ProjectState.EMPTY);
        assertThat(codec.projectState("[1]")).isEqualTo(ProjectState.EMPTY);
    }

    @Test
    void theDraftGoesBackToTheRenderCallAsItCame() throws Exception {
        String sent = "{\"t\":[{\"tt\":0,\"sg\":[{\"d\":1000,\"m\":{\"name\":\"a\",\"x\":[1,2]}}]}],\"canvas\":{\"w\":1080}}";
        Draft d = codec.draft(sent);
        JsonNode body = json.readTree(codec.renderBody("render_1", "s1", d));
        assertThat(body.path("draft")).isEqualTo(json.readTree(sent));
        assertThat(body.path("id").asText()).isEqualTo("render_1");
        assertThat(body.path("sessionId").asText()).isEqualTo("s1");
        // equal when the backend sent the same draft, different when anything in it changed
        assertThat(codec.draft(sent)).isEqualTo(d);
        assertThat(codec.draft(sent.replace("1080", "720"))).isNotEqualTo(d);
    }
}
