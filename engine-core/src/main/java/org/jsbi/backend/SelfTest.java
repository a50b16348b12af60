package org.jsbi.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jsbi.tensor.HostStorage;
import org.jsbi.tensor.Storage;

/**
 * A quick check that a backend computes what the scalar reference computes, for {@code jsbi info} and for users who
 * want to know a machine is sound before a long run. The thorough version is the conformance test suite.
 */
public final class SelfTest {

    /** One check's outcome. */
    public record Check(String name, boolean passed, double maxRelativeError, String detail) {
    }

    /** All checks plus a matmul speed figure. */
    public record Report(String backend, List<Check> checks, double gemmGflops) {
        public boolean passed() {
            return checks.stream().allMatch(Check::passed);
        }
    }

    private SelfTest() {
    }

    public static Report run(Backend candidate, long seed) {
        Backend ref = new ScalarBackend();
        SplittableRandom r = new SplittableRandom(seed);
        List<Check> checks = new ArrayList<>();
        int m = 67, n = 203, k = 51;
        float[] a = random(r, m * k), b = random(r, k * n);
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            float[] e = new float[m * n], g;
            ref.gemm(ta, tb, m, n, k, 1f, new HostStorage(a), 0, ta ? m : k, new HostStorage(b), 0, tb ? k : n, 0f,
                    new HostStorage(e), 0, n);
            Storage cs = candidate.allocate(m * n);
            candidate.gemm(ta, tb, m, n, k, 1f, up(candidate, a), 0, ta ? m : k, up(candidate, b), 0, tb ? k : n, 0f,
                    cs, 0, n);
            g = down(candidate, cs);
            checks.add(compare("gemm" + (ta ? " Aᵀ" : "") + (tb ? " Bᵀ" : "") + " 67x203x51", e, g, 1e-4));
        }
        float[] x = random(r, 4099);
        for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.TANH, UnaryOp.SOFTPLUS, UnaryOp.SIGMOID}) {
            float[] e = new float[x.length];
            ref.unary(op, x.length, new HostStorage(x), 0, new HostStorage(e), 0);
            Storage ys = candidate.allocate(x.length);
            candidate.unary(op, x.length, up(candidate, x), 0, ys, 0);
            checks.add(compare(op.name().toLowerCase() + " n=4099", e, down(candidate, ys), 1e-5));
        }
        float[] z = random(r, 67 * 203);
        for (ReduceOp op : ReduceOp.values()) {
            float[] e = new float[203];
            ref.reduceColumns(op, 67, 203, new HostStorage(z), 0, 203, new HostStorage(e), 0);
            Storage os = candidate.allocate(203);
            candidate.reduceColumns(op, 67, 203, up(candidate, z), 0, 203, os, 0);
            checks.add(compare("reduceColumns " + op.name().toLowerCase() + " 67x203", e, down(candidate, os), 1e-5));
        }
        return new Report(candidate.name(), checks, gemmGflops(candidate, r));
    }

    private static double gemmGflops(Backend be, SplittableRandom r) {
        int s = 256;
        Storage a = up(be, random(r, s * s)), b = up(be, random(r, s * s)), c = be.allocate(s * s);
        // Warm up for half a second (the JIT compiles the kernels), then time whole calls for at least 0.3 s.
        long start = System.nanoTime();
        while (System.nanoTime() - start < 500_000_000L) be.gemm(false, false, s, s, s, 1f, a, 0, s, b, 0, s, 0f, c, 0, s);
        int reps = 0;
        long t0 = System.nanoTime();
        while (reps < 3 || System.nanoTime() - t0 < 300_000_000L) {
            be.gemm(false, false, s, s, s, 1f, a, 0, s, b, 0, s, 0f, c, 0, s);
            reps++;
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        return 2.0 * s * s * s * reps / sec / 1e9;
    }

    private static Check compare(String name, float[] expected, float[] actual, double tol) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], g = actual[i];
            if (Double.isNaN(e) && Double.isNaN(g)) continue;
            double err = Math.abs(e - g) / Math.max(1.0, Math.abs(e));
            if (!(err <= worst)) worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
        }
        boolean ok = worst <= tol;
        return new Check(name, ok, worst, ok ? "ok" : "max relative error " + worst + " > " + tol);
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextDouble(-2, 2);
        return v;
    }

    private static Storage up(Backend be, float[] v) {
        Storage s = be.allocate(v.length);
        be.upload(v, 0, s, 0, v.length);
        return s;
    }

    private static float[] down(Backend be, Storage s) {
        float[] v = new float[s.length()];
        be.download(s, 0, v, 0, v.length);
        return v;
    }
}
