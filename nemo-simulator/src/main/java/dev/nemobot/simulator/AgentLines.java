package dev.nemobot.simulator;

import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.Set;

/**
 * What the simulated agent says, in its session's language: the bundles {@code agent*.properties} next to this
 * class (English, Simplified and Traditional Chinese, Japanese, Korean, Spanish, Portuguese, Russian, German,
 * French). The language is the one the session was created in; a code the simulator has no sentences for gets
 * English, as a sentence a bundle lacks does. Like the real agent's, the sentences talk about the web editor
 * ("click Export") in every language. Immutable and thread-safe.
 */
final class AgentLines {
    private static final String BUNDLE = "dev.nemobot.simulator.agent";
    private static final ResourceBundle.Control NO_DEFAULT_LOCALE =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private final String code;
    private final ResourceBundle bundle;

    private AgentLines(String code, ResourceBundle bundle) {
        this.code = code;
        this.bundle = bundle;
    }

    /** The sentences for a session created in {@code language} (any BCP 47 code; blank or unknown: English). */
    static AgentLines of(String language) {
        String code = normalise(language);
        return new AgentLines(code, ResourceBundle.getBundle(BUNDLE, Locale.forLanguageTag(code), NO_DEFAULT_LOCALE));
    }

    /**
     * The session's language as the simulator keeps and reports it: the primary language in lower case ("ja",
     * "pt" for "pt-BR"), and "zh-TW" for Traditional Chinese ("zh-Hant", "zh-TW", "zh-HK", "zh-MO"); "en" for a
     * missing or malformed code.
     */
    static String normalise(String language) {
        if (language == null || language.isBlank()) {
            return "en";
        }
        Locale l = Locale.forLanguageTag(language.strip().replace('_', '-'));
        String primary = l.getLanguage();
        if (primary.isEmpty() || !primary.matches("[a-z]{2,3}")) {
            return "en";
        }
        if (primary.equals("zh")) {
            boolean traditional = l.getScript().equals("Hant")
                    || l.getScript().isEmpty() && TRADITIONAL_REGIONS.contains(l.getCountry());
            return traditional ? "zh-TW" : "zh";
        }
        return primary;
    }

    private static final Set<String> TRADITIONAL_REGIONS = Set.of("TW", "HK", "MO");

    /** The session's language, normalised. */
    String code() {
        return code;
    }

    /** True for a Chinese session (Simplified or Traditional). */
    boolean chinese() {
        return code.startsWith("zh");
    }

    /** The sentence {@code key} with each {@code {name}} replaced by the value after it in {@code args}. */
    String say(String key, Object... args) {
        String s;
        try {
            s = bundle.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalArgumentException("no agent sentence " + key, e);
        }
        for (int i = 0; i + 1 < args.length; i += 2) {
            s = s.replace("{" + args[i] + "}", String.valueOf(args[i + 1]));
        }
        return s;
    }
}
