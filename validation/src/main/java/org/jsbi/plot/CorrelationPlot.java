package org.jsbi.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * Two correlation matrices of the same parameters in one picture, as the paper's Fig. 6e sets them side by side: the
 * upper triangle from one (the conditional correlations), the lower from the other (the marginal ones), coloured from
 * −1 (blue) through 0 (white) to +1 (red), with the values written in where the cells are large enough. A cell with
 * no value (NaN: a pair not computed) is grey.
 */
public final class CorrelationPlot {

    private static final Color MISSING = new Color(225, 225, 225);

    private CorrelationPlot() {
    }

    /**
     * @param upper  the matrix whose entries i < j fill the upper triangle (rows i, columns j)
     * @param lower  the matrix whose entries i > j fill the lower triangle
     * @param labels a name per parameter
     * @param title  what the triangles hold, above the picture
     * @throws PlotException where this JVM cannot draw (no fonts installed, say)
     */
    public static BufferedImage render(double[][] upper, double[][] lower, String[] labels, String title) {
        int d = labels.length;
        check(upper, d, "upper");
        check(lower, d, "lower");
        if (d < 2 || d > 200) throw new IllegalArgumentException("a correlation plot needs 2..200 parameters, got " + d);
        int cell = Math.max(14, Math.min(60, 900 / d));
        int size = d * cell + 220;
        double[] xs = new double[d * d], ys = new double[d * d], zs = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                int k = i * d + j;
                xs[k] = j;
                ys[k] = i;
                zs[k] = i < j ? upper[i][j] : i > j ? lower[i][j] : Double.NaN;
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("r", new double[][] {xs, ys, zs});
        XYBlockRenderer blocks = new XYBlockRenderer();
        BlueWhiteRed scale = new BlueWhiteRed();
        blocks.setPaintScale(scale);
        Font tick = new Font(Font.SANS_SERIF, Font.PLAIN, Math.min(12, Math.max(8, cell / 2)));
        String[] shortLabels = java.util.Arrays.stream(labels).map(PairPlot::shortLabel).toArray(String[]::new);
        SymbolAxis x = new SymbolAxis(null, shortLabels), y = new SymbolAxis(null, shortLabels);
        for (SymbolAxis a : new SymbolAxis[] {x, y}) {
            a.setTickLabelFont(tick);
            a.setGridBandsVisible(false);
            a.setRange(-0.5, d - 0.5);
        }
        x.setVerticalTickLabels(true);
        y.setInverted(true);   // row 0 at the top, as a matrix is read
        XYPlot plot = new XYPlot(data, x, y, blocks);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        if (cell >= 34) {
            Font values = new Font(Font.SANS_SERIF, Font.PLAIN, Math.min(12, cell / 3));
            for (int k = 0; k < zs.length; k++) {
                if (Double.isNaN(zs[k])) continue;
                XYTextAnnotation t = new XYTextAnnotation(String.format(Locale.ROOT, "%.2f", zs[k]), xs[k], ys[k]);
                t.setFont(values);
                t.setPaint(Math.abs(zs[k]) > 0.6 ? Color.WHITE : Color.BLACK);
                plot.addAnnotation(t);
            }
        }
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.PLAIN, 13), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        NumberAxis legendAxis = new NumberAxis("r");
        legendAxis.setRange(-1, 1);
        legendAxis.setTickLabelFont(tick);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(new RectangleInsets(40, 10, 40, 10));
        legend.setStripWidth(12);
        legend.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(legend);
        return Canvas.draw(size + 60, size + 40, g -> chart.draw(g, new Rectangle2D.Double(0, 0, size + 60,
                size + 40)));
    }

    /**
     * The upper triangle of a matrix from pairs' values: value p at (min, max) of pair p's two indices; NaN where no
     * pair gives one.
     */
    public static double[][] fromPairs(int d, int[][] pairs, double[] values) {
        double[][] m = new double[d][d];
        for (double[] row : m) java.util.Arrays.fill(row, Double.NaN);
        for (int p = 0; p < pairs.length; p++) {
            int i = Math.min(pairs[p][0], pairs[p][1]), j = Math.max(pairs[p][0], pairs[p][1]);
            m[i][j] = values[p];
        }
        return m;
    }

    /** {@link #render} written as a PNG file, atomically. */
    public static void writePng(double[][] upper, double[][] lower, String[] labels, String title, Path file)
            throws IOException {
        Canvas.writePng(render(upper, lower, labels, title), file);
    }

    private static void check(double[][] m, int d, String which) {
        if (m == null || m.length != d) {
            throw new IllegalArgumentException("the " + which + " matrix has " + (m == null ? "no" : m.length)
                    + " rows for " + d + " parameters");
        }
        for (double[] row : m) {
            if (row == null || row.length != d) {
                throw new IllegalArgumentException("the " + which + " matrix must be " + d + " x " + d);
            }
        }
    }

    /** −1 blue, 0 white, +1 red, linear between; NaN grey. */
    static final class BlueWhiteRed implements PaintScale {

        private static final Color BLUE = new Color(33, 102, 172), RED = new Color(178, 24, 43);

        @Override
        public double getLowerBound() {
            return -1;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double r) {
            if (Double.isNaN(r)) return MISSING;
            double t = Math.clamp(r, -1, 1);
            Color end = t < 0 ? BLUE : RED;
            double a = Math.abs(t);
            return new Color(mix(255, end.getRed(), a), mix(255, end.getGreen(), a), mix(255, end.getBlue(), a));
        }

        private static int mix(int from, int to, double t) {
            return (int) Math.round(from + (to - from) * t);
        }
    }
}
