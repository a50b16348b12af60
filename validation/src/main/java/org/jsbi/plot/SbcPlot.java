package org.jsbi.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jsbi.diagnostics.Sbc;

/**
 * Simulation-based calibration drawn as sbi's {@code sbc_rank_plot} and the coverage plots do: per parameter the
 * histogram of the true parameters' ranks among their posterior samples, in a grey band where 99% of a calibrated
 * posterior's bin counts fall, and where the posterior's density was given, the expected coverage of its
 * highest-density regions against their level (on the diagonal when calibrated; above it: too wide, below: too
 * narrow).
 */
public final class SbcPlot {

    private static final Color INK = new Color(31, 119, 180), BAND = new Color(220, 220, 220);
    private static final int COLUMNS = 4, PANEL = 250;

    private SbcPlot() {
    }

    /**
     * @param labels a name per parameter
     * @throws IllegalArgumentException without tests, or with labels of another length
     * @throws PlotException            where this JVM cannot draw
     */
    public static BufferedImage render(Sbc.Result r, String[] labels) {
        if (r.tests() == 0) throw new IllegalArgumentException("no calibration tests to draw");
        int d = r.dim();
        if (labels == null || labels.length != d) {
            throw new IllegalArgumentException("one label per parameter: " + d + " parameters, "
                    + (labels == null ? "no" : labels.length) + " labels");
        }
        boolean coverage = r.hdrRanks().length > 0;
        int panels = d + (coverage ? 1 : 0);
        int columns = Math.min(COLUMNS, panels), rows = (panels + columns - 1) / columns;
        int bins = bins(r.tests());
        double[] band = band(r.tests(), bins);
        return Canvas.draw(columns * PANEL, rows * PANEL, g -> {
            for (int p = 0; p < panels; p++) {
                JFreeChart chart = p < d ? ranks(r, p, labels[p], bins, band) : coverage(r);
                chart.draw(g, new Rectangle2D.Double(p % columns * PANEL, p / columns * PANEL, PANEL, PANEL));
            }
        });
    }

    /** {@link #render} written as a PNG file, atomically. */
    public static void writePng(Sbc.Result r, String[] labels, Path file) throws IOException {
        Canvas.writePng(render(r, labels), file);
    }

    /** Bins of a rank histogram: about ten tests per bin, from 4 to 20 bins. */
    static int bins(int tests) {
        return Math.max(4, Math.min(20, tests / 10));
    }

    /**
     * Counts per bin of test ranks: a test's rank position (rank + half its ties) / (L + 1) in [0, 1), so each of a
     * calibrated posterior's tests falls into any bin with probability 1/bins.
     */
    static int[] rankCounts(Sbc.Result r, int d, int bins) {
        int[] n = new int[bins];
        for (int i = 0; i < r.tests(); i++) {
            double u = (r.ranks()[i][d] + 0.5 * r.rankTies()[i][d] + 0.5) / (r.samples() + 1);
            n[Math.min(bins - 1, (int) (u * bins))]++;
        }
        return n;
    }

    /** The 0.5% and 99.5% quantiles of Binomial(tests, 1/bins): where 99% of a calibrated histogram's bars end. */
    static double[] band(int tests, int bins) {
        double p = 1.0 / bins, cdf = 0;
        double lo = Double.NaN, hi = Double.NaN;
        // log of the binomial pmf, term by term: exact enough for thousands of tests and no overflow
        double logPmf = tests * Math.log1p(-p);
        for (int k = 0; k <= tests; k++) {
            if (k > 0) logPmf += Math.log((double) (tests - k + 1) / k) + Math.log(p) - Math.log1p(-p);
            cdf += Math.exp(logPmf);
            if (Double.isNaN(lo) && cdf >= 0.005) lo = k;
            if (cdf >= 0.995) {
                hi = k;
                break;
            }
        }
        return new double[] {lo, Double.isNaN(hi) ? tests : hi};
    }

    private static JFreeChart ranks(Sbc.Result r, int d, String label, int bins, double[] band) {
        int[] n = rankCounts(r, d, bins);
        XYSeries s = new XYSeries("ranks");
        for (int b = 0; b < bins; b++) s.add((b + 0.5) / bins, n[b]);
        XYSeriesCollection data = new XYSeriesCollection(s);
        data.setIntervalWidth(1.0 / bins);
        XYBarRenderer bars = new XYBarRenderer(0.1);
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, INK);
        NumberAxis x = new NumberAxis("rank / L");
        x.setRange(0, 1);
        NumberAxis y = new NumberAxis("tests");
        int max = 0;
        for (int c : n) max = Math.max(max, c);
        y.setRange(0, Math.max(max, band[1]) * 1.15 + 1);
        XYPlot plot = new XYPlot(data, x, y, bars);
        plot.addRangeMarker(new IntervalMarker(band[0], band[1], BAND), Layer.BACKGROUND);
        return chart(plot, String.format(Locale.ROOT, "%s (mean rank %.2f)", label, r.meanRank(d)));
    }

    private static JFreeChart coverage(Sbc.Result r) {
        XYSeries curve = new XYSeries("expected coverage"), diagonal = new XYSeries("calibrated");
        for (int k = 0; k <= 50; k++) curve.add(k / 50.0, r.expectedCoverage(k / 50.0));
        diagonal.add(0, 0);
        diagonal.add(1, 1);
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(curve);
        data.addSeries(diagonal);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        lines.setSeriesPaint(0, INK);
        lines.setSeriesStroke(0, new BasicStroke(2f));
        lines.setSeriesPaint(1, Color.GRAY);
        lines.setSeriesStroke(1, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                new float[] {4, 4}, 0));
        NumberAxis x = new NumberAxis("credibility level"), y = new NumberAxis("expected coverage");
        x.setRange(0, 1);
        y.setRange(0, 1);
        return chart(new XYPlot(data, x, y, lines), "coverage of the HDRs");
    }

    private static JFreeChart chart(XYPlot plot, String title) {
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
        for (NumberAxis a : new NumberAxis[] {(NumberAxis) plot.getDomainAxis(), (NumberAxis) plot.getRangeAxis()}) {
            a.setTickLabelFont(small);
            a.setLabelFont(small);
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        JFreeChart chart = new JFreeChart(null, null, plot, false);
        chart.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(4, 4, 4, 10));
        return chart;
    }
}
