package dev.nemobot.core.chat.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nemobot.core.testing.TestChats;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileTypeTest {

    /** Bytes from a hex string with spaces, then ASCII text after a '|'. */
    static byte[] bytes(String hexThenText) {
        String[] p = hexThenText.split("\\|", 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String h : p[0].trim().split("\\s+")) {
            if (!h.isEmpty()) {
                out.write(Integer.parseInt(h, 16));
            }
        }
        if (p.length > 1) {
            out.writeBytes(p[1].getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    static Optional<FileType> sniff(byte[] b) {
        return FileType.sniff(b, b.length);
    }

    /** An ftyp box: size, "ftyp", major brand, minor version, compatible brands. */
    static byte[] ftyp(String major, String... compatible) {
        int size = 16 + 4 * compatible.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(0);
        out.write(0);
        out.write(size);
        out.writeBytes(("ftyp" + major).getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[4]);
        for (String c : compatible) {
            out.writeBytes(c.getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(new byte[32]);
        return out.toByteArray();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', textBlock = """
            FF D8 FF E0 00 10 |JFIF                    ; JPEG
            89 50 4E 47 0D 0A 1A 0A 00 00 00 0D        ; PNG
            |GIF89a                                     ; GIF
            |GIF87a                                     ; GIF
            |RIFF....WEBPVP8                            ; WEBP
            |RIFF....WAVEfmt                            ; WAV
            |RIFF....AVI LIST                           ; AVI
            1A 45 DF A3 9F 42 86 81 01 42 82 84|webm    ; WEBM
            1A 45 DF A3 A3 42 86 81 01 42 82 88|matroska; MKV
            |ID3                                        ; MP3
            FF FB 90 64                                ; MP3
            FF F1 50 80 00 1F FC                       ; AAC
            |ADIF                                       ; AAC
            00 00 00 08|wide                            ; MOV
            00 00 00 08|mdat                            ; MOV
            """)
    void acceptedTypesAreKnownByTheirFirstBytes(String head, FileType type) {
        assertThat(sniff(bytes(head))).contains(type);
    }

    @Test
    void isoMediaBrandsTellHeicMp4MovAndM4aApart() {
        assertThat(sniff(ftyp("heic", "mif1", "heic"))).contains(FileType.HEIC);
        assertThat(sniff(ftyp("mif1", "mif1", "heic"))).as("HEIF with a HEVC brand").contains(FileType.HEIC);
        assertThat(sniff(ftyp("isom", "isom", "iso2", "avc1", "mp41"))).contains(FileType.MP4);
        assertThat(sniff(ftyp("mp42", "mp42", "isom"))).contains(FileType.MP4);
        assertThat(sniff(ftyp("qt  ", "qt  "))).contains(FileType.MOV);
        assertThat(sniff(ftyp("M4A ", "M4A ", "mp42", "isom"))).contains(FileType.M4A);
        assertThat(sniff(ftyp("avif", "avif", "mif1"))).as("AVIF is not in the contract").isEmpty();
        assertThat(sniff(ftyp("mif1", "mif1", "avif"))).isEmpty();
        assertThat(sniff(ftyp("crx ", "crx "))).as("a camera raw").isEmpty();
        assertThat(sniff(ftyp("3gp4", "3gp4"))).isEmpty();
    }

    @Test
    void aRealPngFromTheTestsIsAPng() {
        byte[] png = TestChats.pngBytes(8, 8);
        assertThat(FileType.sniff(png, Math.min(png.length, FileType.HEAD_BYTES))).contains(FileType.PNG);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', textBlock = """
            |%PDF-1.7                                      ; PDF
            50 4B 03 04 14 00                             ; ZIP
            7F 45 4C 46 02 01 01                          ; ELF
            |MZ                                            ; EXE
            |BM6                                           ; BMP
            49 49 2A 00                                   ; TIFF
            |<!DOCTYPE html><html>                         ; HTML
            20 0A|<html><body>                             ; HTML
            EF BB BF|<!doctype html>                       ; HTML
            |<svg xmlns='http://www.w3.org/2000/svg'>      ; SVG
            |<?xml version='1.0'?><svg>                    ; SVG
            |<?xml version='1.0'?><rss>                    ; XML
            |Rar!                                          ; RAR
            1F 8B 08                                      ; GZIP
            """)
    void commonImpostorsAreRefusedAndNamed(String head, String label) {
        byte[] b = bytes(head);
        assertThat(sniff(b)).isEmpty();
        assertThat(FileType.describeOther(b, b.length)).contains(label);
    }

    @Test
    void emptyShortAndUnknownBytesAreRefused() {
        assertThat(sniff(new byte[0])).isEmpty();
        assertThat(sniff(bytes("FF"))).isEmpty();
        assertThat(sniff(bytes("FF D8"))).isEmpty();
        assertThat(sniff(bytes("|hello, this is just text"))).isEmpty();
        assertThat(FileType.describeOther(new byte[0], 0)).isEmpty();
        assertThat(sniff(bytes("|RIFF....XXXX"))).isEmpty();
        assertThat(sniff(bytes("1A 45 DF A3 00 00"))).as("EBML without a doctype").isEmpty();
        assertThat(sniff(bytes("FF FF FF FF"))).as("not a valid MPEG frame header").isEmpty();
        assertThat(FileType.sniff(bytes("89 50 4E 47 0D 0A 1A 0A"), 4)).as("only the valid length counts").isEmpty();
    }

    @Test
    void eachTypeHasTheContractsExtensionAndAMimeType() {
        for (FileType t : FileType.values()) {
            assertThat(t.extension()).matches("[a-z0-9]{3,4}");
            assertThat(t.mimeType()).matches("(image|video|audio)/[a-z0-9.+-]+");
        }
        assertThat(FileType.JPEG.extension()).isEqualTo("jpg");
        assertThat(FileType.HEIC.kind()).isEqualTo(FileType.Kind.IMAGE);
    }

    /** The texts name the formats the enum holds, in the contract's order (issue 23.6: listed once). */
    @Test
    void theListedFormatsComeFromTheEnum() {
        assertThat(FileType.CONTRACT_FORMATS).isEqualTo("mp4, mov, avi, webm, mkv, jpg, png, gif, webp, mp3, wav, m4a, aac");
        assertThat(FileType.IMAGE_FORMATS).isEqualTo("jpg, png, gif, webp, heic");
        assertThat(FileType.byExtension("JPEG")).contains(FileType.JPEG);
        assertThat(FileType.byExtension("mov").map(FileType::mimeType)).contains("video/quicktime");
        assertThat(FileType.byExtension("pdf")).isEmpty();
    }
}
