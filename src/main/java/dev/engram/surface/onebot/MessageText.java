package dev.engram.surface.onebot;

import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Renders message segments as the text Engram stores and the chat pipeline reads: text as is, {@code at} as
 * {@code @name} (the @-mention of the bot itself is dropped and only noted), {@code reply} noted and dropped,
 * and media or cards as readable placeholders ({@code [图片]}, {@code [语音]}, …). Stateless.
 */
final class MessageText {
    /** Placeholders of the segment types that carry no text of their own. */
    private static final Map<String, String> PLACEHOLDERS = Map.ofEntries(
            Map.entry("face", "[表情]"), Map.entry("mface", "[表情]"), Map.entry("image", "[图片]"),
            Map.entry("record", "[语音]"), Map.entry("video", "[视频]"), Map.entry("file", "[文件]"),
            Map.entry("rps", "[猜拳]"), Map.entry("dice", "[骰子]"), Map.entry("shake", "[窗口抖动]"),
            Map.entry("poke", "[戳一戳]"), Map.entry("contact", "[推荐名片]"), Map.entry("location", "[位置]"),
            Map.entry("music", "[音乐]"), Map.entry("forward", "[聊天记录]"), Map.entry("node", "[聊天记录]"),
            Map.entry("xml", "[卡片消息]"), Map.entry("json", "[卡片消息]"), Map.entry("share", "[链接]"),
            Map.entry("markdown", "[卡片消息]"));

    /**
     * @param text          the rendered text, stripped; may be empty
     * @param mentionsSelf  an {@code at} segment named the bot
     * @param replyTo       the {@code id} of the first {@code reply} segment, or null
     */
    record Rendered(String text, boolean mentionsSelf, String replyTo) {
    }

    private MessageText() {
    }

    /**
     * @param selfId   the bot's account; an {@code at} of it is dropped from the text
     * @param nameOfQq a known display name of another account, or null (then the number is shown)
     */
    static Rendered render(List<Segment> segments, long selfId, LongFunction<String> nameOfQq) {
        StringBuilder sb = new StringBuilder();
        boolean mentionsSelf = false;
        String replyTo = null;
        String self = Long.toString(selfId);
        for (Segment s : segments) {
            switch (s.type()) {
                case "text" -> sb.append(s.get("text"));
                case "at" -> {
                    String qq = s.get("qq").strip();
                    if (qq.equals(self)) mentionsSelf = true;
                    else sb.append(qq.equals("all") ? "@全体成员" : "@" + atName(s, qq, nameOfQq)).append(' ');
                }
                case "reply" -> {
                    if (replyTo == null && !s.get("id").isBlank()) replyTo = s.get("id").strip();
                }
                case "image" -> sb.append(s.get("type").equals("flash") ? "[闪照]" : "[图片]");
                case "share", "location" -> sb.append(PLACEHOLDERS.get(s.type()))
                        .append(s.get("title").isBlank() ? "" : s.get("title").strip() + " ");
                default -> sb.append(PLACEHOLDERS.getOrDefault(s.type(), "[" + s.type() + "]"));
            }
        }
        return new Rendered(sb.toString().strip(), mentionsSelf, replyTo);
    }

    private static String atName(Segment s, String qq, LongFunction<String> nameOfQq) {
        if (!s.get("name").isBlank()) return s.get("name").strip();
        try {
            String known = nameOfQq.apply(Long.parseLong(qq));
            return known == null ? qq : known;
        } catch (NumberFormatException e) {
            return qq;
        }
    }
}
