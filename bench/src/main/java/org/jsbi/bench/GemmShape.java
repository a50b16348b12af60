package org.jsbi.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * A gemm shape C[m x n] = A[m x k] · B[k x n], written as a JMH parameter: {@code "m=50:n=10000:k=10"} or
 * {@code "512^3"} for a cube. Colons, not commas, separate the sizes because JMH's {@code -p name=v1,v2} splits
 * values at commas.
 *
 * <p>Turning a JMH time into a rate: a gemm does m·n·k multiply-adds, i.e. {@code 2·m·n·k} floating-point
 * operations, so GFLOP/s = 2·m·n·k / (seconds per op) / 1e9 = 2·m·n·k / (µs per op) / 1e3. {@link GemmReport}
 * does this for every row it prints.
 */
public record GemmShape(int m, int n, int k) {

    public static GemmShape parse(String spec) {
        String s = spec.trim();
        if (s.endsWith("^3")) {
            int d = Integer.parseInt(s.substring(0, s.length() - 2));
            return new GemmShape(d, d, d);
        }
        int[] f = fields(s, "m", "n", "k");
        return new GemmShape(f[0], f[1], f[2]);
    }

    /** Floating-point operations of one product: a multiply and an add per term. */
    public double flops() {
        return 2.0 * m * n * k;
    }

    /**
     * The values of {@code key=value} pairs separated by colons, in the order of {@code keys}; every key must be
     * present and no other, so a mistyped parameter fails instead of benchmarking the wrong size.
     */
    static int[] fields(String spec, String... keys) {
        Map<String, Integer> found = new HashMap<>();
        for (String part : spec.split(":")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) throw badSpec(spec, keys);
            found.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
        }
        if (found.size() != keys.length) throw badSpec(spec, keys);
        int[] values = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            Integer v = found.get(keys[i]);
            if (v == null || v < 1) throw badSpec(spec, keys);
            values[i] = v;
        }
        return values;
    }

    private static IllegalArgumentException badSpec(String spec, String... keys) {
        return new IllegalArgumentException("shape '" + spec + "' must be " + String.join("=<n>:", keys)
                + "=<n> with positive sizes" + (keys[0].equals("m") ? ", or <d>^3" : ""));
    }
}
