package dev.engram.memory.vector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

/**
 * One ONNX Runtime session over a BERT-style model packaged by LangChain4j, with session options
 * chosen for a small shared CPU pool: a given number of intra-op threads (one for the store path, whose
 * parallelism comes from running several texts at once on the pool) and no spin-waiting. (The LangChain4j
 * model classes keep a static session with default options; this one is an instance that can be closed.)
 *
 * <p>{@link #vector} tokenises a text once and runs the session on it directly, reading only the pooled
 * row(s) of the output; LangChain4j's own path tokenises three times and copies the whole output into
 * Java arrays. It gives the same vector (a test compares them). Texts longer than one model window
 * (510 tokens) take LangChain4j's path, which embeds each window and averages them.
 *
 * <p>Thread-safe: ONNX Runtime sessions and the tokenizer accept concurrent calls.
 */
final class OnnxEncoder extends AbstractInProcessEmbeddingModel implements AutoCloseable {
    /** Where a packaged model lives on the classpath and how its token vectors are pooled. */
    record Spec(String modelResource, String tokenizerResource, PoolingMode pooling, int dimensions) {
    }

    /** Token ids one run takes: a 510-token window plus {@code [CLS]} and {@code [SEP]}. */
    private static final int MAX_IDS = 512;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final OnnxBertBiEncoder encoder;
    private final HuggingFaceTokenizer tokenizer;
    private final PoolingMode pooling;
    private final boolean typeIds;
    private final String output;
    private final int dimensions;

    private OnnxEncoder(OrtEnvironment env, OrtSession session, OnnxBertBiEncoder encoder,
                        HuggingFaceTokenizer tokenizer, Spec spec, Executor executor) throws OrtException {
        super(executor);
        this.env = env;
        this.session = session;
        this.encoder = encoder;
        this.tokenizer = tokenizer;
        this.pooling = spec.pooling();
        this.typeIds = session.getInputNames().contains("token_type_ids");
        this.output = session.getOutputNames().iterator().next(); // the token vectors, as LangChain4j reads them
        this.dimensions = spec.dimensions();
    }

    /**
     * Creates the session (blocking; run it on a thread with a large stack, see {@link OnnxEmbedder#load}).
     *
     * @param intraOpThreads threads one run may use (1: the calling thread only)
     */
    static OnnxEncoder create(Spec spec, int intraOpThreads, Executor executor) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtSession session = env.createSession(resource(spec.modelResource()), options);
            HuggingFaceTokenizer tokenizer = null;
            try (InputStream forLangChain = stream(spec.tokenizerResource());
                 InputStream forUs = stream(spec.tokenizerResource())) {
                tokenizer = HuggingFaceTokenizer.newInstance(forUs, Map.of("padding", "false"));
                return new OnnxEncoder(env, session, new OnnxBertBiEncoder(env, session, forLangChain, spec.pooling()),
                        tokenizer, spec, executor);
            } catch (IOException e) {
                closeAll(tokenizer, session);
                throw new UncheckedIOException(e);
            } catch (RuntimeException | OrtException e) {
                closeAll(tokenizer, session);
                throw e;
            }
        }
    }

    /** The text's pooled vector, not yet normalised. */
    float[] vector(String text) {
        Encoding encoding = tokenizer.encode(text, true, false);
        long[] ids = encoding.getIds();
        if (ids.length > MAX_IDS || ids.length <= 2) return embed(text).content().vector(); // windows, or empty: LangChain4j's path
        long[] shape = {1, ids.length};
        Map<String, OnnxTensor> inputs = new HashMap<>(4);
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(encoding.getAttentionMask()), shape));
            if (typeIds) inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(encoding.getTypeIds()), shape));
            try (OrtSession.Result result = session.run(inputs, Set.of(output))) {
                FloatBuffer tokens = ((OnnxTensor) result.get(0)).getFloatBuffer();
                return pool(tokens, ids.length);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("the embedding model failed on a text of " + ids.length + " tokens", e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** CLS: the first token's vector; MEAN: the average over every token (no padding, so all count), as LangChain4j pools. */
    private float[] pool(FloatBuffer tokens, int count) {
        float[] v = new float[dimensions];
        if (pooling == PoolingMode.CLS) {
            tokens.get(0, v);
            return v;
        }
        for (int t = 0; t < count; t++) {
            int base = t * dimensions;
            for (int i = 0; i < dimensions; i++) v[i] += tokens.get(base + i);
        }
        for (int i = 0; i < dimensions; i++) v[i] /= count;
        return v;
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
        tokenizer.close();
        session.close();
    }

    private static void closeAll(HuggingFaceTokenizer tokenizer, OrtSession session) throws OrtException {
        if (tokenizer != null) tokenizer.close();
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
