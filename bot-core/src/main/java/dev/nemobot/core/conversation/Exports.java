package dev.nemobot.core.conversation;

import dev.nemobot.core.work.Cancellation;
import dev.nemobot.core.identity.UserSession;

/**
 * What the conversation asks of the export (the export package implements it): a user's video rendered and
 * delivered, whether one is being made, and stopping it. The conversation knows no more of exporting than this.
 */
public interface Exports {

    /**
     * Renders the session's project and delivers the video to {@code to}; {@code auto} when no one asked (after a
     * generation), which stays quiet where a request would be answered.
     */
    void request(UserSession session, Replier to, boolean auto);

    /** Whether an export of that session runs here now. */
    boolean running(String sessionId);

    /** Stops the session's export running here; false when none was. */
    boolean cancel(String sessionId);

    /**
     * Waits until no export of that session runs here (a batch's take waits for its video before the next take
     * changes the project), or until {@code cancellation} fires. Returns at once when none runs.
     */
    void awaitIdle(String sessionId, Cancellation cancellation);
}
