package org.jsbi.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jsbi.backend.Backends;
import org.jsbi.cli.NpeCommandTest.Printed;
import org.jsbi.dist.Priors;
import org.jsbi.inference.Npe;
import org.jsbi.inference.NpeConfig;
import org.jsbi.io.Npy;
import org.jsbi.posterior.DirectPosterior;
import org.jsbi.random.Rng;
import org.jsbi.simulation.SimulationSet;
import org.jsbi.train.EstimatorFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jsbi train}: simulations made elsewhere (θ as .npy, x as CSV with nan rows) train the posterior the Java API
 * trains on the same rows, which finds the truth of a model whose posterior is known; bad input is refused early.
 */
class TrainCommandTest {

    @TempDir
    static Path tmp;
    static Path thetaNpy;
    static Path xCsv;
    static float[][] theta;
    static float[][] x;
    static final int N = 2_000;
    static final float NOISE = 0.1f;

    /** θ ~ U(-2, 2)², x = 2θ + N(0, 0.1²) noise; every 100th x has a nan, as a simulator's undefined feature. */
    @BeforeAll
    static void simulateElsewhere() throws IOException {
        Rng rng = new Rng(17);
        theta = new float[N][2];
        x = new float[N][2];
        StringBuilder csv = new StringBuilder("f1,f2\n");
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < 2; j++) {
                theta[i][j] = (float) (-2 + 4 * rng.nextDouble());
                x[i][j] = (float) (2 * theta[i][j] + NOISE * rng.nextGaussian());
            }
            if (i % 100 == 7) x[i][1] = Float.NaN;
            csv.append(x[i][0]).append(',').append(Float.isNaN(x[i][1]) ? "nan" : Float.toString(x[i][1])).append('\n');
        }
        thetaNpy = tmp.resolve("theta.npy");
        Npy.write(thetaNpy, theta);
        xCsv = tmp.resolve("x.csv");
        Files.writeString(xCsv, csv);
    }

    /** The command's posterior is the API's on the same finite rows, to the bit, and its mean is near the truth. */
    @Test
    void trainsTheApisPosteriorOnTheFiniteRows() throws IOException {
        Path saved = tmp.resolve("out/post.jsbi");
        Printed p = NpeCommandTest.printed("train", "--theta", thetaNpy.toString(), "--x", xCsv.toString(), "--low",
                "-2,-2", "--high", "2,2", "--max-epochs", "40", "--seed", "4", "--save-posterior", saved.toString());
        assertEquals(0, p.run().code(), p.run() + "\n" + p.out());
        assertTrue(p.out().contains("1,980 simulations (θ 2-D, x 2-D; θ from " + thetaNpy + ", x from " + xCsv + "), 20"
                + " more left out for NaN or infinite x"), p.out());
        assertTrue(p.out().contains("posterior saved to " + saved), p.out());
        DirectPosterior cli = DirectPosterior.load(saved, Backends.current());

        SimulationSet finite = TrainCommand.finiteRows(theta, x);
        assertEquals(20, finite.excludedNonFinite());
        NpeConfig cfg = NpeConfig.defaults().withEstimator(EstimatorFactory.maf())
                .withTraining(NpeConfig.defaults().training().withSeed(4).withMaxEpochs(40));
        DirectPosterior api = new Npe(cfg).train(finite).posterior(Priors.boxUniform(2, -2, 2));
        float[] xo = {0.5f, -0.3f};
        float[][] probe = {{0.5f, -0.3f}, {0.4f, -0.2f}, {1.5f, 1.5f}};
        assertArrayEquals(api.logProb(probe, xo), cli.logProb(probe, xo));

        // The exact posterior is N(x_o / 2, 0.05²) per dimension (the box is far): the mean within one sd of it,
        // where θ and x swapped would put it at 2 x_o and misaligned rows near the prior's 0.
        float[][] s = cli.sample(2_000, xo, 1);
        for (int j = 0; j < 2; j++) {
            double m = 0;
            for (float[] r : s) m += r[j] / s.length;
            assertEquals(xo[j] / 2, m, NOISE / 2, "posterior mean of θ" + (j + 1) + "\n" + p.out());
        }
    }

    /** An interrupt (Ctrl-C through the shutdown hook) ends the training; the best weights so far are saved, exit 130. */
    /**
     * The parameters' names: a CSV θ's header (pandas' 0, 1, ... labels mean none), or --names, saved with the
     * posterior; .npy θ has none, so theta_1, theta_2.
     */
    @Test
    void parameterNamesComeFromTheThetaHeaderOrNames() throws IOException {
        StringBuilder csv = new StringBuilder("gain, offset\n");
        for (float[] t : theta) csv.append(t[0]).append(',').append(t[1]).append('\n');
        Path thetaCsv = tmp.resolve("theta.csv");
        Files.writeString(thetaCsv, csv);
        String[] common = {"--x", xCsv.toString(), "--low", "-2,-2", "--high", "2,2", "--max-epochs", "1"};
        Path a = tmp.resolve("named-header.jsbi"), b = tmp.resolve("named-option.jsbi"), c = tmp.resolve("npy.jsbi");
        train(common, "--theta", thetaCsv.toString(), "--save-posterior", a.toString());
        train(common, "--theta", thetaCsv.toString(), "--names", "k, b", "--save-posterior", b.toString());
        train(common, "--theta", thetaNpy.toString(), "--save-posterior", c.toString());
        assertEquals(List.of("gain", "offset"), DirectPosterior.load(a, Backends.current()).parameterNames());
        assertEquals(List.of("k", "b"), DirectPosterior.load(b, Backends.current()).parameterNames());
        assertEquals(List.of("theta_1", "theta_2"), DirectPosterior.load(c, Backends.current()).parameterNames());
        // R's write.csv quotes the header's names.
        Files.writeString(thetaCsv, csv.toString().replaceFirst("gain, offset", "\"gain\",\"offset\""));
        train(common, "--theta", thetaCsv.toString(), "--save-posterior", a.toString());
        assertEquals(List.of("gain", "offset"), DirectPosterior.load(a, Backends.current()).parameterNames());
        Files.writeString(thetaCsv, csv.toString().replaceFirst("gain, offset", "0,1"));
        train(common, "--theta", thetaCsv.toString(), "--save-posterior", a.toString());
        assertEquals(List.of("theta_1", "theta_2"), DirectPosterior.load(a, Backends.current()).parameterNames());

        // sample prints and writes the names.
        Path samples = tmp.resolve("named-samples.csv");
        Printed p = NpeCommandTest.printed("sample", "--posterior", b.toString(), "--observation", "0.5,-0.3",
                "--samples", "20", "--out", samples.toString());
        assertEquals(0, p.run().code(), p.run() + "\n" + p.out());
        assertTrue(p.out().contains("\n  k    ") && p.out().contains("\n  b    "), p.out());
        assertEquals("k,b", Files.readAllLines(samples).getFirst());

        Printed bad = NpeCommandTest.printed(concat(common, "--theta", thetaNpy.toString(), "--names", "k,k",
                "--save-posterior", tmp.resolve("never.jsbi").toString()));
        assertEquals(2, bad.run().code(), bad.run().toString());
        assertTrue(bad.run().err().contains("--names: parameter name 'k' appears twice"), bad.run().toString());
        Printed tooLong = NpeCommandTest.printed(concat(common, "--theta", thetaNpy.toString(), "--names",
                "k," + "n".repeat(101), "--save-posterior", tmp.resolve("never.jsbi").toString()));
        assertEquals(2, tooLong.run().code(), tooLong.run().toString());
        assertTrue(tooLong.run().err().contains("--names: parameter name 2 has 101 characters; at most 100"),
                tooLong.run().toString());
        assertFalse(bad.out().contains("epoch"), bad.out());
    }

    private static void train(String[] common, String... more) {
        Printed p = NpeCommandTest.printed(concat(common, more));
        assertEquals(0, p.run().code(), p.run() + "\n" + p.out());
    }

    private static String[] concat(String[] common, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train"));
        args.addAll(List.of(common));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void anInterruptSavesTheTrainingSoFar() throws Exception {
        Path saved = tmp.resolve("interrupted.jsbi");
        Printed p = NpeCommandTest.interruptedOnceItPrints("epoch    1 ", "train", "--theta", thetaNpy.toString(),
                "--x", xCsv.toString(), "--low", "-2,-2", "--high", "2,2", "--max-epochs", "1000000",
                "--stop-after-epochs", "1000000", "--save-posterior", saved.toString());
        String out = p.out();
        assertEquals(NpeCommand.EXIT_INTERRUPTED, p.run().code(), p.run() + "\n" + out);
        assertTrue(out.contains("(interrupted); best validation loss"), out);
        assertTrue(out.contains("posterior saved to " + saved), out);
        assertEquals(2, DirectPosterior.load(saved, Backends.current()).thetaDim());
    }

    @Test
    void badInputIsRefusedBeforeTraining() throws IOException {
        Path outside = tmp.resolve("outside.npy");
        float[][] shifted = Arrays.stream(theta).map(float[]::clone).toArray(float[][]::new);
        shifted[41][1] = 2.5f;
        Npy.write(outside, shifted);
        Path nanTheta = tmp.resolve("nan-theta.csv");
        Files.writeString(nanTheta, "a,b\n0.1,0.2\nnan,0.3\n");
        Path short1 = tmp.resolve("short.npy");
        Npy.write(short1, Arrays.copyOf(theta, 10));
        Path thetaCopy = tmp.resolve("theta-copy.npy");
        Files.copy(thetaNpy, thetaCopy);
        String t = thetaNpy.toString(), xs = xCsv.toString(), post = tmp.resolve("bad.jsbi").toString();
        String[][] cases = {
            {"--save-posterior " + thetaCopy + " is the --theta file: writing there would replace it", "train",
                "--theta", thetaCopy.toString(), "--x", xs, "--low", "-2,-2", "--high", "2,2", "--max-epochs", "1",
                "--save-posterior", thetaCopy.toString()},
            {"1 of 2,000 θ rows lie outside the prior box (the first, row 42: [", "train", "--theta",
                outside.toString(), "--x", xs, "--low", "-2,-2", "--high", "2,2", "--save-posterior", post},
            {"line 3 column 1 is 'nan', not a decimal number", "train", "--theta", nanTheta.toString(), "--x", xs,
                "--low", "-2,-2", "--high", "2,2", "--save-posterior", post},
            {"--theta has 10 rows but --x has 2000", "train", "--theta", short1.toString(), "--x", xs, "--low",
                "-2,-2", "--high", "2,2", "--save-posterior", post},
            {"--theta has 2 columns but the prior (--low, --high) has 3 dimensions", "train", "--theta", t, "--x", xs,
                "--low", "-2,-2,-2", "--high", "2,2,2", "--save-posterior", post},
            {"--low has 2 bounds but --high has 1", "train", "--theta", t, "--x", xs, "--low", "-2,-2", "--high",
                "2", "--save-posterior", post},
            {"--high value 2 is 'two', not a finite decimal number", "train", "--theta", t, "--x", xs, "--low",
                "-2,-2", "--high", "2,two", "--save-posterior", post},
            {"--transforms sets a MAF's depth; with --estimator mdn leave it out", "train", "--theta", t, "--x", xs,
                "--low", "-2,-2", "--high", "2,2", "--estimator", "mdn", "--transforms", "3", "--save-posterior", post},
            {"--x " + tmp.resolve("none.csv") + ": no such file", "train", "--theta", t, "--x",
                tmp.resolve("none.csv").toString(), "--low", "-2,-2", "--high", "2,2", "--save-posterior", post},
            {"--save-posterior " + tmp + " names a folder", "train", "--theta", t, "--x", xs, "--low", "-2,-2",
                "--high", "2,2", "--save-posterior", tmp.toString()},
        };
        for (String[] c : cases) {
            Printed p = NpeCommandTest.printed(Arrays.copyOfRange(c, 1, c.length));
            assertEquals(2, p.run().code(), String.join(" ", c) + "\n" + p.run());
            assertTrue(p.run().err().contains(c[0]), "expected '" + c[0] + "':\n" + p.run());
            assertFalse(p.out().contains("epoch"), p.out());
        }
        assertFalse(Files.exists(Path.of(post)));
        assertArrayEquals(Files.readAllBytes(thetaNpy), Files.readAllBytes(thetaCopy), "the θ file was replaced");
    }
}
