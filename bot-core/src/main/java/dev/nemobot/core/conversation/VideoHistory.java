package dev.nemobot.core.conversation;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Choice;
import dev.nemobot.core.store.Results;
import dev.nemobot.core.store.StoredResult;
import dev.nemobot.core.text.Messages;
import dev.nemobot.core.text.ShortPrompt;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /videos}: one page of the user's history of delivered results ({@link Results#history}), newest delivery
 * first, {@link #PER_PAGE} to a page: when each was delivered (UTC), a short form of what they asked, the link to its
 * video when the delivery trusted one, a button per entry for another take of it ({@link Action#AGAIN} with its result
 * id, as under the video itself) and [◀ Newer] [Older ▶] buttons that turn the list in place. Read from the store, so
 * a result another instance delivered is listed too. Only where the asker alone sees the answer (a private chat, a
 * Discord command answered privately); elsewhere the user is told where to ask. Thread-safe.
 */
public final class VideoHistory {
    private static final Logger log = LoggerFactory.getLogger(VideoHistory.class);
    /** Entries on a page. */
    public static final int PER_PAGE = 5;
    /** The furthest page asked for is taken as this one (the history is bounded by its retention anyway). */
    static final int MAX_PAGE = 1000;

    private final Results results;

    public VideoHistory(Results results) {
        this.results = results;
    }

    /** Shows page {@code page} (from 1) of {@code to}'s user's history; a page past the end shows the first. */
    public void show(Replier to, int page) {
        Messages m = to.messages();
        if (!to.answersPrivately()) {
            to.say(to.platform().privateCommands() ? m.videosByPrivateCommand() : m.videosInPrivateChat());
            return;
        }
        String user = to.user().key();
        int p = Math.clamp(page, 1, MAX_PAGE);
        List<StoredResult> found;
        try {
            // one more than a page: whether there is an older one
            found = results.history(user, (p - 1) * PER_PAGE, PER_PAGE + 1);
            if (found.isEmpty() && p > 1) {
                p = 1; // the history shrank (pruned) under an old page's button
                found = results.history(user, 0, PER_PAGE + 1);
            }
        } catch (RuntimeException e) {
            log.warn("the history of results could not be read: {}", e.toString());
            to.say(m.internalError());
            return;
        }
        if (found.isEmpty()) {
            to.say(m.videosNone());
            return;
        }
        DateTimeFormatter when = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                .withLocale(to.lang().locale()).withZone(ZoneOffset.UTC);
        StringBuilder text = new StringBuilder(m.videosTitle(p));
        List<Choice> again = new ArrayList<>();
        List<StoredResult> shown = found.subList(0, Math.min(PER_PAGE, found.size()));
        for (int i = 0; i < shown.size(); i++) {
            StoredResult r = shown.get(i);
            int number = (p - 1) * PER_PAGE + i + 1;
            String at = when.format(r.deliveredAt().orElse(r.createdAt())) + " UTC";
            text.append("\n\n").append(m.videosEntry(number, at, ShortPrompt.of(r.prompt())));
            text.append("\n").append(r.videoUrl().map(m::videosLink).orElseGet(m::videosNoLink));
            again.add(new Choice(m.videosAgain(number), Action.AGAIN, Optional.of(r.resultId())));
        }
        List<Choice> paging = new ArrayList<>();
        if (p > 1) {
            paging.add(new Choice(m.videosNewer(), Action.VIDEOS, Optional.of(String.valueOf(p - 1))));
        }
        if (found.size() > PER_PAGE) {
            paging.add(new Choice(m.videosOlder(), Action.VIDEOS, Optional.of(String.valueOf(p + 1))));
        }
        to.showChoices(text.toString(), paging.isEmpty() ? List.of(again) : List.of(again, paging));
    }
}
