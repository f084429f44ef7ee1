package dev.engram.bench.fakellm;

/**
 * The OpenAI error body: {@code {"error": {"message": ..., "type": ..., "code": ...}}}.
 *
 * @param error the error details
 */
public record ErrorResponse(Detail error) {

    /**
     * @param message human-readable description
     * @param type    error class, e.g. {@code rate_limit_error}
     * @param code    machine-readable code or {@code null}
     */
    public record Detail(String message, String type, String code) {
    }

    /** @return an error body with the given message and type */
    public static ErrorResponse of(String message, String type) {
        return new ErrorResponse(new Detail(message, type, null));
    }
}
