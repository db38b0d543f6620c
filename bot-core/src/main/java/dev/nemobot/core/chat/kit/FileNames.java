package dev.nemobot.core.chat.kit;

import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * Makes the name a user gave a file safe to send to the backend, to use in a path and to show back: no directory
 * part, no control, format or bidirectional-override characters (a "{@code photo\u202Egpj.exe}" shows as
 * "photo.exe" reversed), no leading dots, no characters file systems reserve, at most {@link #MAX_CHARS} characters,
 * and the extension of the type the bytes turned out to be. The one cleaner of file names: the adapters use it for
 * the names they show before the engine sees a file, the engine for the names it uploads and shows (issue 23.6).
 * Stateless and thread-safe.
 */
public final class FileNames {
    /** Longest name produced, in characters (code points), extension included. */
    public static final int MAX_CHARS = 100;

    private static final Pattern RESERVED = Pattern.compile("[<>:\"|?*]");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern WINDOWS_DEVICE = Pattern.compile("(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])");

    private FileNames() {
    }

    /**
     * The name to upload {@code name} under, now that its bytes are known to be of a type with extension
     * {@code extension} (without the dot): the cleaned base name and that extension ("{@code ../../etc/passwd}"
     * becomes "{@code passwd.jpg}"), {@code emptyBase} as the base when nothing is left of it ("{@code image.jpg}").
     */
    public static String forUpload(String name, String extension, String emptyBase) {
        String clean = clean(name);
        int dot = clean.lastIndexOf('.');
        String base = strip(dot > 0 ? clean.substring(0, dot) : clean);
        if (base.isEmpty()) {
            base = emptyBase;
        }
        String ext = "." + extension;
        return limit(base, MAX_CHARS - ext.length()).strip() + ext;
    }

    /** {@code name} cleaned for showing in a message before its type is known ("file" when nothing is left). */
    public static String forDisplay(String name) {
        return forDisplay(name, "file");
    }

    /** {@code name} cleaned for showing before its type is known, {@code fallback} (cleaned too) when nothing is left. */
    public static String forDisplay(String name, String fallback) {
        String clean = limit(clean(name), MAX_CHARS).strip();
        return clean.isEmpty() ? limit(clean(fallback), MAX_CHARS).strip() : clean;
    }

    /** The last path segment, without invisible or reserved characters and leading dots. */
    private static String clean(String name) {
        if (name == null) {
            return "";
        }
        String s = Normalizer.normalize(name, Normalizer.Form.NFC);
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        s = s.substring(slash + 1);
        StringBuilder out = new StringBuilder(Math.min(s.length(), 4 * MAX_CHARS));
        s.codePoints().filter(FileNames::visible).forEach(out::appendCodePoint);
        s = RESERVED.matcher(out).replaceAll("_");
        s = SPACES.matcher(s).replaceAll(" ");
        s = strip(s);
        int dot = s.indexOf('.');
        String stem = dot < 0 ? s : s.substring(0, dot);
        if (WINDOWS_DEVICE.matcher(stem.strip()).matches()) {
            s = "_" + s;
        }
        return s;
    }

    /** Without leading dots and spaces, and without trailing dots and spaces (Windows drops those). */
    private static String strip(String s) {
        int from = 0;
        while (from < s.length() && (s.charAt(from) == '.' || s.charAt(from) == ' ')) {
            from++;
        }
        int to = s.length();
        while (to > from && (s.charAt(to - 1) == '.' || s.charAt(to - 1) == ' ')) {
            to--;
        }
        return s.substring(from, to);
    }

    /** At most {@code max} code points (a surrogate pair is never cut in two). */
    private static String limit(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max));
    }

    /** False for controls, format characters (bidi overrides, zero-width, BOM, tags), separators and surrogates. */
    static boolean visible(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> false;
            default -> true;
        };
    }
}
