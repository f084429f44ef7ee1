package dev.engram.memory.manage;

import java.util.List;

/**
 * What a deletion removed, for the caller and the audit log.
 *
 * @param chats          the chats it touched
 * @param messages       message rows deleted
 * @param messagesKept   message rows kept but marked never to be memorised again ({@code forget_keeps_messages})
 * @param memories       memory rows deleted
 * @param embeddings     stored vectors deleted
 * @param indexDocuments documents removed from the search index
 * @param graphItems     graph items removed
 * @param graphNodes     concepts removed because no item was left on them
 * @param graphEdges     links removed with those concepts
 * @param tasks          queued tasks removed from the outbox (a queued store of a forgotten message that is still
 *                       in memory does nothing when it runs)
 * @param cacheEntries   cached recalls dropped
 */
public record ForgetReceipt(List<String> chats, long messages, long messagesKept, long memories, long embeddings, long indexDocuments,
                            long graphItems, long graphNodes, long graphEdges, long tasks, long cacheEntries) {
    public ForgetReceipt {
        chats = List.copyOf(chats);
    }

    static ForgetReceipt empty() {
        return new ForgetReceipt(List.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    ForgetReceipt plus(ForgetReceipt o) {
        List<String> all = new java.util.ArrayList<>(chats);
        for (String c : o.chats) if (!all.contains(c)) all.add(c);
        return new ForgetReceipt(all, messages + o.messages, messagesKept + o.messagesKept, memories + o.memories, embeddings + o.embeddings,
                indexDocuments + o.indexDocuments, graphItems + o.graphItems, graphNodes + o.graphNodes,
                graphEdges + o.graphEdges, tasks + o.tasks, cacheEntries + o.cacheEntries);
    }
}
