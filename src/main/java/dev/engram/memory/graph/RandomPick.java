package dev.engram.memory.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

/** Uniform sampling without replacement (partial Fisher–Yates). Pure apart from the generator; thread-safe if it is. */
final class RandomPick {
    private RandomPick() {
    }

    /** {@code k} distinct elements of {@code all} (all of them if there are fewer), in random order. */
    static <T> List<T> pick(List<T> all, int k, RandomGenerator random) {
        List<T> copy = new ArrayList<>(all);
        int n = Math.min(k, copy.size());
        for (int i = 0; i < n; i++) Collections.swap(copy, i, i + random.nextInt(copy.size() - i));
        return copy.subList(0, n);
    }

    /** The original's sample size: max(1, min(n, ⌊n·share⌋)), 0 for an empty population. */
    static int size(int n, double share) {
        return n == 0 ? 0 : Math.max(1, Math.min(n, (int) (n * share)));
    }
}
