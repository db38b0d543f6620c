package dev.nemobot.core.chat.kit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The file types the backend's contract accepts (mp4, mov, avi, webm, mkv, jpg, png, gif, webp, mp3, wav, m4a, aac,
 * and HEIC for stills), told apart by their first bytes, never by a name or a declared MIME type: a user or a
 * platform can lie about both. The one list of accepted formats: the texts that name them ({@link #CONTRACT_FORMATS},
 * {@link #IMAGE_FORMATS}) and the console's guess from an extension ({@link #byExtension}) are derived from it
 * (issue 23.6). Immutable.
 */
public enum FileType {
    JPEG("jpg", "image/jpeg", Kind.IMAGE),
    PNG("png", "image/png", Kind.IMAGE),
    GIF("gif", "image/gif", Kind.IMAGE),
    WEBP("webp", "image/webp", Kind.IMAGE),
    HEIC("heic", "image/heic", Kind.IMAGE),
    MP4("mp4", "video/mp4", Kind.VIDEO),
    MOV("mov", "video/quicktime", Kind.VIDEO),
    AVI("avi", "video/x-msvideo", Kind.VIDEO),
    WEBM("webm", "video/webm", Kind.VIDEO),
    MKV("mkv", "video/x-matroska", Kind.VIDEO),
    MP3("mp3", "audio/mpeg", Kind.AUDIO),
    WAV("wav", "audio/wav", Kind.AUDIO),
    M4A("m4a", "audio/mp4", Kind.AUDIO),
    AAC("aac", "audio/aac", Kind.AUDIO);

    /** What a file is, for a default name. */
    public enum Kind { IMAGE, VIDEO, AUDIO }

    /**
     * The formats as the backend's contract lists them, videos, images, audio ("mp4, mov, avi, webm, mkv, jpg, png,
     * gif, webp, mp3, wav, m4a, aac"): HEIC, accepted for stills only, is not among them.
     */
    public static final String CONTRACT_FORMATS = Stream.of(Kind.VIDEO, Kind.IMAGE, Kind.AUDIO)
            .flatMap(k -> Arrays.stream(values()).filter(t -> t.kind == k && t != HEIC))
            .map(FileType::extension).collect(Collectors.joining(", "));

    /** The still image formats accepted ("jpg, png, gif, webp, heic"). */
    public static final String IMAGE_FORMATS = Arrays.stream(values()).filter(t -> t.kind == Kind.IMAGE)
            .map(FileType::extension).collect(Collectors.joining(", "));

    /** Bytes {@link #sniff} looks at; fewer are fine for a short file. */
    public static final int HEAD_BYTES = 512;

    // ISO base media (ftyp) brands, by what they announce
    private static final Set<String> HEIC_BRANDS = Set.of("heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs");
    private static final Set<String> AVIF_BRANDS = Set.of("avif", "avis");
    private static final Set<String> M4A_BRANDS = Set.of("M4A ", "M4B ", "M4P ", "F4A ", "F4B ");
    private static final Set<String> MP4_BRANDS = Set.of("isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7",
            "iso8", "iso9", "mp41", "mp42", "mp71", "avc1", "dash", "M4V ", "M4VH", "M4VP", "mmp4", "f4v ", "MSNV",
            "NDAS", "XAVC", "hvc1");
    // QuickTime files from before ftyp start with one of these atoms
    private static final Set<String> QUICKTIME_ATOMS = Set.of("moov", "mdat", "wide", "free", "skip", "pnot");

    private final String extension;
    private final String mimeType;
    private final Kind kind;

    FileType(String extension, String mimeType, Kind kind) {
        this.extension = extension;
        this.mimeType = mimeType;
        this.kind = kind;
    }

    /** The extension the contract lists for this type, without the dot. */
    public String extension() {
        return extension;
    }

    public String mimeType() {
        return mimeType;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The name to upload a file the user called {@code given} under, now that its bytes are known to be of this
     * type: the cleaned base name ({@link FileNames#forUpload}) and this type's extension; the kind ("image",
     * "video", "audio") when nothing is left of the name.
     */
    public String uploadName(String given) {
        return FileNames.forUpload(given, extension, kind.name().toLowerCase(Locale.ROOT));
    }

    /** The type a file name's extension ({@code jpg}, {@code JPEG}, {@code mov}, ...; without the dot) announces. */
    public static Optional<FileType> byExtension(String extension) {
        String ext = extension.toLowerCase(Locale.ROOT);
        String canonical = ext.equals("jpeg") ? "jpg" : ext;
        return Arrays.stream(values()).filter(t -> t.extension.equals(canonical)).findFirst();
    }

    /**
     * The accepted type whose signature {@code head} starts with, or empty (not accepted, unknown, or empty).
     *
     * @param head   the file's first bytes (at least {@link #HEAD_BYTES} when the file has them)
     * @param length how many bytes of {@code head} are valid
     */
    public static Optional<FileType> sniff(byte[] head, int length) {
        Bytes h = new Bytes(head, length);
        if (h.starts(0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (h.starts(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (h.ascii(0, "GIF87a") || h.ascii(0, "GIF89a")) {
            return Optional.of(GIF);
        }
        if (h.ascii(0, "RIFF")) {
            return h.ascii(8, "WEBP") ? Optional.of(WEBP) : h.ascii(8, "WAVE") ? Optional.of(WAV)
                    : h.ascii(8, "AVI ") ? Optional.of(AVI) : Optional.empty();
        }
        if (h.ascii(4, "ftyp")) {
            return isoMedia(h);
        }
        if (h.length >= 8 && QUICKTIME_ATOMS.contains(h.string(4, 4))) {
            return Optional.of(MOV);
        }
        if (h.starts(0x1A, 0x45, 0xDF, 0xA3)) {
            // EBML: the DocType element near the start says which
            return h.contains("webm") ? Optional.of(WEBM) : h.contains("matroska") ? Optional.of(MKV) : Optional.empty();
        }
        if (h.ascii(0, "ID3")) {
            return Optional.of(MP3);
        }
        if (h.ascii(0, "ADIF") || adts(h)) {
            return Optional.of(AAC);
        }
        if (mpegAudioFrame(h)) {
            return Optional.of(MP3);
        }
        return Optional.empty();
    }

    /**
     * A name for what a refused file seems to be ("PDF", "ZIP", "HTML", ...), for the refusal; empty when unknown.
     * Only formats people mistake for pictures are named.
     */
    public static Optional<String> describeOther(byte[] head, int length) {
        Bytes h = new Bytes(head, length);
        if (h.ascii(0, "%PDF")) {
            return Optional.of("PDF");
        }
        if (h.starts('P', 'K', 3, 4) || h.starts('P', 'K', 5, 6)) {
            return Optional.of("ZIP");
        }
        if (h.starts(0x7F, 'E', 'L', 'F') || h.ascii(0, "MZ")) {
            return Optional.of(h.ascii(0, "MZ") ? "EXE" : "ELF");
        }
        if (h.ascii(0, "BM")) {
            return Optional.of("BMP");
        }
        if (h.starts('I', 'I', 0x2A, 0) || h.starts('M', 'M', 0, 0x2A)) {
            return Optional.of("TIFF");
        }
        if (h.ascii(4, "ftyp") && (AVIF_BRANDS.contains(h.string(8, 4)) || brands(h).stream().anyMatch(AVIF_BRANDS::contains))) {
            return Optional.of("AVIF");
        }
        if (h.ascii(0, "Rar!") || h.starts('7', 'z', 0xBC, 0xAF) || h.starts(0x1F, 0x8B)) {
            return Optional.of(h.starts(0x1F, 0x8B) ? "GZIP" : h.ascii(0, "Rar!") ? "RAR" : "7Z");
        }
        int bom = h.starts(0xEF, 0xBB, 0xBF) ? 3 : 0; // a UTF-8 byte order mark
        String text = h.string(bom, 64).stripLeading().toLowerCase(Locale.ROOT);
        if (text.startsWith("<!doctype html") || text.startsWith("<html") || text.startsWith("<head")
                || text.startsWith("<body")) {
            return Optional.of("HTML");
        }
        if (text.startsWith("<svg") || (text.startsWith("<?xml") && h.contains("<svg"))) {
            return Optional.of("SVG");
        }
        if (text.startsWith("<?xml")) {
            return Optional.of("XML");
        }
        return Optional.empty();
    }

    private static Optional<FileType> isoMedia(Bytes h) {
        String major = h.string(8, 4);
        List<String> compatible = brands(h);
        if (AVIF_BRANDS.contains(major)) {
            return Optional.empty();
        }
        if (HEIC_BRANDS.contains(major)) {
            return Optional.of(HEIC);
        }
        if (major.equals("mif1") || major.equals("msf1")) {
            // a HEIF container: HEIC when a HEVC brand is listed (an AVIF one is not accepted)
            return compatible.stream().anyMatch(HEIC_BRANDS::contains)
                    && compatible.stream().noneMatch(AVIF_BRANDS::contains) ? Optional.of(HEIC) : Optional.empty();
        }
        if (major.equals("qt  ")) {
            return Optional.of(MOV);
        }
        if (M4A_BRANDS.contains(major)) {
            return Optional.of(M4A);
        }
        if (MP4_BRANDS.contains(major) || compatible.stream().anyMatch(b -> b.equals("isom") || b.startsWith("mp4"))) {
            return Optional.of(MP4);
        }
        return Optional.empty();
    }

    /** The compatible brands of an ftyp box, as far as the head holds them. */
    private static List<String> brands(Bytes h) {
        long size = h.u32(0);
        List<String> out = new ArrayList<>();
        long end = Math.min(size, h.length);
        for (int at = 16; at + 4 <= end; at += 4) {
            out.add(h.string(at, 4));
        }
        return out;
    }

    /** An AAC ADTS header: sync word, layer 00. */
    private static boolean adts(Bytes h) {
        return h.length >= 7 && h.u8(0) == 0xFF && (h.u8(1) & 0xF6) == 0xF0 && ((h.u8(2) >> 2) & 0x0F) < 13;
    }

    /** An MPEG audio frame header with valid version, layer, bitrate and sample rate fields. */
    private static boolean mpegAudioFrame(Bytes h) {
        if (h.length < 4 || h.u8(0) != 0xFF || (h.u8(1) & 0xE0) != 0xE0) {
            return false;
        }
        int version = (h.u8(1) >> 3) & 3;
        int layer = (h.u8(1) >> 1) & 3;
        int bitrate = (h.u8(2) >> 4) & 0x0F;
        int rate = (h.u8(2) >> 2) & 3;
        return version != 1 && layer != 0 && bitrate != 0x0F && rate != 3;
    }

    /** A read-only view of the first bytes. */
    private record Bytes(byte[] b, int length) {
        Bytes {
            length = Math.max(0, Math.min(length, b.length));
        }

        int u8(int i) {
            return b[i] & 0xFF;
        }

        long u32(int i) {
            if (i + 4 > length) {
                return 0;
            }
            return ((long) u8(i) << 24) | (u8(i + 1) << 16) | (u8(i + 2) << 8) | u8(i + 3);
        }

        boolean starts(int... sig) {
            if (length < sig.length) {
                return false;
            }
            for (int i = 0; i < sig.length; i++) {
                if (u8(i) != sig[i]) {
                    return false;
                }
            }
            return true;
        }

        boolean ascii(int at, String s) {
            return length >= at + s.length() && string(at, s.length()).equals(s);
        }

        String string(int at, int n) {
            if (at >= length) {
                return "";
            }
            return new String(b, at, Math.min(n, length - at), StandardCharsets.ISO_8859_1);
        }

        boolean contains(String s) {
            return string(0, length).contains(s);
        }
    }
}
