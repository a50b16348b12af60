package org.jsbi.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jsbi.autodiff.Parameter;
import org.jsbi.backend.Backend;
import org.jsbi.backend.Parallel;
import org.jsbi.backend.ScalarBackend;
import org.jsbi.flow.Maf;
import org.jsbi.flow.MafConfig;
import org.jsbi.mdn.Mdn;
import org.jsbi.mdn.MdnConfig;
import org.jsbi.random.Rng;
import org.jsbi.train.EstimatorFactory;
import org.jsbi.train.TrainedEstimator;
import org.jsbi.train.Trainer;
import org.jsbi.train.TrainingConfig;
import org.jsbi.train.TrainingData;
import org.jsbi.train.TrainingListener;
import org.junit.jupiter.api.Test;

/**
 * Pins the exact bits of trained weights: a MAF and an MDN at the default architectures, trained for 3 epochs
 * (12 Adam steps) on fixed synthetic data, on the scalar and the SIMD backend, with one and two threads. The hashes
 * were recorded from the code before the training-speed third pass (branch speed2, parent 8f9443a); overhead
 * removal (buffer reuse, packing caches, fused passes with the same per-element arithmetic) must not change a bit.
 * A change to the arithmetic on purpose has to re-record them, and say so, since committed validation results
 * depend on these trajectories. The MAF hashes were re-recorded on 2026-11-26 when the MADE took nflows' layer
 * sequence (one more activation, and the context's); the MDN hashes were re-recorded on 2026-11-27 when its four
 * heads became one product of their stacked weights (the input gradient adds the heads' terms in one product). SIMD
 * hashes are recorded per lane count (4: 128-bit, 8: 256-bit, 16: 512-bit, recorded on an AVX-512 machine on 2026-11-26); the
 * surefire executions at 128 and 256 bits run this test too, so every machine checks the 4- and 8-lane pins, and an
 * AVX-512 machine the 16-lane ones in the default run. A width with no pins (another architecture's) is skipped
 * with its hashes printed, not failed: the bits of a vector width nobody recorded pin nothing. All SIMD hashes were
 * re-recorded on 2026-11-26 when the weight gradients' dot products took a tree of vector adds for their lane sums
 * and a zero-padded vector for their k mod L tail (docs/ARCHITECTURE.md, "The dot path on 16 lanes"); the scalar
 * ones did not change. The two-thread hashes (scalar and SIMD) were re-recorded on 2026-11-27 when the trainer's
 * split of a batch of 200 moved from 104 + 96 to 112 + 88 columns (aligned to 16 lanes), which adds the two parts'
 * gradients over other columns; the one-thread hashes did not change. The 16-lane hashes were re-recorded on
 * 2026-11-27 (session 20) when the weight gradients dY·Xᵀ at k ≤ 256 moved on 512 bits from the dot products to a
 * small product on Xᵀ written out (each element's k-long sum in one lane, one FMA per p, instead of 16 lane sums
 * and a tree); the 4- and 8-lane hashes did not change. The 16-lane MAF hashes at dim 2 were re-recorded on
 * 2026-11-27 (session 22) when weight gradients with fewer than 8 rows (the 2-D MADE's output layer, 4 rows) went
 * back to the dot products on 512 bits; no other hash changed. All 16-lane hashes were then re-recorded the same day
 * when a dense layer's bias gradient came out of its weight gradient's product on 512 bits (a column of ones in Xᵀ:
 * a float sum in the product's order instead of {@code reduceRows}' double sum); the 4- and 8-lane hashes did not
 * change. Every hash was re-recorded on 2026-11-27 (session 27) when Adam's update took the form of
 * {@link org.jsbi.optim.AdamMath} (one division and one square root per element instead of three divisions and a
 * square root) on every backend. The MAF hashes at dim 5 were re-recorded on 2026-11-27 (session 28) when Made
 * began to keep its hidden units sorted by degree (MadeMasks.hiddenOrder: nflows' units relabelled, so that the SIMD
 * masked products can skip their zero blocks); the dim-2 hashes did not change (at D = 2 every unit has degree 1).
 * The same day the two-thread MDN hashes at dim 5 were re-recorded when products inside a part of the trainer's batch
 * split stopped taking the paths meant to be cut over threads (Parallel.canSplit): the MDN's stacked heads (about
 * 1.2 million multiply-adds a part) now run on the small-product paths, as on one thread; no other hash changed.
 * Every MDN hash was re-recorded on 2026-11-28 (session 34) when the CPU backends began to compute the mixture's
 * log-density as one fused node (Tape.gaussianMixture: GaussianMixtureReference on the scalar backend, in double;
 * GaussianMixtureKernels on SIMD, each column's components in one lane) instead of the graph from the primitives,
 * whose sums ran in another order; the MAF hashes did not change.
 */
class TrainingBitPinTest {

    /** Expected hash per "estimator/dim/backend/threads". */
    private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        // Scalar: MAF re-recorded for the nflows MADE, MDN for the stacked heads; SIMD: the dot path of 2026-11-26.
        EXPECTED.put("maf/2/scalar/1", "626e83cce9189b49");
        EXPECTED.put("maf/2/scalar/2", "b9df0348a5614155");
        EXPECTED.put("maf/2/simd4/1", "6965d4fb714f8d43");
        EXPECTED.put("maf/2/simd4/2", "9f3c3ca07cf7cf3a");
        EXPECTED.put("maf/2/simd8/1", "4793be13eb82300");
        EXPECTED.put("maf/2/simd8/2", "ec61251b7029bd29");
        EXPECTED.put("maf/5/scalar/1", "3626f029cfcff8cf");
        EXPECTED.put("maf/5/scalar/2", "4acb78b90367691a");
        EXPECTED.put("maf/5/simd4/1", "18f89842dae35757");
        EXPECTED.put("maf/5/simd4/2", "7b70ba69abd6267");
        EXPECTED.put("maf/5/simd8/1", "3324dc94bd498522");
        EXPECTED.put("maf/5/simd8/2", "50dc94aeadfa308b");
        EXPECTED.put("mdn/2/scalar/1", "5887ac97fbe7d91e");
        EXPECTED.put("mdn/2/scalar/2", "40fe903e7c723d85");
        EXPECTED.put("mdn/2/simd4/1", "7a5293e1599957b0");
        EXPECTED.put("mdn/2/simd4/2", "7a326cc3107862db");
        EXPECTED.put("mdn/2/simd8/1", "60de83c2ae3349e5");
        EXPECTED.put("mdn/2/simd8/2", "7aa34e134e112025");
        EXPECTED.put("mdn/5/scalar/1", "13f166c473a748ca");
        EXPECTED.put("mdn/5/scalar/2", "e0c7788a531cacd2");
        EXPECTED.put("mdn/5/simd4/1", "9e148ca3be4e8d05");
        EXPECTED.put("mdn/5/simd4/2", "a26d71389a6c5bc0");
        EXPECTED.put("mdn/5/simd8/1", "c0b00b63f7764ff4");
        EXPECTED.put("mdn/5/simd8/2", "9a05e946428d51f3");
        EXPECTED.put("maf/2/simd16/1", "1f0b6d8b1bebbc01");
        EXPECTED.put("maf/2/simd16/2", "f78c273cdd787efc");
        EXPECTED.put("maf/5/simd16/1", "62ab47ffbeef4431");
        EXPECTED.put("maf/5/simd16/2", "45c7e917b997a063");
        EXPECTED.put("mdn/2/simd16/1", "cea568963653b92c");
        EXPECTED.put("mdn/2/simd16/2", "98d216544fde77ff");
        EXPECTED.put("mdn/5/simd16/1", "112e4327756891ca");
        EXPECTED.put("mdn/5/simd16/2", "360c9cc0f0795da3");
    }

    private static TrainingData data(int thetaDim, int xDim, int n) {
        Rng rng = new Rng(20261125L);
        float[][] t = new float[n][thetaDim], x = new float[n][xDim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < xDim; j++) x[i][j] = (float) rng.nextGaussian();
            for (int d = 0; d < thetaDim; d++) {
                double m = 0.7 * x[i][d % xDim] - 0.3 * x[i][(d + 1) % xDim] + 0.2 * d;
                t[i][d] = (float) (m + 0.5 * Math.sin(x[i][0] * (d + 1)) + 0.3 * rng.nextGaussian());
            }
        }
        return TrainingData.of(t, x);
    }

    private static String hash(TrainedEstimator te) {
        long h = 0xcbf29ce484222325L;
        for (Parameter p : te.estimator().parameters()) {
            for (float v : p.value().toArray()) {
                h ^= Float.floatToRawIntBits(v);
                h *= 0x100000001b3L;
            }
        }
        for (double l : concat(te.history().trainLoss(), te.history().validationLoss())) {
            h ^= Double.doubleToRawLongBits(l);
            h *= 0x100000001b3L;
        }
        return Long.toHexString(h);
    }

    private static java.util.List<Double> concat(java.util.List<Double> a, java.util.List<Double> b) {
        java.util.List<Double> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Map<String, String> compute() {
        EstimatorFactory maf = (b, td, xd, ts, xs, rng) -> new Maf(b, td, xd, ts, xs, MafConfig.defaults(), rng);
        EstimatorFactory mdn = (b, td, xd, ts, xs, rng) -> new Mdn(b, td, xd, ts, xs, MdnConfig.defaults(), rng);
        Map<String, String> got = new LinkedHashMap<>();
        int before = Parallel.threads();
        try {
            for (Backend be : new Backend[] {new ScalarBackend(), new SimdBackend()}) {
                for (int threads : new int[] {1, 2}) {
                    Parallel.setThreads(threads);
                    for (int dim : new int[] {2, 5}) {
                        TrainingData d = data(dim, dim, 1000);
                        TrainingConfig cfg = TrainingConfig.defaults().withMaxEpochs(3).withStopAfterEpochs(10)
                                .withSeed(7);
                        String name = be instanceof SimdBackend ? "simd" + SimdConfig.LANES : be.name();
                        got.put("maf/" + dim + "/" + name + "/" + threads,
                                hash(Trainer.train(be, maf, d, cfg, TrainingListener.NONE)));
                        got.put("mdn/" + dim + "/" + name + "/" + threads,
                                hash(Trainer.train(be, mdn, d, cfg, TrainingListener.NONE)));
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
        return got;
    }

    @Test
    void trainedWeightsAreBitIdenticalToTheRecordedOnes() {
        Map<String, String> got = compute();
        if (!got.entrySet().stream().allMatch(e -> e.getValue().equals(EXPECTED.get(e.getKey())))) {
            got.forEach((k, v) -> System.out.println("        EXPECTED.put(\"" + k + "\", \"" + v + "\");"));
        }
        String simd = "/simd" + SimdConfig.LANES + "/";
        boolean widthPinned = EXPECTED.keySet().stream().anyMatch(k -> k.contains(simd));
        if (!widthPinned) {
            System.out.println("TrainingBitPinTest: no pins for " + SimdConfig.LANES + " lanes; only scalar checked");
        }
        int checked = 0;
        for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
            if (!got.containsKey(e.getKey())) continue;   // another SIMD width
            assertEquals(e.getValue(), got.get(e.getKey()), "trained weights changed for " + e.getKey());
            checked++;
        }
        long expectedChecks = got.keySet().stream().filter(k -> widthPinned || !k.contains(simd)).count();
        assertEquals(expectedChecks, checked, "every configuration run has a recorded hash");
    }
}
