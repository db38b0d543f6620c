package dev.nemobot.core.text;

import dev.nemobot.config.NemoSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The links the contract gives users: the task link after an export, the sign-up link when credits run out. */
public final class TaskLink {
    private TaskLink() {
    }

    /** {@code $NEMO_WEB_URL/workspace/claim?task=…&session=…&skill_name=…&skill_version=…&skill_source=…}. */
    public static String task(NemoSettings nemo, String taskId, String sessionId) {
        return base(nemo) + "/workspace/claim?task=" + enc(taskId) + "&session=" + enc(sessionId)
                + "&skill_name=" + enc(NemoSettings.SKILL_SOURCE) + "&skill_version=" + enc(nemo.skillVersion())
                + "&skill_source=" + enc(nemo.skillPlatform());
    }

    /** {@code $NEMO_WEB_URL/?bind=<id>}. */
    public static String signup(NemoSettings nemo, String bindId) {
        return base(nemo) + "/?bind=" + enc(bindId);
    }

    private static String base(NemoSettings nemo) {
        String s = nemo.webUrl().toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
