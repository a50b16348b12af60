package org.jsbi.bench;

import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.random.Rng;
import org.jsbi.sim.hh.HodgkinHuxley;
import org.jsbi.sim.stg.PyloricNetwork;
import org.jsbi.simulation.ParameterBatch;
import org.jsbi.train.EstimatorFactory;
import org.jsbi.train.Trainer;
import org.jsbi.train.TrainingConfig;
import org.jsbi.train.TrainingData;

/**
 * One timed unit of work for {@link PairedReport}, built from the jar it is loaded from, so that two builds of jsbi
 * can be timed side by side in one JVM. Names: {@code hh} (1,024 SIMD HH simulations; time per simulation),
 * {@code hh-scalar} (128 scalar ones), {@code stg} (64 × threads SIMD pyloric networks; time per network), and
 * {@code maf:TASK} or {@code mdn:TASK} (3 NPE training epochs on 10,000 pairs of a benchmark task, early stopping off;
 * time per epoch). A name may end in {@code @T} to fix its thread count. Public, with a public constructor and
 * {@link #round}, because {@link PairedReport} reaches it by reflection through another class loader.
 */
public final class PairedWorkload {

    private final int threads;
    private final Runnable work;
    private final int units;

    public PairedWorkload(String spec, int defaultThreads) {
        int at = spec.indexOf('@');
        String name = at < 0 ? spec : spec.substring(0, at);
        threads = at < 0 ? defaultThreads : Integer.parseInt(spec.substring(at + 1));
        Parallel.setThreads(threads);
        if (name.equals("hh") || name.equals("hh-scalar")) {
            boolean scalar = name.equals("hh-scalar");
            int n = scalar ? 128 : 1024;
            ParameterBatch b = batch(HodgkinHuxley.prior().sample(n, new Rng(1)), 8);
            HodgkinHuxley sim = HodgkinHuxley.withDefaults().withImplementation(
                    scalar ? HodgkinHuxley.Implementation.SCALAR : HodgkinHuxley.Implementation.SIMD);
            float[] out = new float[n * sim.dataDim()];
            long[] seed = {1};
            work = () -> sim.simulate(b, seed[0]++, out);
            units = n;
        } else if (name.equals("stg")) {
            int n = 64 * threads;
            ParameterBatch b = batch(PyloricNetwork.prior().sample(n, new Rng(1)), 31);
            PyloricNetwork sim = PyloricNetwork.withDefaults().withImplementation(PyloricNetwork.Implementation.SIMD);
            float[] out = new float[n * sim.dataDim()];
            long[] seed = {1};
            work = () -> sim.simulate(b, seed[0]++, out);
            units = n;
        } else if (name.startsWith("maf:") || name.startsWith("mdn:")) {
            EstimatorFactory f = NpeEpochReport.factory(name.substring(0, 3));
            TrainingData data = BenchTasks.pairs(name.substring(4), 10_000, 1);
            Backend be = BenchBackends.create("simd");
            TrainingConfig cfg = TrainingConfig.defaults().withMaxEpochs(3).withStopAfterEpochs(4).withSeed(1);
            work = () -> Trainer.train(be, f, data, cfg, (ep, tl, vl, best, since, sec) -> { });
            units = 3;
        } else {
            throw new IllegalArgumentException("workload must be hh, hh-scalar, stg, maf:TASK or mdn:TASK (optionally "
                    + "@THREADS), got '" + spec + "'");
        }
    }

    private static ParameterBatch batch(float[][] rows, int dim) {
        float[] theta = new float[rows.length * dim];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, theta, i * dim, dim);
        return new ParameterBatch(theta, rows.length, dim, 0);
    }

    /** Runs the unit once on this workload's thread count; milliseconds per simulation, network or epoch. */
    public double round() {
        Parallel.setThreads(threads);
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e6 / units;
    }
}
