package dev.nemobot.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The contract's accepted file types, checked by extension and by magic bytes. */
final class FileTypes {
    static final Set<String> ACCEPTED = Set.of("mp4", "mov", "avi", "webm", "mkv", "jpg", "jpeg", "png", "gif",
            "webp", "mp3", "wav", "m4a", "aac", "heic");
    static final Set<String> IMAGES = Set.of("jpg", "jpeg", "png", "gif", "webp", "heic");
    static final Set<String> AUDIO = Set.of("mp3", "wav", "m4a", "aac");
    /** Bytes needed to judge a file. */
    static final int HEAD = 16;

    private FileTypes() {
    }

    static String extension(String fileName) {
        if (fileName == null) {
            return "";
        }
        String base = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        int dot = base.lastIndexOf('.');
        return dot < 0 ? "" : base.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * The file's type (an accepted extension), or empty when the name's extension is not accepted or the content
     * does not look like it. A name without extension is judged by content alone.
     */
    static Optional<String> judge(String fileName, byte[] head) {
        String ext = extension(fileName);
        if (ext.isEmpty()) {
            return ACCEPTED.stream().filter(e -> matches(e, head)).sorted().findFirst();
        }
        return ACCEPTED.contains(ext) && matches(ext, head) ? Optional.of(ext) : Optional.empty();
    }

    static String kind(String type) {
        return IMAGES.contains(type) ? "image" : AUDIO.contains(type) ? "audio" : "video";
    }

    static boolean matches(String ext, byte[] h) {
        return switch (ext) {
            case "png" -> starts(h, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
            case "jpg", "jpeg" -> starts(h, 0xFF, 0xD8, 0xFF);
            case "gif" -> ascii(h, 0, "GIF87a") || ascii(h, 0, "GIF89a");
            case "webp" -> ascii(h, 0, "RIFF") && ascii(h, 8, "WEBP");
            case "wav" -> ascii(h, 0, "RIFF") && ascii(h, 8, "WAVE");
            case "avi" -> ascii(h, 0, "RIFF") && ascii(h, 8, "AVI ");
            case "mp4", "m4a", "heic" -> ascii(h, 4, "ftyp");
            case "mov" -> ascii(h, 4, "ftyp") || ascii(h, 4, "moov") || ascii(h, 4, "mdat")
                    || ascii(h, 4, "wide") || ascii(h, 4, "free") || ascii(h, 4, "skip");
            case "webm", "mkv" -> starts(h, 0x1A, 0x45, 0xDF, 0xA3);
            case "mp3" -> ascii(h, 0, "ID3") || (h.length >= 2 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xE0) == 0xE0);
            case "aac" -> ascii(h, 0, "ADIF") || (h.length >= 2 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xF6) == 0xF0);
            default -> false;
        };
    }

    private static boolean starts(byte[] h, int... sig) {
        if (h.length < sig.length) {
            return false;
        }
        for (int i = 0; i < sig.length; i++) {
            if ((h[i] & 0xFF) != sig[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        if (h.length < at + b.length) {
            return false;
        }
        for (int i = 0; i < b.length; i++) {
            if (h[at + i] != b[i]) {
                return false;
            }
        }
        return true;
    }
}
