package dev.nemobot.discord;

import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.kit.FileNames;
import java.util.Locale;
import java.util.Set;

/**
 * What the adapter accepts as an image, judged from what Discord declares (content type, file name, size)
 * before a single byte is downloaded. Stateless.
 */
final class ImagePolicy {
    private static final Set<String> TYPES = Set.of("image/png", "image/jpeg", "image/jpg", "image/webp", "image/gif");
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "webp", "gif");

    private ImagePolicy() {
    }

    sealed interface Verdict permits Accepted, NotAnImage, TooLarge {
    }

    record Accepted(String contentType) implements Verdict {
    }

    record NotAnImage() implements Verdict {
    }

    record TooLarge(long limitBytes) implements Verdict {
    }

    /**
     * @param contentType the declared MIME type, possibly null (older attachments carry none)
     * @param size        the declared size in bytes
     */
    static Verdict judge(String fileName, String contentType, long size) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        String extension = extension(fileName);
        boolean image = type.isEmpty() ? EXTENSIONS.contains(extension) : TYPES.contains(type);
        if (!image) {
            return new NotAnImage();
        }
        if (size > Attachment.MAX_BYTES) {
            return new TooLarge(Attachment.MAX_BYTES);
        }
        return new Accepted(type.isEmpty() ? fromExtension(extension) : type);
    }

    private static String extension(String fileName) {
        String name = FileNames.forDisplay(fileName, "image");
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String fromExtension(String extension) {
        return switch (extension) {
            case "jpg", "jpeg" -> "image/jpeg";
            default -> "image/" + extension;
        };
    }
}
