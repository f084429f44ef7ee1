package dev.engram.eval;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;

/**
 * One LoCoMo-format sample: a long two-person chat in dated sessions and questions about it.
 * Immutable.
 *
 * @param sampleId  the sample's id, e.g. {@code dev-zh-1}
 * @param speakerA  first speaker's name
 * @param speakerB  second speaker's name
 * @param sessions  sessions in number order
 * @param questions the questions with their evidence turns
 */
public record LocomoSample(String sampleId, String speakerA, String speakerB, List<Session> sessions,
                           List<Question> questions) {
    public LocomoSample {
        Objects.requireNonNull(sampleId, "sampleId");
        sessions = List.copyOf(sessions);
        questions = List.copyOf(questions);
    }

    /** Number of turns over all sessions. */
    public int turnCount() {
        return sessions.stream().mapToInt(s -> s.turns().size()).sum();
    }

    /**
     * @param number    the session number (from 1)
     * @param startedAt the session's date and time as written, or {@code null} when absent or unreadable
     * @param turns     the turns in order
     */
    public record Session(int number, LocalDateTime startedAt, List<Turn> turns) {
        public Session {
            turns = List.copyOf(turns);
        }
    }

    /**
     * @param speaker who said it
     * @param diaId   the turn's id ({@code D<session>:<turn>})
     * @param text    what was said (an image's caption appended as {@code [image: …]})
     */
    public record Turn(String speaker, String diaId, String text) {
        public Turn {
            Objects.requireNonNull(speaker, "speaker");
            Objects.requireNonNull(diaId, "diaId");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * @param question the question
     * @param answer   the gold answer as text, {@code null} for adversarial (category 5) questions
     * @param evidence ids of the supporting turns (may be empty in LoCoMo)
     * @param category 1 multi-hop, 2 temporal, 3 open-domain, 4 single-hop, 5 adversarial (0 when missing)
     */
    public record Question(String question, String answer, List<String> evidence, int category) {
        public Question {
            Objects.requireNonNull(question, "question");
            evidence = List.copyOf(evidence);
        }
    }
}
