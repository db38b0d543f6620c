package dev.nemobot.core.chat.kit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileNamesTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', textBlock = """
            photo.jpg                 ; JPEG ; photo.jpg
            photo.JPEG                ; JPEG ; photo.jpg
            ../../etc/passwd          ; PNG  ; passwd.png
            ..\\..\\windows\\win.ini   ; PNG  ; win.png
            /abs/path/pic.png         ; PNG  ; pic.png
            .bashrc                   ; JPEG ; bashrc.jpg
            ...                       ; JPEG ; image.jpg
            ''                        ; PNG  ; image.png
            ' .hidden. '              ; GIF  ; hidden.gif
            report.pdf                ; JPEG ; report.jpg
            clip.m4v                  ; MP4  ; clip.mp4
            song                      ; MP3  ; song.mp3
            ''                        ; MP4  ; video.mp4
            ''                        ; WAV  ; audio.wav
            a:b*c?d<e>f|g.png         ; PNG  ; a_b_c_d_e_f_g.png
            CON.png                   ; PNG  ; _CON.png
            archive.tar.gz            ; JPEG ; archive.tar.jpg
            """)
    void namesGetTheirCleanBaseAndTheSniffedExtension(String name, FileType type, String expected) {
        assertThat(type.uploadName(name)).isEqualTo(expected);
    }

    @Test
    void bidiOverridesCannotDisguiseAnExtension() {
        // "a\u202Egpj.exe" displays as "aexe.jpg"
        assertThat(FileType.JPEG.uploadName("a\u202Egpj.exe")).isEqualTo("agpj.jpg");
        assertThat(FileNames.forDisplay("a\u202Egpj.exe")).isEqualTo("agpj.exe");
        assertThat(FileType.PNG.uploadName("x\u2066\u2067\u2068\u2069\u202A\u202B\u202C\u202D\u200E\u200F.png"))
                .isEqualTo("x.png");
    }

    @Test
    void controlCharactersAndNulAreRemoved() {
        assertThat(FileType.PNG.uploadName("ev\u0000il\r\n\t\u0007name\u007F\u0085.png")).isEqualTo("evilname.png");
        assertThat(FileType.PNG.uploadName("\u0000\u0000")).isEqualTo("image.png");
        assertThat(FileType.JPEG.uploadName("zero\u200B\u200Dwidth\uFEFF.jpg")).isEqualTo("zerowidth.jpg");
        assertThat(FileType.JPEG.uploadName("lone\uD800surrogate.jpg")).isEqualTo("lonesurrogate.jpg");
    }

    @Test
    void longNamesAreCutToTheLimitWithoutSplittingACharacter() {
        String tenThousand = "a".repeat(10_000) + ".png";
        String name = FileType.PNG.uploadName(tenThousand);
        assertThat(name).hasSize(FileNames.MAX_CHARS).endsWith("aaa.png");

        String emoji = "😀".repeat(200) + ".jpg";
        String e = FileType.JPEG.uploadName(emoji);
        assertThat(e.codePointCount(0, e.length())).isEqualTo(FileNames.MAX_CHARS);
        assertThat(e).endsWith("😀.jpg");
        assertThat(e.codePoints().filter(cp -> cp >= 0xD800 && cp <= 0xDFFF).count()).as("no half of a pair").isZero();
        assertThat(FileNames.forDisplay("x".repeat(10_000)).length()).isEqualTo(FileNames.MAX_CHARS);
    }

    @Test
    void emojiAndChineseNamesSurvive() {
        assertThat(FileType.PNG.uploadName("日落 🌅.png")).isEqualTo("日落 🌅.png");
        assertThat(FileType.PNG.uploadName("  many    spaces  .png")).isEqualTo("many spaces.png");
    }

    @Test
    void aNameForDisplayKeepsItsExtensionAndIsNeverEmpty() {
        assertThat(FileNames.forDisplay("../secret/photo.jpg")).isEqualTo("photo.jpg");
        assertThat(FileNames.forDisplay("\u202E")).isEqualTo("file");
        assertThat(FileNames.forDisplay(null)).isEqualTo("file");
    }

    /** What the Discord adapter's own cleaner (ImagePolicy.safeName, gone in issue 23.6) was tested for. */
    @Test
    void discordNamesLoseTheirPathAndControlsAndFallBackToImage() {
        assertThat(FileNames.forDisplay("../../etc/passwd\u0000.png", "image")).isEqualTo("passwd.png");
        assertThat(FileNames.forDisplay("C:\\pics\\cat.png", "image")).isEqualTo("cat.png");
        assertThat(FileNames.forDisplay("", "image")).isEqualTo("image");
    }

    /** What the Telegram adapter's own cleaner (UpdateTranslator.safeName, gone in issue 23.6) did: no path, no
     * leading dots, at most 100 characters, the file's unique id when nothing is left. */
    @Test
    void telegramNamesLoseTheirPathAndLeadingDotsAndFallBackToTheFileId() {
        assertThat(FileNames.forDisplay("/tmp/../.hidden.png", "file-AgAD")).isEqualTo("hidden.png");
        assertThat(FileNames.forDisplay("...", "file-AgAD")).isEqualTo("file-AgAD");
        assertThat(FileNames.forDisplay(null, "file-AgAD")).isEqualTo("file-AgAD");
        assertThat(FileNames.forDisplay("b".repeat(300) + ".pdf", "file-AgAD")).hasSize(FileNames.MAX_CHARS);
    }
}
