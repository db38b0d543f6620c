package dev.nemobot.core.intake;

/** What a command or a keyword message asks for, without a backend turn. */
public enum Intent {
    START, HELP, CREDITS, STATUS, EXPORT, UPLOAD_HELP, NEW_SESSION, CANCEL
}
