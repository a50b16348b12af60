package org.jsbi.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jsbi.posterior.DirectPosterior;

/**
 * A pair plot of posterior samples, as sbi's {@code pairplot} and the paper's figures draw one: a grid of panels with
 * each parameter's histogram on the diagonal and the 2-D histogram of each pair above it (row i, column j > i: θ_j
 * across, θ_i up), the lower triangle left empty. An optional marker (the true θ, the MAP) is drawn as lines. The
 * panels are JFreeChart charts drawn into one image; the binning is done here, so the counts are exactly the samples'.
 */
public final class PairPlot {

    /** The darkest colour of the 2-D histograms and the bars of the 1-D ones (matplotlib's default blue). */
    private static final Color INK = new Color(31, 119, 180);

    private static final Color MARKER = new Color(214, 39, 40);

    private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 9);

    private static final Font LABELS = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    /** The widest image drawn: a square of 6,000 pixels takes 144 MB while it is drawn. */
    static final int MAX_PIXELS = 6_000;

    /** The most parameters a pair plot takes: panels of at least 60 pixels in at most {@link #MAX_PIXELS}. */
    public static final int MAX_PARAMETERS = MAX_PIXELS / 60;

    /**
     * What to draw and over what ranges.
     *
     * @param labels      a name per parameter (the diagonal's axis labels)
     * @param low         each parameter's lower plot limit (the prior's box, say)
     * @param high        its upper limit, above low
     * @param bins        bins per axis of every histogram, 2..500
     * @param panelPixels width and height of one panel, 60..2000
     * @param marker      a θ to mark in every panel, or null
     */
    public record Options(String[] labels, double[] low, double[] high, int bins, int panelPixels, float[] marker) {

        public Options {
            if (labels == null || low == null || high == null) {
                throw new IllegalArgumentException("labels, low and high must be given");
            }
            int d = labels.length;
            if (d < 1 || low.length != d || high.length != d) {
                throw new IllegalArgumentException("labels, low and high need one entry per parameter, got "
                        + labels.length + ", " + low.length + " and " + high.length);
            }
            for (int i = 0; i < d; i++) {
                if (!(Double.isFinite(low[i]) && Double.isFinite(high[i]) && low[i] < high[i])) {
                    throw new IllegalArgumentException("parameter " + (i + 1) + "'s plot range is [" + low[i] + ", "
                            + high[i] + "]; it needs finite ends with low < high");
                }
            }
            if (bins < 2 || bins > 500) throw new IllegalArgumentException("bins must be 2..500, got " + bins);
            if (panelPixels < 60 || panelPixels > 2000) {
                throw new IllegalArgumentException("panelPixels must be 60..2000, got " + panelPixels);
            }
            if ((long) panelPixels * d > MAX_PIXELS) {
                throw new IllegalArgumentException(d + " panels of " + panelPixels + " pixels make an image wider than"
                        + " " + MAX_PIXELS + " pixels; plot fewer parameters or smaller panels");
            }
            if (marker != null && marker.length != d) {
                throw new IllegalArgumentException("the marker has " + marker.length + " values for " + d
                        + " parameters");
            }
            labels = labels.clone();
            low = low.clone();
            high = high.clone();
            marker = marker == null ? null : marker.clone();
        }

        /**
         * Labels theta_1.., 50 bins (as sbi's pairplot), panels of 180 pixels (smaller where that would make the
         * image wider than {@link #MAX_PIXELS}, down to 60: up to {@link #MAX_PARAMETERS} parameters), no marker.
         */
        public static Options of(double[] low, double[] high) {
            String[] labels = DirectPosterior.defaultNames(low.length).toArray(String[]::new);
            int panel = Math.max(60, Math.min(180, MAX_PIXELS / Math.max(1, low.length)));
            return new Options(labels, low, high, 50, panel, null);
        }

        public Options withMarker(float[] theta) {
            return new Options(labels, low, high, bins, panelPixels, theta);
        }

        public Options withLabels(String[] names) {
            return new Options(names, low, high, bins, panelPixels, marker);
        }

        public Options withBins(int n) {
            return new Options(labels, low, high, n, panelPixels, marker);
        }
    }

    private PairPlot() {
    }

    /**
     * The pair plot of {@code samples} (rows are samples); samples outside a parameter's range are not drawn in that
     * parameter's panels.
     *
     * @throws PlotException where this JVM cannot draw (no fonts installed, say), with what to install
     */
    public static BufferedImage render(float[][] samples, Options o) {
        int d = o.labels().length;
        if (samples == null || samples.length == 0) throw new IllegalArgumentException("no samples to plot");
        for (int r = 0; r < samples.length; r++) {
            if (samples[r] == null || samples[r].length != d) {
                throw new IllegalArgumentException("sample " + r + " has " + (samples[r] == null ? "no"
                        : samples[r].length) + " values for " + d + " parameters");
            }
        }
        int p = o.panelPixels();
        return Canvas.draw(d * p, d * p, g -> {
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    JFreeChart chart = i == j ? histogram(samples, o, i) : histogram2d(samples, o, i, j);
                    chart.draw(g, new Rectangle2D.Double(j * p, i * p, p, p));
                }
            }
        });
    }

    /**
     * Draws a tiny plot and throws it away: a command that will plot at the end checks first, so that a machine
     * without fonts is told before the sampling, not after.
     *
     * @throws PlotException where this JVM cannot draw
     */
    public static void checkCanDraw() {
        render(new float[][] {{0f}, {1f}}, new Options(new String[] {"t"}, new double[] {0}, new double[] {1}, 2, 60,
                null));
    }

    /** {@link #render} written as a PNG file, atomically (a temporary file renamed into place). */
    public static void writePng(float[][] samples, Options o, Path file) throws IOException {
        Canvas.writePng(render(samples, o), file);
    }

    /** Counts of the samples' column c in {@code bins} equal bins over [low, high]; values outside are not counted. */
    static int[] counts(float[][] samples, int c, double low, double high, int bins) {
        int[] n = new int[bins];
        double scale = bins / (high - low);
        for (float[] row : samples) {
            int b = bin(row[c], low, high, scale, bins);
            if (b >= 0) n[b]++;
        }
        return n;
    }

    /** Counts of (column a, column b) on a bins × bins grid, [bin of a][bin of b]. */
    static int[][] counts2d(float[][] samples, int a, int b, Options o) {
        int bins = o.bins();
        int[][] n = new int[bins][bins];
        double sa = bins / (o.high()[a] - o.low()[a]), sb = bins / (o.high()[b] - o.low()[b]);
        for (float[] row : samples) {
            int ba = bin(row[a], o.low()[a], o.high()[a], sa, bins);
            int bb = bin(row[b], o.low()[b], o.high()[b], sb, bins);
            if (ba >= 0 && bb >= 0) n[ba][bb]++;
        }
        return n;
    }

    /** The bin of v, the upper end in the last bin; −1 outside [low, high] or for NaN. */
    private static int bin(double v, double low, double high, double scale, int bins) {
        if (!(v >= low && v <= high)) return -1;
        return Math.min((int) ((v - low) * scale), bins - 1);
    }

    private static JFreeChart histogram(float[][] samples, Options o, int i) {
        double low = o.low()[i], high = o.high()[i], w = (high - low) / o.bins();
        int[] n = counts(samples, i, low, high, o.bins());
        XYSeries s = new XYSeries("counts");
        for (int b = 0; b < n.length; b++) s.add(low + (b + 0.5) * w, n[b]);
        XYBarRenderer bars = new XYBarRenderer(0);
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, INK);
        bars.setDrawBarOutline(true);   // in the fill's colour: anti-aliased seams between the bars stay closed
        bars.setSeriesOutlinePaint(0, INK);
        NumberAxis x = axis(shortLabel(o.labels()[i]), low, high, o.panelPixels());
        NumberAxis y = new NumberAxis();
        y.setVisible(false);
        y.setLowerBound(0);
        y.setUpperBound(Math.max(1, Arrays.stream(n).max().orElse(1)) * 1.05);
        XYSeriesCollection data = new XYSeriesCollection(s);
        data.setIntervalWidth(w);   // the default, 1.0 in data units, would draw each bar across many bins
        XYPlot plot = new XYPlot(data, x, y, bars);
        if (o.marker() != null) plot.addDomainMarker(marker(o.marker()[i]));
        return chart(plot);
    }

    private static JFreeChart histogram2d(float[][] samples, Options o, int i, int j) {
        int bins = o.bins();
        int[][] n = counts2d(samples, i, j, o);
        double wi = (o.high()[i] - o.low()[i]) / bins, wj = (o.high()[j] - o.low()[j]) / bins;
        double[] xs = new double[bins * bins], ys = new double[bins * bins], zs = new double[bins * bins];
        int max = 1;
        for (int a = 0; a < bins; a++) {
            for (int b = 0; b < bins; b++) {
                int k = a * bins + b;
                xs[k] = o.low()[j] + (b + 0.5) * wj;
                ys[k] = o.low()[i] + (a + 0.5) * wi;
                zs[k] = n[a][b];
                max = Math.max(max, n[a][b]);
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("counts", new double[][] {xs, ys, zs});
        XYBlockRenderer blocks = new XYBlockRenderer();
        blocks.setBlockWidth(wj);
        blocks.setBlockHeight(wi);
        blocks.setPaintScale(new WhiteToInk(max));
        XYPlot plot = new XYPlot(data, axis(null, o.low()[j], o.high()[j], o.panelPixels()),
                axis(null, o.low()[i], o.high()[i], o.panelPixels()), blocks);
        if (o.marker() != null) {
            plot.addDomainMarker(marker(o.marker()[j]));
            plot.addRangeMarker(marker(o.marker()[i]));
        }
        return chart(plot);
    }

    /** Panels narrower than this draw no tick labels: at 60 pixels they took most of the panel. */
    static final int TICKS_FROM_PIXELS = 100;

    private static NumberAxis axis(String label, double low, double high, int panelPixels) {
        NumberAxis a = new NumberAxis(label);
        a.setRange(low, high);
        a.setTickLabelFont(TICKS);
        a.setLabelFont(LABELS);
        a.setAutoRangeIncludesZero(false);
        if (panelPixels < TICKS_FROM_PIXELS) {
            a.setTickLabelsVisible(false);
            a.setTickMarksVisible(false);
        }
        return a;
    }

    /** A label short enough for a panel: at most 24 characters, a longer one cut with an ellipsis. */
    static String shortLabel(String label) {
        return label.length() <= 24 ? label : label.substring(0, 23) + "…";
    }

    private static ValueMarker marker(double v) {
        return new ValueMarker(v, MARKER, new BasicStroke(1.2f));
    }

    private static JFreeChart chart(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setOutlinePaint(Color.GRAY);
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(4, 4, 4, 8));
        chart.setBorderVisible(false);
        return chart;
    }

    /** Count 0 white, the largest count the full ink, linearly between: empty cells stay background. */
    private record WhiteToInk(double max) implements PaintScale {

        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return max;
        }

        @Override
        public Paint getPaint(double value) {
            double t = Math.clamp(value / max, 0, 1);
            return new Color(mix(255, INK.getRed(), t), mix(255, INK.getGreen(), t), mix(255, INK.getBlue(), t));
        }

        private static int mix(int from, int to, double t) {
            return (int) Math.round(from + (to - from) * t);
        }
    }
}
