package org.jsbi.sim.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jsbi.dist.Prior;
import org.jsbi.dist.Priors;
import org.jsbi.random.CounterRandom;
import org.jsbi.simulation.ParameterBatch;

/**
 * slcp_distractors: the 8 SLCP values (as {@link Slcp}, same noise stream, so the same values for the same seed and
 * simulation index) and 92 distractors independent of θ, drawn from an equal-weight mixture of 20 multivariate
 * Student-t components (df = 2, location and lower-triangular scale factor from the definition files); the 100
 * values v are then permuted, x[i] = v[perm[i]].
 *
 * <p>The definition is read from {@code slcp_distractors_definition/} in the reference folder.
 */
public final class SlcpDistractors extends SimulatorTask {

    public static final String NAME = "slcp_distractors";
    static final int DATA = 100;
    static final int NOISE = DATA - Slcp.DATA;
    static final int COMPONENTS = 20;
    static final double DF = 2.0;
    /** The distractors' noise stream; stream 0 holds the SLCP draws, so the distractors leave those unchanged. */
    static final int DISTRACTOR_STREAM = 1;
    private static final int TRIANGLE = NOISE * (NOISE + 1) / 2;

    private final Prior prior = Priors.boxUniform(Slcp.PARAMETERS, -3.0, 3.0);
    private final double[] loc;          // [c * NOISE + r]
    private final double[] scaleTril;    // [c * TRIANGLE + r(r+1)/2 + k], k <= r
    private final int[] permutation;

    /** The task with its definition files from the reference folder ({@link ReferenceData#root()}). */
    public SlcpDistractors() {
        this(ReferenceData.root().resolve("slcp_distractors_definition"));
    }

    /** The task with its definition files from the given folder. */
    public SlcpDistractors(Path definitionDir) {
        super(NAME);
        Definition d = Definition.read(definitionDir);
        this.loc = d.loc;
        this.scaleTril = d.scaleTril;
        this.permutation = d.permutation;
    }

    @Override
    public Prior prior() {
        return prior;
    }

    @Override
    public int dataDim() {
        return DATA;
    }

    /** The permutation: x[i] = v[permutation[i]], where v = (slcp8, distractors92). */
    public int[] permutation() {
        return permutation.clone();
    }

    /** The 0-based columns of x that hold SLCP values 0..7 (data_1..data_8 of slcp). */
    public int[] informativeColumns() {
        int[] cols = new int[Slcp.DATA];
        for (int i = 0; i < DATA; i++) {
            if (permutation[i] < Slcp.DATA) cols[permutation[i]] = i;
        }
        return cols;
    }

    /** Component c's location, 92 values. */
    double[] location(int c) {
        double[] l = new double[NOISE];
        System.arraycopy(loc, c * NOISE, l, 0, NOISE);
        return l;
    }

    /** Component c's scale matrix L Lᵀ, 92 x 92. */
    double[][] scaleMatrix(int c) {
        double[][] s = new double[NOISE][NOISE];
        int base = c * TRIANGLE;
        for (int i = 0; i < NOISE; i++) {
            for (int j = 0; j <= i; j++) {
                double acc = 0;
                for (int k = 0; k <= j; k++) {
                    acc += scaleTril[base + i * (i + 1) / 2 + k] * scaleTril[base + j * (j + 1) / 2 + k];
                }
                s[i][j] = acc;
                s[j][i] = acc;
            }
        }
        return s;
    }

    @Override
    public void simulate(ParameterBatch batch, long seed, float[] out) {
        batch.check(this);
        TaskSupport.checkOutput(this, batch, out);
        float[] theta = batch.values();
        double[] v = new double[DATA];
        double[] slcp = new double[Slcp.DATA];
        double[] z = new double[NOISE];
        for (int i = 0; i < batch.count(); i++) {
            long index = batch.firstIndex() + i;
            Slcp.draw(theta, i * Slcp.PARAMETERS, new CounterRandom(seed, index, 0), slcp);
            System.arraycopy(slcp, 0, v, 0, Slcp.DATA);

            CounterRandom rng = new CounterRandom(seed, index, DISTRACTOR_STREAM);
            int c = (int) (rng.nextDouble() * COMPONENTS);
            // Multivariate t: loc + L z / sqrt(W/df) with one W ~ χ²_df for all 92 values; χ²_2 / 2 is Exp(1).
            double scale = 1.0 / Math.sqrt(rng.nextExponential());
            for (int k = 0; k < NOISE; k++) z[k] = rng.nextGaussian();
            int base = c * TRIANGLE;
            for (int r = 0; r < NOISE; r++) {
                int row = base + r * (r + 1) / 2;
                double acc = 0;
                for (int k = 0; k <= r; k++) acc += scaleTril[row + k] * z[k];
                v[Slcp.DATA + r] = loc[c * NOISE + r] + scale * acc;
            }
            int o = i * DATA;
            for (int k = 0; k < DATA; k++) out[o + k] = (float) v[permutation[k]];
        }
    }

    /** The definition files, read and checked against EXTRA-TASKS.md. */
    private record Definition(double[] loc, double[] scaleTril, int[] permutation) {

        static Definition read(Path dir) {
            double[][] df = table(dir, "distractor_df.csv", COMPONENTS, 1);
            double[][] w = table(dir, "distractor_mixture_weights.csv", COMPONENTS, 1);
            for (int c = 0; c < COMPONENTS; c++) {
                // The simulator implements the stated definition (df 2, equal weights); a file saying otherwise
                // would mean a different task, so refuse it rather than simulate the wrong one.
                if (df[c][0] != DF) {
                    throw new ReferenceDataException(dir.resolve("distractor_df.csv") + ": component " + c + " has df "
                            + df[c][0] + "; slcp_distractors is defined with df = 2");
                }
                if (Math.abs(w[c][0] - 1.0 / COMPONENTS) > 1e-6) {
                    throw new ReferenceDataException(dir.resolve("distractor_mixture_weights.csv") + ": component " + c
                            + " has weight " + w[c][0] + "; slcp_distractors is defined with equal weights 1/20");
                }
            }

            double[][] locRows = table(dir, "distractor_loc.csv", COMPONENTS, NOISE);
            double[] loc = new double[COMPONENTS * NOISE];
            for (int c = 0; c < COMPONENTS; c++) System.arraycopy(locRows[c], 0, loc, c * NOISE, NOISE);

            Path trilFile = file(dir, "distractor_scale_tril.csv");
            double[][] entries = table(dir, "distractor_scale_tril.csv", COMPONENTS * TRIANGLE, 4);
            double[] tril = new double[COMPONENTS * TRIANGLE];
            boolean[] seen = new boolean[tril.length];
            for (double[] e : entries) {
                int c = (int) e[0], r = (int) e[1], k = (int) e[2];
                if (c != e[0] || r != e[1] || k != e[2] || c < 0 || c >= COMPONENTS || r < 0 || r >= NOISE || k < 0 || k > r) {
                    throw new ReferenceDataException(trilFile + ": entry (" + e[0] + ", " + e[1] + ", " + e[2]
                            + ") is not a 0-based (component, row, col) of a lower triangle of " + COMPONENTS + " x " + NOISE
                            + " x " + NOISE);
                }
                int at = c * TRIANGLE + r * (r + 1) / 2 + k;
                if (seen[at]) throw new ReferenceDataException(trilFile + ": entry (" + c + ", " + r + ", " + k + ") appears twice");
                seen[at] = true;
                if (!Double.isFinite(e[3])) throw new ReferenceDataException(trilFile + ": entry (" + c + ", " + r + ", " + k + ") is " + e[3]);
                tril[at] = e[3];
            }

            double[][] p = table(dir, "permutation_idx.csv", DATA, 1);
            int[] perm = new int[DATA];
            boolean[] used = new boolean[DATA];
            for (int i = 0; i < DATA; i++) {
                int v = (int) p[i][0];
                if (v != p[i][0] || v < 0 || v >= DATA || used[v]) {
                    throw new ReferenceDataException(dir.resolve("permutation_idx.csv") + ": row " + (i + 1) + " ("
                            + p[i][0] + ") breaks the permutation of 0.." + (DATA - 1));
                }
                used[v] = true;
                perm[i] = v;
            }
            return new Definition(loc, tril, perm);
        }

        private static Path file(Path dir, String name) {
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) {
                throw new ReferenceDataException("missing slcp_distractors definition file " + f.toAbsolutePath());
            }
            return f;
        }

        private static double[][] table(Path dir, String name, int rows, int columns) {
            Path f = file(dir, name);
            double[][] t = ReferenceData.readCsv(f);
            if (t.length != rows || t[0].length != columns) {
                throw new ReferenceDataException(f + ": expected " + rows + " rows of " + columns + " values, found "
                        + t.length + " rows of " + (t.length == 0 ? 0 : t[0].length));
            }
            return t;
        }
    }
}
