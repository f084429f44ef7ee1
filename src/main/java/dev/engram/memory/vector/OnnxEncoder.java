package dev.engram.memory.vector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

/**
 * One ONNX Runtime session over a BERT-style model packaged by LangChain4j, with session options
 * chosen for a small shared CPU pool: one intra-op thread and no spin-waiting, because parallelism
 * comes from running several texts at once on the pool. (The LangChain4j model classes keep a
 * static session with default options; this one is an instance that can be closed.) Thread-safe:
 * ONNX Runtime sessions accept concurrent runs.
 */
final class OnnxEncoder extends AbstractInProcessEmbeddingModel implements AutoCloseable {
    /** Where a packaged model lives on the classpath and how its token vectors are pooled. */
    record Spec(String modelResource, String tokenizerResource, PoolingMode pooling, int dimensions) {
    }

    private final OrtSession session;
    private final OnnxBertBiEncoder encoder;
    private final int dimensions;

    private OnnxEncoder(OrtSession session, OnnxBertBiEncoder encoder, int dimensions, Executor executor) {
        super(executor);
        this.session = session;
        this.encoder = encoder;
        this.dimensions = dimensions;
    }

    /** Creates the session (blocking; run it on a thread with a large stack, see {@link OnnxEmbedder#load}). */
    static OnnxEncoder create(Spec spec, Executor executor) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtSession session = env.createSession(resource(spec.modelResource()), options);
            try (InputStream tokenizer = stream(spec.tokenizerResource())) {
                return new OnnxEncoder(session, new OnnxBertBiEncoder(env, session, tokenizer, spec.pooling()),
                        spec.dimensions(), executor);
            } catch (IOException | RuntimeException e) {
                session.close();
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
        }
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return dimensions;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }

    private static byte[] resource(String name) {
        try (InputStream in = stream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + name, e);
        }
    }

    private static InputStream stream(String name) {
        InputStream in = OnnxEncoder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) throw new IllegalStateException("model resource " + name + " is not on the classpath");
        return in;
    }
}
