package dev.nemobot.discord;

import static org.awaitility.Awaitility.await;
import static dev.nemobot.discord.Harness.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.Incoming;
import dev.nemobot.core.chat.options.OptionParser;
import dev.nemobot.discord.fake.FakeDiscord;
import dev.nemobot.discord.fake.FakeDiscord.Call;
import dev.nemobot.discord.fake.FakeDiscord.User;
import java.util.List;
import java.util.Map;
import net.dv8tion.jda.api.utils.data.DataArray;
import net.dv8tion.jda.api.utils.data.DataObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The video options as typed slash command options (issue 21), with the real JDA against the fake Discord: their
 * registration with choices in every language, {@code /animate}'s options handed on as the same flags a caption
 * carries, and {@code /settings} answered privately.
 */
class DiscordOptionsTest {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};

    private final RecordingEngine engine = new RecordingEngine();
    private Harness discord;
    private User alice;

    @BeforeEach
    void start() throws Exception {
        discord = Harness.start(engine);
        alice = discord.fake.user("100000000000000011", "alice");
    }

    @AfterEach
    void stop() {
        discord.close();
    }

    private Call awaitCall(String method, String pathRegex) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(discord.fake.calls(c -> c.method().equals(method)
                && c.path().matches(pathRegex))).as(() -> method + " " + pathRegex + "; calls:\n"
                + discord.fake.describe()).isNotEmpty());
        return discord.fake.calls(c -> c.method().equals(method) && c.path().matches(pathRegex)).getFirst();
    }

    private static DataObject named(DataArray array, String name) {
        return array.stream(DataArray::getObject).filter(o -> o.getString("name").equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + array));
    }

    @Test
    void animateAndSettingsOfferTheOptionsWithChoicesInEveryLanguage() {
        Call put = awaitCall("PUT", "/api/v10/applications/" + FakeDiscord.APP_ID + "/commands");
        DataArray commands = DataArray.fromJson(put.json().getString("__array"));
        DataArray animate = named(commands, "animate").getArray("options");
        assertThat(animate.stream(DataArray::getObject).map(o -> o.getString("name")).toList())
                .containsExactly("image", "prompt", "ar", "duration", "motion", "camera", "style", "quality", "seed",
                        "avoid");
        DataObject ar = named(animate, "ar");
        assertThat(ar.getBoolean("required")).isFalse();
        assertThat(ar.getArray("choices").stream(DataArray::getObject).map(c -> c.getString("value")).toList())
                .containsExactly("16:9", "9:16", "1:1", "auto");
        DataObject portrait = named(ar.getArray("choices"), "9:16 (portrait)");
        assertThat(portrait.getObject("name_localizations").getString("ja")).isEqualTo("9:16（縦長）");
        assertThat(portrait.getObject("name_localizations").getString("de")).isEqualTo("9:16 (Hochformat)");
        DataObject duration = named(animate, "duration");
        assertThat(duration.getInt("type")).isEqualTo(4); // INTEGER
        assertThat(duration.getArray("choices").stream(DataArray::getObject).map(c -> c.getInt("value")).toList())
                .containsExactly(5, 8);
        assertThat(named(animate, "motion").getInt("min_value")).isEqualTo(1);
        assertThat(named(animate, "motion").getInt("max_value")).isEqualTo(5);
        assertThat(named(animate, "camera").getArray("choices").length()).isEqualTo(6);
        assertThat(named(animate, "style").getArray("choices").stream(DataArray::getObject)
                .map(c -> c.getString("value")).toList())
                .containsExactly("realistic", "anime", "3d", "clay", "comic", "cyberpunk");
        assertThat(named(animate, "quality").getArray("choices").length()).isEqualTo(3);
        assertThat(named(animate, "avoid").getInt("max_length")).isEqualTo(200);
        assertThat(named(animate, "avoid").getObject("description_localizations").getString("fr"))
                .startsWith("Ce qui ne doit pas apparaître");

        DataArray settings = named(commands, "settings").getArray("options");
        assertThat(settings.stream(DataArray::getObject).map(o -> o.getString("name")).toList())
                .containsExactly("ar", "duration", "motion", "camera", "style", "quality", "seed", "avoid", "clear");
        assertThat(named(commands, "settings").getObject("description_localizations").getString("ko"))
                .isEqualTo("기본 영상 옵션 보기 또는 바꾸기 (나만 볼 수 있어요)");
    }

    @Test
    void animatesTypedOptionsArriveAsTheFlagsACaptionCarries() throws Exception {
        DataObject image = discord.fake.attachment("cat.png", "image/png", PNG);
        String id = discord.fake.slashCommand(alice, true, "animate", Map.of("image", image,
                "prompt", "make the cat dance", "ar", "9:16", "duration", 8, "camera", "zoom-in",
                "avoid", "text, \"blur\""), "en-US");

        Incoming in = engine.await(m -> m.messageId().equals(id), WAIT);
        assertThat(in.attachments()).hasSize(1);
        assertThat(in.text()).startsWith("make the cat dance --ar \"9:16\" --duration \"8\"");
        // the same options as the flags typed in a caption, so the same instruction to the agent
        assertThat(OptionParser.parse(in.text())).isEqualTo(OptionParser.parse(
                "make the cat dance --ar 9:16 --duration 8 --camera \"zoom in\" --no \"text, 'blur'\""));
    }

    @Test
    void settingsIsAnsweredPrivatelyAndCarriesTheChangeOrTheClear() {
        String show = discord.fake.slashCommand(alice, true, "settings", Map.of(), "en-US");
        String change = discord.fake.slashCommand(alice, true, "settings", Map.of("quality", "720p", "seed", 42),
                "en-US");
        String clear = discord.fake.slashCommand(alice, true, "settings", Map.of("clear", true), "en-US");
        assertThat(engine.await(m -> m.messageId().equals(show), WAIT).text()).isEqualTo("/settings");
        assertThat(engine.await(m -> m.messageId().equals(change), WAIT).text())
                .isEqualTo("/settings --quality \"720p\" --seed \"42\"");
        assertThat(engine.await(m -> m.messageId().equals(clear), WAIT).text()).isEqualTo("/settings clear");
        for (String id : List.of(show, change, clear)) {
            Call ack = awaitCall("POST", "/api/v10/interactions/" + id + "/.*/callback");
            assertThat(ack.json().getInt("type")).isEqualTo(5);
            assertThat(ack.json().getObject("data").getInt("flags") & 64).as("only the asker sees it").isEqualTo(64);
        }
    }
}
