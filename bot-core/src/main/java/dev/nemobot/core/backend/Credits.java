package dev.nemobot.core.backend;

/** A credit balance. */
public record Credits(long available, long frozen, long total) {
}
