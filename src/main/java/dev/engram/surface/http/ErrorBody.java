package dev.engram.surface.http;

/** Every error response: a machine-readable code and a sentence for people. */
record ErrorBody(String error, String detail) {
}
