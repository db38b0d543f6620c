package dev.nemobot.core.export;

import dev.nemobot.config.NemoSettings;
import dev.nemobot.core.backend.DownloadRefused;
import dev.nemobot.core.backend.NemoBackend;
import dev.nemobot.core.backend.NemoException;
import dev.nemobot.core.backend.RenderJob;
import dev.nemobot.core.backend.VideoTooLarge;
import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Activity;
import dev.nemobot.core.chat.SentUnconfirmedException;
import dev.nemobot.core.chat.VideoRejectedException;
import dev.nemobot.core.conversation.LiveMessage;
import dev.nemobot.core.conversation.Replier;
import dev.nemobot.core.chat.kit.PrivateFiles;
import dev.nemobot.core.identity.Identity;
import dev.nemobot.core.identity.UserSession;
import dev.nemobot.core.store.Results;
import dev.nemobot.core.store.StoredResult;
import dev.nemobot.core.text.Messages;
import dev.nemobot.core.text.ShortPrompt;
import dev.nemobot.core.text.TaskLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a finished render to the chats that asked for it: downloads it to a private temporary file named from our
 * own render id, sends it as a video where it fits, or else a link that says why (too large, refused by the platform,
 * not fetched, not stored), always with the task link and the buttons for what users ask next; deletes the file.
 * Thread-safe.
 */
final class Delivery {
    private static final Logger log = LoggerFactory.getLogger(Delivery.class);

    private final NemoBackend backend;
    private final NemoSettings nemo;
    private final Path tmpDir;
    private final Results results;
    private final Clock clock;

    /** The longest video link kept for a user's history; a longer one is not shown there (five fit one Discord message). */
    static final int MAX_KEPT_LINK = 250;

    /**
     * @param tmpDir  where videos are downloaded before they are sent (created private when missing)
     * @param results the requests behind results: the buttons under a video carry the id of the one it came from, and
     *                each delivery is marked there for the user's history ({@code /videos})
     */
    public Delivery(NemoBackend backend, NemoSettings nemo, Path tmpDir, Results results, Clock clock) {
        this.backend = backend;
        this.nemo = nemo;
        this.tmpDir = tmpDir;
        this.results = results;
        this.clock = clock;
    }

    /**
     * Marks {@code result} delivered to {@code to} for their history, with the video's link when the delivery checked
     * it ({@code trusted}). A failure costs the history its entry, never the delivery.
     */
    private void delivered(Replier to, Optional<String> result, Optional<String> trusted) {
        if (result.isEmpty()) {
            return;
        }
        try {
            results.delivered(to.user().key(), result.get(), clock.instant(), trusted);
        } catch (RuntimeException e) {
            log.warn("the delivery of a result could not be kept for the history: {}", e.toString());
        }
    }

    /**
     * The video's link as the history may show it: the render answer's {@code output.url} once the download checked it
     * (asked for from an allowed origin, {@link dev.nemobot.core.backend.DownloadGuard}), absolute http(s) and not too
     * long; empty otherwise.
     */
    private static Optional<String> trustedLink(RenderJob rj) {
        return rj.outputUrl()
                .filter(u -> u.isAbsolute() && ("https".equalsIgnoreCase(u.getScheme())
                        || "http".equalsIgnoreCase(u.getScheme())) && u.getHost() != null)
                .map(Object::toString)
                .filter(u -> u.length() <= MAX_KEPT_LINK);
    }

    /** The result a recipient's buttons act on: the newest kept for their project. */
    private Optional<String> resultId(Replier to, String sessionId) {
        try {
            return results.latest(to.user().key(), sessionId).map(StoredResult::resultId);
        } catch (RuntimeException e) {
            log.warn("the result behind a video could not be read: {}", e.toString());
            return Optional.empty();
        }
    }

    /** The buttons under a delivered video (or its link): what users ask for next. */
    private static final Action[] NEXT = {Action.AGAIN, Action.LONGER, Action.ADD_MUSIC, Action.NEW};

    /** The platform's name as a person writes it ("Telegram"). */
    private static String displayName(Replier to) {
        String n = to.platform().name();
        return n.isEmpty() ? n : Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    /**
     * @param progress the render's progress message, shown to the first recipient: it becomes their video (or ends
     *                 with the link), so their request is answered by one message
     * @param renderId our own id of the render (the file is named from it, never from the backend's answer)
     */
    public void deliver(List<Replier> recipients, LiveMessage progress, UserSession session, RenderJob rj, Identity id,
                        String renderId) throws NemoException {
        String taskLink = TaskLink.task(nemo, id.session().taskId(), id.sessionId());
        Path file = null;
        try {
            if (!Files.isDirectory(tmpDir)) {
                PrivateFiles.createDirectories(tmpDir);
            }
            // a fresh name, not a created file: the download writes beside it and renames its file to it. (An
            // empty temporary file made first cost one more create, and a rename that had to replace it: with
            // thousands of exports the file system calls were a tenth of the engine's CPU.)
            file = tmpDir.resolve(renderId.replaceAll("[^A-Za-z0-9_-]", "_") + "-"
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".mp4");
            Path target = file;
            long size;
            boolean refused = false;
            boolean tooLarge = false;
            // a video no recipient's chat takes is not downloaded: its link is sent instead
            long largest = recipients.stream().mapToLong(Replier::uploadLimitBytes).max().orElse(0);
            try {
                size = session.call((token, sid) -> backend.download(token, rj, target, largest));
            } catch (VideoTooLarge e) {
                log.info("render {}: {}; sending its link", renderId, e.getMessage());
                size = e.announcedBytes().orElse(-1);
                tooLarge = true;
            } catch (NemoException e) {
                log.info("download of {} failed: {}", renderId, e.getClass().getSimpleName());
                size = -1;
            } catch (DownloadRefused e) {
                // the backend's answer pointed where a video may not come from, or what came is not one to send:
                // the user gets the task link only (not the answer's URL)
                log.warn("render {}: the video was refused: {}", renderId, e.getMessage());
                size = -1;
                refused = true;
            } catch (UncheckedIOException e) {
                throw e.getCause(); // the file could not be written: the link instead, below
            }
            for (Replier to : recipients) {
                Messages m = to.messages();
                LiveMessage own = to == recipients.getFirst() && progress.started() ? progress : null;
                Optional<String> result = resultId(to, id.sessionId());
                // refused: the answer's URL is not one to show, in the chat or in the history
                delivered(to, result, refused ? Optional.empty() : trustedLink(rj));
                if (refused) {
                    say(to, own, m.videoRefused(taskLink), result);
                    continue;
                }
                Optional<String> url = rj.outputUrl().map(Object::toString);
                long limit = to.uploadLimitBytes();
                if (tooLarge) {
                    // the URL passed the download's checks (it was asked for, and answered with its size)
                    say(to, own, m.videoLinkBecause(m.linkTooLarge(size, limit), url, taskLink), result);
                    continue;
                }
                if (size < 0) {
                    say(to, own, m.videoLinkBecause(m.linkNotFetched(), url, taskLink), result);
                    continue;
                }
                if (size > limit) {
                    say(to, own, m.videoLinkBecause(m.linkTooLarge(size, limit), url, taskLink), result);
                    continue;
                }
                to.activity(Activity.UPLOADING_VIDEO);
                String platform = displayName(to);
                try {
                    // in a group the caption says which request the video answers (the platform mentions the requester)
                    String caption = to.conversation().group()
                            ? ShortPrompt.withCaption(to.prompt(), m.videoCaption(taskLink)) : m.videoCaption(taskLink);
                    if (own != null) {
                        // the progress message becomes the video: one message answers the request
                        own.finishWithVideo(m.videoReady(), file, caption, result, NEXT);
                    } else {
                        to.sendVideo(file, caption, result, NEXT);
                    }
                } catch (SentUnconfirmedException e) {
                    // delivered: no link in its place
                    log.info("{} took the video, but its answer could not be read: {}", to.platform().name(),
                            e.getMessage());
                } catch (VideoRejectedException e) {
                    log.info("{} rejected the video ({}); sending the link", to.platform().name(), e.getMessage());
                    String why = e.tooLarge() ? m.linkTooLarge(size, limit)
                            : e.mayStillAppear() ? m.linkUploadUnanswered(platform) : m.linkRefused(platform);
                    say(to, own, m.videoLinkBecause(why, url, taskLink), result);
                } catch (RuntimeException e) {
                    log.warn("{} failed to send the video: {}", to.platform().name(), e.toString());
                    say(to, own, m.videoLinkBecause(m.linkUploadFailed(platform), url, taskLink), result);
                }
            }
        } catch (IOException e) {
            log.warn("cannot write a temporary file under {}: {}", tmpDir, e.toString());
            // nothing was downloaded, so the answer's output URL was never checked: only the project's own link
            for (Replier to : recipients) {
                Messages m = to.messages();
                LiveMessage own = to == recipients.getFirst() && progress.started() ? progress : null;
                Optional<String> result = resultId(to, id.sessionId());
                delivered(to, result, Optional.empty());
                say(to, own, m.videoLinkBecause(m.linkNotStored(), Optional.empty(), taskLink), result);
            }
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    log.warn("cannot delete {}: {}", file, e.toString());
                }
            }
        }
    }

    /** A link instead of the video: it ends the request's progress message when there is one, else a new message. */
    private static void say(Replier to, LiveMessage progress, String text, Optional<String> result) {
        if (progress != null) {
            progress.finish(text, NEXT); // an edit: its buttons act on the newest result
        } else {
            to.say(text, result, NEXT);
        }
    }
}
