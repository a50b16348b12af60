package org.jsbi.sim.stg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jsbi.sim.SimTesting;
import org.junit.jupiter.api.Test;

/** The Savitzky–Golay coefficients, the whole-trace filter and the stream. */
class SavitzkyGolayTest {

    @Test
    void interiorWeightsHaveTheClosedForm() {
        // The 2m+1-point cubic (= quadratic) smoothing weights: (3(3m² + 3m − 1) − 15k²) / ((2m − 1)(2m + 1)(2m + 3)),
        // m = 10: (987 − 15k²) / 9177.
        for (int k = -10; k <= 10; k++) {
            assertEquals((float) ((987.0 - 15.0 * k * k) / 9177.0), SavitzkyGolay.INTERIOR[k + 10], "k = " + k);
        }
    }

    @Test
    void everyWeightIsTheExactLeastSquaresWeightRoundedToFloat() {
        // Independently of the class's centred closed form: solve the normal equations of the cubic fit over the
        // positions 0..20 in exact rational arithmetic, evaluate at position x, and round to float once.
        Fraction[][] inverse = inverseNormalMatrix();
        for (int j = 0; j < 21; j++) {
            assertEquals(exactWeight(inverse, 10, j), SavitzkyGolay.INTERIOR[j], "interior " + j);
            for (int i = 0; i < 10; i++) {
                assertEquals(exactWeight(inverse, i, j), SavitzkyGolay.HEAD[i][j], "head " + i + "," + j);
                assertEquals(exactWeight(inverse, 11 + i, j), SavitzkyGolay.TAIL[i][j], "tail " + i + "," + j);
            }
        }
        // One value by hand: the first head weight is 122942829605904 / 225980022036384 = 0.5440429136...
        assertEquals(0.5440429136f, SavitzkyGolay.HEAD[0][0], 1e-7f);
    }

    @Test
    void tailIsTheMirroredHeadAndInteriorIsSymmetric() {
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 21; j++) assertEquals(SavitzkyGolay.HEAD[9 - i][20 - j], SavitzkyGolay.TAIL[i][j]);
        }
        for (int j = 0; j < 21; j++) assertEquals(SavitzkyGolay.INTERIOR[20 - j], SavitzkyGolay.INTERIOR[j]);
    }

    @Test
    void reproducesCubicsIncludingTheEdges() {
        // A least-squares cubic fit reproduces a cubic exactly; in float, to the rounding of the weights and sums.
        for (int n : new int[] {21, 22, 40, 257}) {
            float[] raw = new float[n];
            double[] exact = new double[n];
            for (int k = 0; k < n; k++) {
                double x = (k - n / 2.0) / 8.0;
                exact[k] = -45 + 3 * x - 0.5 * x * x + 0.125 * x * x * x;
                raw[k] = (float) exact[k];
            }
            float[] f = new float[n];
            SavitzkyGolay.filter(raw, f);
            for (int k = 0; k < n; k++) {
                assertEquals(exact[k], f[k], 1e-4 * (1 + Math.abs(exact[k])), "n = " + n + ", k = " + k);
            }
        }
    }

    @Test
    void applyIsTheDocumentedFmaChain() {
        Random rng = new Random(SimTesting.seed());
        float[] raw = new float[40];
        for (int t = 0; t < 200; t++) {
            for (int k = 0; k < raw.length; k++) raw[k] = (float) (rng.nextGaussian() * 30 - 50);
            int first = rng.nextInt(raw.length - 20);
            float[] w = SavitzkyGolay.HEAD[rng.nextInt(10)];
            float f = 0f;
            for (int j = 0; j < 21; j++) f = Math.fma(w[j], raw[first + j], f);
            assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits(SavitzkyGolay.apply(w, raw, first)),
                    "seed " + SimTesting.seed());
        }
    }

    /** The interior sample is the documented symmetric two-chain sum, and agrees with the 21-term chain to rounding. */
    @Test
    void applyInteriorIsTheDocumentedSymmetricSum() {
        Random rng = new Random(SimTesting.seed() + 2);
        float[] raw = new float[40];
        float[] w = SavitzkyGolay.INTERIOR;
        for (int t = 0; t < 500; t++) {
            for (int k = 0; k < raw.length; k++) raw[k] = (float) (rng.nextGaussian() * 30 - 50);
            int first = rng.nextInt(raw.length - 20);
            float a = w[10] * raw[first + 10], b = 0f;
            for (int q = 0; q < 10; q += 2) {
                a = Math.fma(w[q], raw[first + q] + raw[first + 20 - q], a);
                b = Math.fma(w[q + 1], raw[first + q + 1] + raw[first + 19 - q], b);
            }
            float f = SavitzkyGolay.applyInterior(raw, first);
            assertEquals(Float.floatToRawIntBits(a + b), Float.floatToRawIntBits(f), "seed " + SimTesting.seed());
            double exact = 0;
            for (int j = 0; j < 21; j++) exact += (double) w[j] * raw[first + j];
            assertEquals(exact, f, 2e-5 * (1 + Math.abs(exact)), "seed " + SimTesting.seed());
        }
    }

    @Test
    void streamGivesTheWholeTraceFilterBitForBit() {
        Random rng = new Random(SimTesting.seed() + 1);
        Collect sink = new Collect();
        SavitzkyGolayStream stream = new SavitzkyGolayStream(sink);
        for (int n : new int[] {21, 22, 30, 41, 42, 43, 1000, 4103}) {
            float[] raw = new float[n];
            double v = -55;
            for (int k = 0; k < n; k++) {
                v += rng.nextGaussian() * 3;
                raw[k] = (float) v;
            }
            float[] whole = new float[n];
            SavitzkyGolay.filter(raw, whole);
            for (int round = 0; round < 2; round++) {       // a reset stream gives the same again
                sink.values.clear();
                sink.finished = 0;
                stream.reset();
                for (float x : raw) stream.push(x);
                assertEquals(n - 10, sink.values.size(), "everything but the tail comes out before finish()");
                stream.finish();
                assertEquals(1, sink.finished);
                float[] streamed = new float[sink.values.size()];
                for (int k = 0; k < streamed.length; k++) streamed[k] = sink.values.get(k);
                assertArrayEquals(whole, streamed, "n = " + n + ", seed " + SimTesting.seed());
            }
        }
    }

    @Test
    void streamEmitsTheHeadWhenTheFirstWindowIsComplete() {
        Collect sink = new Collect();
        SavitzkyGolayStream stream = new SavitzkyGolayStream(sink);
        for (int k = 0; k < 20; k++) stream.push(k);
        assertEquals(0, sink.values.size());
        stream.push(20);
        assertEquals(11, sink.values.size());        // filtered 0..9 (head) and 10 (interior)
        stream.push(21);
        assertEquals(12, sink.values.size());
    }

    @Test
    void shortTracesAreRefused() {
        SavitzkyGolayStream stream = new SavitzkyGolayStream(new Collect());
        for (int k = 0; k < 20; k++) stream.push(-60f);
        assertThrows(IllegalStateException.class, stream::finish);
        assertThrows(IllegalArgumentException.class, () -> SavitzkyGolay.filter(new float[20], new float[20]));
        float[] raw = new float[30];
        assertThrows(IllegalArgumentException.class, () -> SavitzkyGolay.filter(raw, raw));
        assertThrows(IllegalArgumentException.class, () -> SavitzkyGolay.filter(raw, new float[29]));
        assertThrows(IllegalArgumentException.class, () -> new SavitzkyGolayStream(null));
    }

    @Test
    void aNonFiniteSampleMakesEveryFilteredSampleOfItsWindowsNonFinite() {
        float[] raw = StgTesting.rest(100);
        raw[50] = Float.NaN;
        float[] f = new float[100];
        SavitzkyGolay.filter(raw, f);
        for (int k = 0; k < 100; k++) assertEquals(Math.abs(k - 50) <= 10, Float.isNaN(f[k]), "k = " + k);
        raw[50] = Float.POSITIVE_INFINITY;
        raw[3] = Float.NEGATIVE_INFINITY;
        SavitzkyGolay.filter(raw, f);
        for (int k = 0; k < 100; k++) {
            assertEquals(k <= 13 || Math.abs(k - 50) <= 10, !Float.isFinite(f[k]), "k = " + k);
        }
    }

    /** Collects the filtered samples. */
    static final class Collect implements FilteredSampleSink {
        final List<Float> values = new ArrayList<>();
        int finished;

        @Override
        public void accept(float filtered) {
            values.add(filtered);
        }

        @Override
        public void finish() {
            finished++;
        }
    }

    // ---- exact rational least squares (test only) ----

    private static float exactWeight(Fraction[][] inverse, int x, int j) {
        // weight of sample j when the fit over positions 0..20 is evaluated at x: e(x)ᵀ (AᵀA)⁻¹ a(j)
        Fraction s = Fraction.ZERO;
        for (int d = 0; d < 4; d++) {
            for (int e = 0; e < 4; e++) {
                BigInteger basis = BigInteger.valueOf(x).pow(d).multiply(BigInteger.valueOf(j).pow(e));
                s = s.plus(inverse[d][e].times(Fraction.of(basis)));
            }
        }
        return s.toFloat();
    }

    private static Fraction[][] inverseNormalMatrix() {
        Fraction[][] m = new Fraction[4][8];
        for (int d = 0; d < 4; d++) {
            for (int e = 0; e < 4; e++) {
                BigInteger sum = BigInteger.ZERO;
                for (int x = 0; x <= 20; x++) sum = sum.add(BigInteger.valueOf(x).pow(d + e));
                m[d][e] = Fraction.of(sum);
                m[d][4 + e] = d == e ? Fraction.of(BigInteger.ONE) : Fraction.ZERO;
            }
        }
        for (int c = 0; c < 4; c++) {              // Gauss–Jordan; AᵀA is positive definite, pivots are non-zero
            Fraction p = m[c][c];
            for (int k = 0; k < 8; k++) m[c][k] = m[c][k].divide(p);
            for (int r = 0; r < 4; r++) {
                if (r == c) continue;
                Fraction f = m[r][c];
                for (int k = 0; k < 8; k++) m[r][k] = m[r][k].minus(f.times(m[c][k]));
            }
        }
        Fraction[][] inv = new Fraction[4][4];
        for (int d = 0; d < 4; d++) System.arraycopy(m[d], 4, inv[d], 0, 4);
        return inv;
    }

    private record Fraction(BigInteger num, BigInteger den) {
        static final Fraction ZERO = of(BigInteger.ZERO);

        static Fraction of(BigInteger n) {
            return new Fraction(n, BigInteger.ONE);
        }

        static Fraction make(BigInteger n, BigInteger d) {
            if (d.signum() < 0) {
                n = n.negate();
                d = d.negate();
            }
            BigInteger g = n.gcd(d);
            return g.signum() == 0 ? ZERO : new Fraction(n.divide(g), d.divide(g));
        }

        Fraction plus(Fraction o) {
            return make(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
        }

        Fraction minus(Fraction o) {
            return make(num.multiply(o.den).subtract(o.num.multiply(den)), den.multiply(o.den));
        }

        Fraction times(Fraction o) {
            return make(num.multiply(o.num), den.multiply(o.den));
        }

        Fraction divide(Fraction o) {
            return make(num.multiply(o.den), den.multiply(o.num));
        }

        float toFloat() {
            return new BigDecimal(num).divide(new BigDecimal(den), new MathContext(60)).floatValue();
        }
    }
}
