package dev.engram.memory.vector;

/** Small vector helpers. Stateless. */
final class Vectors {
    private Vectors() {
    }

    /** A unit-length copy of {@code v}; a zero vector is returned as a copy unchanged. */
    static float[] normalized(float[] v) {
        double sum = 0;
        for (float x : v) sum += (double) x * x;
        float[] out = v.clone();
        if (sum == 0) return out;
        float inv = (float) (1.0 / Math.sqrt(sum));
        for (int i = 0; i < out.length; i++) out[i] *= inv;
        return out;
    }

    static double dot(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("dimension mismatch: " + a.length + " vs " + b.length);
        double sum = 0;
        for (int i = 0; i < a.length; i++) sum += (double) a[i] * b[i];
        return sum;
    }
}
