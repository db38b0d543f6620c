package dev.nemobot.core.conversation;

import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.NemoException;
import dev.nemobot.core.chat.Attachment;
import dev.nemobot.core.chat.kit.FileNames;
import dev.nemobot.core.identity.UserSession;
import dev.nemobot.core.text.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's files to their project: each checked ({@link AttachmentCheck}) before anything goes to the backend, then
 * uploaded; the user is told what arrived, and why a file did not. Thread-safe.
 */
final class UploadFlow {
    private static final Logger log = LoggerFactory.getLogger(UploadFlow.class);

    /** Sends of one file in all while the backend's server refuses them unprocessed (as the client's other calls). */
    static final int MAX_REFUSED_UPLOADS = 4;

    private final NemoBackend backend;

    public UploadFlow(NemoBackend backend) {
        this.backend = backend;
    }

    /**
     * Uploads every file that passes {@link AttachmentCheck}; what arrived ("photo.png", "2 files"), empty when
     * nothing did. {@code ack} says "Uploading…" at once and then what came of it ("Uploaded" only when no request
     * runs next: {@code requestFollows} is false).
     */
    Optional<String> upload(UserSession s, Replier to, List<Attachment> files, boolean requestFollows, Ack ack) {
        Messages m = to.messages();
        List<String> uploaded = new ArrayList<>();
        for (Attachment a : files) {
            // a photo without a name of its own is "your photo": the name it is uploaded under is made up
            String shown = a.unnamedPhoto() ? m.yourPhoto() : FileNames.forDisplay(a.name());
            Optional<AttachmentCheck.Problem> early = AttachmentCheck.beforeDownload(a);
            if (early.isPresent()) {
                ack.say(sentence(a, early.get().text(m, shown)));
                continue;
            }
            ack.show(files.size() > 1 ? m.uploading(m.uploadedFiles(files.size()))
                    : a.unnamedPhoto() ? m.uploadingPhoto() : m.uploading(shown));
            try {
                String name;
                try {
                    name = uploadOne(s, a);
                } catch (NemoException.SessionNotFound e) {
                    s.renewSession();
                    to.say(m.sessionReplaced());
                    name = uploadOne(s, a);
                }
                uploaded.add(a.unnamedPhoto() ? shown : name);
            } catch (AttachmentCheck.Refused e) {
                log.info("attachment refused: {}", e.getMessage());
                ack.say(sentence(a, e.problem().text(m, shown)));
            } catch (NemoException.UnsupportedFile e) {
                ack.say(m.unsupportedFile(shown));
            } catch (NemoException.FileTooLarge e) {
                ack.say(sentence(a, m.fileTooLarge(shown)));
            }
        }
        if (uploaded.isEmpty()) {
            return Optional.empty();
        }
        String what = uploaded.size() == 1 ? uploaded.getFirst()
                : m.uploadedFiles(uploaded.size());
        if (!requestFollows) {
            // before the request: how it will be made can be set now
            ack.say(m.uploaded(what), dev.nemobot.core.chat.Action.OPTIONS);
        }
        return Optional.of(what);
    }

    /**
     * {@code text} about {@code a}, with its first letter capitalised when it starts with "your photo" ("your photo
     * is…" → "Your photo is…"); a file's own name is left as it is.
     */
    private static String sentence(Attachment a, String text) {
        if (!a.unnamedPhoto() || text.isEmpty() || !Character.isLowerCase(text.codePointAt(0))) {
            return text;
        }
        int first = text.codePointAt(0);
        return new StringBuilder().appendCodePoint(Character.toTitleCase(first))
                .append(text, Character.charCount(first), text.length()).toString();
    }

    /** Checks and uploads one file; the name it was uploaded under. */
    private String uploadOne(UserSession s, Attachment a) {
        // checked before any backend call: a refused file costs a new user no token and no session either
        AtomicReference<AttachmentCheck.Checked> first = new AtomicReference<>(AttachmentCheck.open(a));
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return uploadOnce(s, a, first);
                } catch (NemoException.Network e) {
                    // an HTTP/2 server refused the stream unprocessed (past its streams a connection): the client
                    // cannot send a chat's stream again that its first attempt may have read, so it is opened anew
                    if (!e.unprocessed() || attempt >= MAX_REFUSED_UPLOADS) {
                        throw e;
                    }
                    log.debug("upload refused unprocessed by the backend's server; opening the file again");
                }
            }
        } finally {
            AttachmentCheck.Checked unused = first.getAndSet(null);
            if (unused != null) {
                unused.close();
            }
        }
    }

    /** One upload of {@code a}: the stream checked beforehand ({@code first}) if still unused, else a fresh one. */
    private String uploadOnce(UserSession s, Attachment a, AtomicReference<AttachmentCheck.Checked> first) {
        return s.call((token, sid) -> {
            // a retry (after 1001, 429 or a refused stream) opens and checks a fresh stream
            AttachmentCheck.Checked fresh = first.getAndSet(null);
            try (AttachmentCheck.Checked c = fresh != null ? fresh : AttachmentCheck.open(a)) {
                try {
                    backend.upload(token, sid, c.name(), c.type().mimeType(), c.stream(), c.size());
                } catch (RuntimeException e) {
                    // the client reports a failed read of the user's file as a failed call: the file comes first
                    if (c.problem().isPresent()) {
                        throw new AttachmentCheck.Refused(c.problem().get());
                    }
                    throw e;
                }
                return c.name();
            }
        });
    }
}
