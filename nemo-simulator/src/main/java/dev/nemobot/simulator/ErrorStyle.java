package dev.nemobot.simulator;

/**
 * How the simulator answers an error of the contract (1001, 1002, 2001, 4001, ...). The contract does not say
 * which one the real backend uses, so a client must handle both.
 */
public enum ErrorStyle {
    /** HTTP 200 with the envelope's non-zero {@code code} (the default). */
    ENVELOPE_200,
    /** An HTTP 4xx/5xx status with the same JSON envelope as body. */
    HTTP_STATUS
}
