package dev.nemobot.core.chat;

/** What the bot is busy with, for the platform's working indicator. */
public enum Activity {
    TYPING,
    UPLOADING_VIDEO
}
