package dev.nemobot.core.text;

/** What the bot does itself instead of passing on the backend's talk about its web interface. */
public enum Followup {
    /** "Export" / "导出": run the export. */
    EXPORT,
    /** "check account/billing": show the credits. */
    CREDITS,
    /** "open …" / "打开" / "preview in timeline": show the timeline summary. */
    TIMELINE,
    /** "click Upload": explain how to send a file here. */
    UPLOAD,
    /** "drag/drop" / "拖拽": explain that edits are described in words. */
    DESCRIBE_EDIT
}
