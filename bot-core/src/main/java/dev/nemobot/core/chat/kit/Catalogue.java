package dev.nemobot.core.chat.kit;

import dev.nemobot.core.chat.Action;
import dev.nemobot.core.chat.Lang;
import java.text.MessageFormat;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One language's sentences: the {@link ResourceBundle} {@code dev/nemobot/core/chat/messages*.properties} (UTF-8; the
 * base bundle is English, {@code messages_<tag>.properties} per other {@link Lang}), each value a
 * {@link MessageFormat} pattern formatted in the language's locale. A key missing from a language falls back to
 * English (the catalogue test fails on it first). The bundle stays beside the port it speaks for ({@code core/chat/}),
 * though the class is one of the adapters' tools. Immutable and thread-safe.
 */
public final class Catalogue {
    public static final String BUNDLE = "dev.nemobot.core.chat.messages";
    private static final Map<Lang, Catalogue> ALL = new EnumMap<>(Lang.class);

    static {
        for (Lang lang : Lang.values()) {
            ALL.put(lang, new Catalogue(lang, load(lang.locale())));
        }
    }

    private final Lang lang;
    private final ResourceBundle bundle;
    /**
     * Each sentence's pattern parsed once (bounded by the bundle's keys). Parsing it on every call cost more than
     * formatting: a pattern with a number style throws and catches an exception inside {@code MessageFormat} each
     * time (issue 24, docs/benchmark.md). A parsed {@code MessageFormat} is not thread-safe, so each call formats a
     * clone; the kept one is never used to format.
     */
    private final ConcurrentHashMap<String, MessageFormat> parsed = new ConcurrentHashMap<>();

    private Catalogue(Lang lang, ResourceBundle bundle) {
        this.lang = lang;
        this.bundle = bundle;
    }

    public static Catalogue of(Lang lang) {
        return ALL.get(lang);
    }

    /** The catalogue of the platform's locale, English for a language the bot does not speak. */
    public static Catalogue of(Locale locale) {
        return of(Lang.of(locale));
    }

    public Lang lang() {
        return lang;
    }

    /**
     * The bundle for {@code locale}, without falling back to the JVM's default locale: a language the bot lacks
     * gets the base bundle, English, whatever the machine's locale.
     */
    public static ResourceBundle load(Locale locale) {
        return ResourceBundle.getBundle(BUNDLE, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /**
     * {@code action}'s button label in this language: the key {@code action.<name in lower case>}. (Here rather than
     * on {@link Action}, so that the port knows nothing of the catalogue.)
     */
    public String label(Action action) {
        return text("action." + action.name().toLowerCase(Locale.ROOT));
    }

    /** The sentence {@code key} with {@code args} put in (every value is a pattern, so {@code ''} is an apostrophe). */
    public String text(String key, Object... args) {
        MessageFormat kept = parsed.get(key);
        if (kept == null) {
            kept = parsed.computeIfAbsent(key, k -> new MessageFormat(bundle.getString(k), lang.locale()));
        }
        return ((MessageFormat) kept.clone()).format(args);
    }
}
