package dev.nemobot.core.intake;

/**
 * What a command or a keyword message asks for. All but {@link #AGAIN}, {@link #LONGER} and {@link #ADD_MUSIC}
 * (the quick edits under a delivered video, each a follow-up prompt in the same session) go without a backend turn.
 */
public enum Intent {
    START, HELP, CREDITS, STATUS, EXPORT, UPLOAD_HELP, NEW_SESSION, CANCEL, UNKNOWN_COMMAND, SETTINGS, AGAIN, LONGER,
    ADD_MUSIC,
    /** The user's history of results ({@code /videos [page]}). */
    VIDEOS,
    /** /forget: what would be erased, and the buttons to confirm or not. */
    FORGET,
    /** The /forget question's confirmation ({@link dev.nemobot.core.chat.Action#ERASE}); typed, it asks first. */
    ERASE,
    /** The /forget question answered no. */
    KEEP
}
