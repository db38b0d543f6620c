package dev.nemobot.core.chat;

/** The conversation engine as the platforms see it. */
public interface ChatEngine {
    /** Connects a platform: replies to its users go through {@code platform}; its messages come in through the inbox. */
    Inbox attach(ChatPlatform platform);
}
