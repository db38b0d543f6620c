package dev.nemobot.core.files;

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
        assertThat(FileNames.forUpload(name, type)).isEqualTo(expected);
    }

    @Test
    void bidiOverridesCannotDisguiseAnExtension() {
        // "a\u202Egpj.exe" displays as "aexe.jpg"
        assertThat(FileNames.forUpload("a\u202Egpj.exe", FileType.JPEG)).isEqualTo("agpj.jpg");
        assertThat(FileNames.forDisplay("a\u202Egpj.exe")).isEqualTo("agpj.exe");
        assertThat(FileNames.forUpload("x\u2066\u2067\u2068\u2069\u202A\u202B\u202C\u202D\u200E\u200F.png", FileType.PNG))
                .isEqualTo("x.png");
    }

    @Test
    void controlCharactersAndNulAreRemoved() {
        assertThat(FileNames.forUpload("ev\u0000il\r\n\t\u0007name\u007F\u0085.png", FileType.PNG)).isEqualTo("evilname.png");
        assertThat(FileNames.forUpload("\u0000\u0000", FileType.PNG)).isEqualTo("image.png");
        assertThat(FileNames.forUpload("zero\u200B\u200Dwidth\uFEFF.jpg", FileType.JPEG)).isEqualTo("zerowidth.jpg");
        assertThat(FileNames.forUpload("lone\uD800surrogate.jpg", FileType.JPEG)).isEqualTo("lonesurrogate.jpg");
    }

    @Test
    void longNamesAreCutToTheLimitWithoutSplittingACharacter() {
        String tenThousand = "a".repeat(10_000) + ".png";
        String name = FileNames.forUpload(tenThousand, FileType.PNG);
        assertThat(name).hasSize(FileNames.MAX_CHARS).endsWith("aaa.png");

        String emoji = "😀".repeat(200) + ".jpg";
        String e = FileNames.forUpload(emoji, FileType.JPEG);
        assertThat(e.codePointCount(0, e.length())).isEqualTo(FileNames.MAX_CHARS);
        assertThat(e).endsWith("😀.jpg");
        assertThat(e.codePoints().filter(cp -> cp >= 0xD800 && cp <= 0xDFFF).count()).as("no half of a pair").isZero();
        assertThat(FileNames.forDisplay("x".repeat(10_000)).length()).isEqualTo(FileNames.MAX_CHARS);
    }

    @Test
    void emojiAndChineseNamesSurvive() {
        assertThat(FileNames.forUpload("日落 🌅.png", FileType.PNG)).isEqualTo("日落 🌅.png");
        assertThat(FileNames.forUpload("  many    spaces  .png", FileType.PNG)).isEqualTo("many spaces.png");
    }

    @Test
    void aNameForDisplayKeepsItsExtensionAndIsNeverEmpty() {
        assertThat(FileNames.forDisplay("../secret/photo.jpg")).isEqualTo("photo.jpg");
        assertThat(FileNames.forDisplay("\u202E")).isEqualTo("file");
        assertThat(FileNames.forDisplay(null)).isEqualTo("file");
    }
}
