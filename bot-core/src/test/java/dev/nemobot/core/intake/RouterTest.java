package dev.nemobot.core.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.Incoming;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final ChatUser USER = new ChatUser("test", "1", "Ann", Locale.ENGLISH);
    private static final Conversation CHAT = new Conversation("test", "c1", false);

    private static Route route(String text) {
        return Router.route(new Incoming("m", USER, CHAT, text, List.of()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            export                          | EXPORT
            Export 1080p MP4                | EXPORT
            export 1080p mp4 please         | EXPORT
            导出                            | EXPORT
            导出视频                        | EXPORT
            download                        | EXPORT
            send me the video               | EXPORT
            Send me the video!              | EXPORT
            credits                         | CREDITS
            积分                            | CREDITS
            balance                         | CREDITS
            what's my balance?              | CREDITS
            余额                            | CREDITS
            我的余额是多少                  | CREDITS
            查看积分                        | CREDITS
            status                          | STATUS
            状态                            | STATUS
            show tracks                     | STATUS
            upload                          | UPLOAD_HELP
            上传                            | UPLOAD_HELP
            匯出影片                        | EXPORT
            我的餘額是多少                  | CREDITS
            查看積分                        | CREDITS
            狀態                            | STATUS
            上傳                            | UPLOAD_HELP
            how do I upload an image?       | UPLOAD_HELP
            /start                          | START
            /help                           | HELP
            /credits                        | CREDITS
            /status                         | STATUS
            /export 1080p                   | EXPORT
            /upload                         | UPLOAD_HELP
            /new                            | NEW_SESSION
            /cancel                         | CANCEL
            /CANCEL                         | CANCEL
            /status@nemo_bot                | STATUS
            /again                          | AGAIN
            /longer                         | LONGER
            /music                          | ADD_MUSIC
            /forget                         | FORGET
            /forget@nemo_bot                | FORGET
            /erase 1001                     | ERASE
            /keep 1001                      | KEEP
            /                               | HELP
            //etc/passwd                    | HELP
            ／status                        | STATUS
            ／help                          | HELP
            """)
    void keywordsAndCommandsSkipTheBackend(String text, Intent intent) {
        assertThat(route(text)).isEqualTo(new Route.Do(intent));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /frobnicate                     | /frobnicate
            /foo bar baz                    | /foo
            /Foo@nemo_bot                   | /foo
            ／随便                          | /随便
            """)
    void anUnknownCommandIsNamedBack(String text, String command) {
        assertThat(route(text)).isEqualTo(new Route.Do(Intent.UNKNOWN_COMMAND, command));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "animate this image into a 5-second video with smooth motion",
            "animate this and export 1080p",
            "add lo-fi background music",
            "make the title say Summer and export",
            "生成视频并导出",
            "把音乐调小一点",
            "what's the status of the credits and export",
            "export status",
            "hello there"})
    void everythingElseIsATurn(String text) {
        assertThat(route(text)).isEqualTo(new Route.Turn(text));
    }

    @Test
    void aQuickEditButtonNamesItsResultAndNothingElseDoes() {
        assertThat(route("/again k3x9m2p7q4rt")).isEqualTo(new Route.Do(Intent.AGAIN, "k3x9m2p7q4rt"));
        assertThat(route("/longer k3x9m2p7q4rt")).isEqualTo(new Route.Do(Intent.LONGER, "k3x9m2p7q4rt"));
        assertThat(route("/music@nemo_bot k3x9m2p7q4rt")).isEqualTo(new Route.Do(Intent.ADD_MUSIC, "k3x9m2p7q4rt"));
        assertThat(route("/again")).isEqualTo(new Route.Do(Intent.AGAIN));
        assertThat(route("/again with more words")).as("typed words are not a result").isEqualTo(new Route.Do(Intent.AGAIN));
        assertThat(route("/again ../x")).isEqualTo(new Route.Do(Intent.AGAIN));
        assertThat(route("/export k3x9m2p7q4rt")).isEqualTo(new Route.Do(Intent.EXPORT));
    }

    @Test
    void theHistoryNamesItsPageAndNothingElse() {
        assertThat(route("/videos")).isEqualTo(new Route.Do(Intent.VIDEOS));
        assertThat(route("/videos 2")).isEqualTo(new Route.Do(Intent.VIDEOS, "2"));
        assertThat(route("/videos@nemo_bot 12")).isEqualTo(new Route.Do(Intent.VIDEOS, "12"));
        assertThat(route("/videos 0")).isEqualTo(new Route.Do(Intent.VIDEOS));
        assertThat(route("/videos 99999")).as("past any page kept").isEqualTo(new Route.Do(Intent.VIDEOS));
        assertThat(route("/videos k3x9m2p7q4rt")).isEqualTo(new Route.Do(Intent.VIDEOS));
        assertThat(route("/videos 2 3")).isEqualTo(new Route.Do(Intent.VIDEOS));
    }

    @Test
    void anAttachmentIsAnUploadWithItsCaptionAsTheMessage() {
        Attachment a = new Attachment("photo.png", "image/png", 3, () -> new ByteArrayInputStream(new byte[3]));
        Route r = Router.route(new Incoming("m", USER, CHAT, "export", List.of(a)));
        assertThat(r).isEqualTo(new Route.Upload(List.of(a), "export"));
    }

    @Test
    void anEmptyMessageDoesNothing() {
        assertThat(route("   ")).isEqualTo(new Route.Nothing());
    }
}
