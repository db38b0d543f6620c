package dev.nemobot.core.nemo;

/** A credit balance. */
public record Credits(long available, long frozen, long total) {
}
