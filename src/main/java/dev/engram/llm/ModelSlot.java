package dev.engram.llm;

/**
 * Which configured model answers a call. The original system used three: the chat model for replies,
 * {@code utils} for memory extraction and summaries, {@code utils_small} for cheap keyword/topic calls.
 */
public enum ModelSlot {
    /** Answers to users. */
    REPLY,
    /** Memory judgement, extraction, summaries. */
    UTILS,
    /** Cheap, frequent calls: keywords and topics. */
    UTILS_SMALL
}
