package dev.nemobot.core.testing;

import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.ChatUser;
import dev.nemobot.core.chat.Conversation;
import dev.nemobot.core.chat.Incoming;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/** Builds incoming messages for tests: users, private chats, texts and image attachments. */
public final class TestChats {
    private static final AtomicInteger IDS = new AtomicInteger();

    private TestChats() {
    }

    public static ChatUser user(String platform, String id, Locale locale) {
        return new ChatUser(platform, id, "User " + id, locale);
    }

    /** The user's private chat. */
    public static Conversation dm(ChatUser user) {
        return new Conversation(user.platform(), "dm-" + user.id(), false);
    }

    public static Incoming text(ChatUser user, String text) {
        return new Incoming("msg-" + IDS.incrementAndGet(), user, dm(user), text, List.of());
    }

    public static Incoming file(ChatUser user, String caption, Attachment attachment) {
        return new Incoming("msg-" + IDS.incrementAndGet(), user, dm(user), caption, List.of(attachment));
    }

    /** A small real PNG (a gradient), as a platform would hand it over. */
    public static Attachment png(String name) {
        byte[] bytes = pngBytes(96, 64);
        return new Attachment(name, "image/png", bytes.length, () -> new ByteArrayInputStream(bytes));
    }

    /** An attachment with these bytes and declared size. */
    public static Attachment bytes(String name, String contentType, byte[] bytes, long declaredSize) {
        return new Attachment(name, contentType, declaredSize, () -> new ByteArrayInputStream(bytes));
    }

    public static byte[] pngBytes(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(0xF2784B), w, h, new Color(0x2B1B4F)));
        g.fillRect(0, 0, w, h);
        g.dispose();
        return png(img);
    }

    /** {@code img} as PNG bytes. */
    public static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
