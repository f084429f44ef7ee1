package dev.engram.surface.onebot;

import java.util.List;

/** A decoded OneBot v11 event ({@code event/*.md}); see {@link EventDecoder}. */
sealed interface OneBotEvent {
    /** The bot account that received the event ({@code self_id}). */
    long selfId();

    /**
     * A {@code message} event, group or private.
     *
     * @param group      {@code message_type = group}
     * @param groupId    the group ({@code 0} for a private message)
     * @param userId     the sender
     * @param messageId  {@code message_id} as text (the external id of the stored message)
     * @param senderName {@code sender.card}, else {@code sender.nickname}, else the user id
     * @param segments   the message, whichever format it arrived in
     */
    record Message(long selfId, boolean group, long groupId, long userId, String messageId, String senderName,
                   List<Segment> segments) implements OneBotEvent {
        public Message {
            segments = List.copyOf(segments);
        }

        /** The Engram chat: {@code qq:group:<group_id>} or {@code qq:private:<user_id>}. */
        String chatId() {
            return group ? "qq:group:" + groupId : "qq:private:" + userId;
        }
    }

    /** A {@code meta_event}: {@code heartbeat} or {@code lifecycle} ({@code subType} enable, disable, connect). */
    record Meta(long selfId, String metaType, String subType) implements OneBotEvent {
    }

    /** Any other event ({@code notice}, {@code request}, implementation extras); acknowledged and ignored. */
    record Other(long selfId, String postType) implements OneBotEvent {
    }
}
