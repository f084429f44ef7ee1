/**
 * Types shared by every part of Engram: the retriable / non-retriable failure classification that the
 * task engine's retry decision is based on.
 */
package dev.engram.common;
